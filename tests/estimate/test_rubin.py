"""Linkage uncertainty: replicate linkages and Rubin's rules."""

from __future__ import annotations

import numpy as np
import pytest

from mingdan.estimate import DGA
from mingdan.estimate.rubin import combine_replicates, estimate_over_linkages, replicate_tables


def simulated_records(rng, people=600, lists=3, p=(0.5, 0.4, 0.3)):
    """Records of people on lists, with the true pairs of records of one person."""
    record_lists, owner = [], []
    for person in range(people):
        for j in range(lists):
            if rng.random() < p[j]:
                record_lists.append(j)
                owner.append(person)
    pairs = [(a, b) for a in range(len(owner)) for b in range(a + 1, min(a + 4, len(owner))) if owner[a] == owner[b]]
    return record_lists, owner, pairs


def test_certain_links_give_one_table_and_no_between_variance():
    rng = np.random.default_rng(1)
    record_lists, owner, true_pairs = simulated_records(rng)
    tables = replicate_tables(record_lists, 3, [(a, b, 1.0) for a, b in true_pairs], 4, rng)
    assert len({t.sha256() for t in tables}) == 1
    assert tables[0].observed == len(set(owner))
    combined = estimate_over_linkages(tables, lambda: DGA())
    single = DGA().fit(tables[0])
    assert combined["between_variance"] == 0
    assert combined["estimate"] == pytest.approx(single.estimate_, rel=0.02)


def test_uncertain_links_widen_the_interval():
    rng = np.random.default_rng(2)
    record_lists, owner, true_pairs = simulated_records(rng)
    sure = replicate_tables(record_lists, 3, [(a, b, 1.0) for a, b in true_pairs], 6, rng)
    unsure = replicate_tables(record_lists, 3, [(a, b, 0.8) for a, b in true_pairs], 6, rng)
    tight, wide = estimate_over_linkages(sure, lambda: DGA()), estimate_over_linkages(unsure, lambda: DGA())
    assert wide["between_variance"] > 0 and 0 < wide["fraction_missing_information"] < 1
    assert (wide["upper"] - wide["lower"]) > (tight["upper"] - tight["lower"])
    # Missed links split people in two: more records look unique, so more people appear observed.
    assert np.mean([t.observed for t in unsure]) > sure[0].observed


def test_rubins_rules_by_hand():
    combined = combine_replicates([(1100.0, 0.01, 1000), (1200.0, 0.01, 1000), (1150.0, 0.01, 1000)])
    logs = np.log([100, 200, 150])
    assert combined["estimate"] == pytest.approx(1000 + np.exp(logs.mean()))
    assert combined["between_variance"] == pytest.approx(np.var(logs, ddof=1))
    assert combined["lower"] < combined["estimate"] < combined["upper"]
