"""LCMCR: seeded and reproducible, agrees with the independence MLE at K = 1, brackets Kosovo at K = 10."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mingdan.estimate import LCMCR, CaptureTable, EstimationError, TableError
from mingdan.estimate.diagnostics import effective_sample_size, split_rhat

MSE = Path(__file__).resolve().parents[2] / "data" / "published" / "mse"
KOSOVO = CaptureTable.from_csv(MSE / "kosovo_1999_4lists.csv")


def test_one_class_is_the_independence_model():
    fitted = LCMCR(K=1, n_iter=3000, burn_in=500, thin=1, chains=2, seed=3).fit(KOSOVO)
    assert fitted.estimate_ == pytest.approx(7394.6, rel=0.01)
    assert fitted.rhat_ < 1.05


def test_kosovo_with_ten_classes_is_close_to_the_long_run_reference():
    # 2 x 110,000 sweeps here; the benchmark runs over a million (docs/benchmarks.md).
    fitted = LCMCR(K=10, n_iter=2500, burn_in=10_000, thin=40, chains=2, seed=11).fit(KOSOVO)
    assert 10_000 <= fitted.estimate_ <= 10_800
    assert fitted.lower_ == pytest.approx(8980, rel=0.06) and fitted.upper_ == pytest.approx(13780, rel=0.1)
    assert fitted.rhat_ < 1.1 and fitted.ess_ > 100
    assert fitted.draws_.min() >= KOSOVO.observed


def test_the_same_seed_gives_the_same_draws():
    first = LCMCR(K=5, n_iter=300, burn_in=100, thin=2, chains=2, seed=5).fit(KOSOVO)
    again = LCMCR(K=5, n_iter=300, burn_in=100, thin=2, chains=2, seed=5).fit(KOSOVO)
    other = LCMCR(K=5, n_iter=300, burn_in=100, thin=2, chains=2, seed=6).fit(KOSOVO)
    assert np.array_equal(first.draws_, again.draws_) and not np.array_equal(first.draws_, other.draws_)
    assert first.to_dict()["settings"]["seed"] == 5


def test_fewer_than_three_lists_is_refused():
    with pytest.raises((TableError, EstimationError), match="at least 3 lists"):
        LCMCR().fit(KOSOVO.drop_lists(["ABA", "HRW"]))


def test_diagnostics_on_known_chains():
    rng = np.random.default_rng(0)
    mixed = rng.normal(size=(4, 2000))
    assert split_rhat(mixed) == pytest.approx(1.0, abs=0.01)
    assert effective_sample_size(mixed) > 4000
    stuck = mixed + np.arange(4)[:, None] * 3
    assert split_rhat(stuck) > 1.5
    walk = np.cumsum(rng.normal(size=(2, 2000)), axis=1)
    assert effective_sample_size(walk) < 200
