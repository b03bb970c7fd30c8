"""m and the prior learnt by EM over a random sample of the candidate pairs, for cases too large for Splink's EM.

Splink's EM blocks on one field at a time and, past EM_MAX_PAIRS pairs, samples *records*: a pair
is kept only if both its records are drawn. At a million simulated records the pass that trains
names (same place, event and sex) held 29.5 billion pairs, so one in ten thousand was kept and
fewer than a hundred of the 854,000 true pairs: EM took namesakes for the match class ("within a
year" of age m 0.58 where one person's records agree 0.996 of the time; a pinyin-only name m 0.16
where it is 0.62), and the case came out as 842,171 people for 482,721.

The candidate pairs (blocking.py: names that read alike) are where one person's pairs are dense:
2% of them at a million records, against 0.003% of a field's block. A uniform sample of them
(a pair is drawn when the hash of its lower record id falls below a cut, so DuckDB draws before it
joins) is scored by the query `mingdan link` scores with (levels.comparison_levels), and EM runs
in NumPy over its levels: each pair's chance of being one person under the current m, u and
prior; m of every level re-estimated from those chances (u stays as counted on random pairs); the
prior from the chances summed, scaled back from the sample to all candidate pairs and divided by
all pairs of the case (a pair no name key brings together is taken as different people).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa

#: Cases with more records than this learn m from candidate pairs instead of Splink's EM passes.
EM_RECORDS = 150_000
#: About how many candidate pairs the sample holds.
SAMPLE_PAIRS = 1_000_000
#: EM steps at most, and the change in every m (and in the prior's log) below which it stops.
STEPS = 50
TOLERANCE = 1e-4
_HASH_BUCKETS = 1_000_003


def candidate_pairs_bound(frame: "pa.Table") -> int:
    """Pairs the name keys form, counted with repeats (a pair sharing two keys counts twice): an upper bound."""
    from .model import connect

    connection = connect()
    try:
        typo = "name_typo" in frame.column_names
        connection.register("frame", frame.select(["unique_id", "name_small", "name_with"] + ["name_typo"] * typo))
        return int(connection.sql(
            "SELECT COALESCE(SUM(n * (n - 1) / 2), 0) FROM (SELECT COUNT(*) AS n FROM ("
            "SELECT 's' || UNNEST(name_small) AS k FROM frame UNION ALL "
            "SELECT 'w' || CAST(UNNEST(name_with) AS VARCHAR) FROM frame"
            + (" UNION ALL SELECT 't' || CAST(UNNEST(name_typo) AS VARCHAR) FROM frame" if typo else "")
            + ") GROUP BY k)").fetchall()[0][0])
    finally:
        connection.close()


def sampled_levels(frame: "pa.Table", model: dict, share: float, seed: int = 1) -> "pa.Table":
    """The comparison levels of a uniform random `share` of the candidate pairs."""
    from .levels import comparison_levels

    cut = max(1, int(share * _HASH_BUCKETS))
    # The pair's lower id decides: every candidate pair is drawn with the same chance, whatever its keys.
    drawn = f"(hash(l.unique_id + {int(seed)}) % {_HASH_BUCKETS}) < {cut}"
    rules = [{**rule, "blocking_rule": f"({rule['blocking_rule']}) AND {drawn}"}
             for rule in model["blocking_rules_to_generate_predictions"]]
    return comparison_levels(frame, model, rules)


def learn_on_candidates(frame: "pa.Table", model: dict, seed: int = 1) -> tuple[dict, int]:
    """The model with m of every level and the prior estimated by EM on a sample of the candidate pairs, and how
    many pairs the sample held (the model unchanged, and 0, when there are too few)."""
    from .incremental import m_step, match_weights, probability
    from .levels import tf_total

    records = frame.num_rows
    bound = candidate_pairs_bound(frame)
    if bound == 0:
        return model, 0
    share = min(1.0, SAMPLE_PAIRS / bound)
    share = max(1, int(share * _HASH_BUCKETS)) / _HASH_BUCKETS
    pairs = sampled_levels(frame, model, share, seed)
    if pairs.num_rows < 1000:
        return model, 0
    learnt = copy.deepcopy(model)
    gammas = {c["output_column_name"]: pairs[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in learnt["comparisons"]}
    tf = tf_total(pairs)
    all_pairs = records * (records - 1) / 2
    for _ in range(STEPS):
        weight, _ = match_weights(learnt, gammas, tf)
        match = probability(weight)
        moved = m_step(learnt["comparisons"], gammas, match)
        before = learnt["probability_two_random_records_match"]
        prior = float(min(max(match.sum() / share / all_pairs, 1e-12), 0.5))
        learnt["probability_two_random_records_match"] = prior
        if moved < TOLERANCE and abs(np.log(prior / before)) < TOLERANCE:
            break
    return learnt, int(pairs.num_rows)
