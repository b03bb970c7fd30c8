"""DGA reproduces Madigan & York (1997) and the dga package's reference results."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mingdan.estimate import DGA, CaptureTable, TableError
from mingdan.estimate.dga import decomposable_graphs

MSE = Path(__file__).resolve().parents[2] / "data" / "published" / "mse"


def test_the_number_of_decomposable_graphs():
    assert [len(decomposable_graphs(J)) for J in (3, 4, 5)] == [8, 61, 822]


def test_madigan_york_three_lists_with_the_negative_binomial_prior():
    spina = CaptureTable.from_csv(MSE / "madigan_york_spina_bifida_3lists.csv")
    fitted = DGA(delta=1, prior="negbin", prior_a=13.14, prior_b=55.17, n_min=1, n_max=300).fit(spina)
    assert fitted.top_model_probability_ == pytest.approx(0.374, abs=0.0005)
    assert fitted.relative_loss_estimate_ == pytest.approx(731, abs=0.5)
    assert (fitted.top_model_mode_, fitted.mode_) == (729, 728)
    assert sum(fitted.model_probabilities_.values()) == pytest.approx(1)


def test_five_lists_reference_posterior():
    five = CaptureTable.from_csv(MSE / "madigan_york_5lists_dga_example.csv")
    fitted = DGA(delta=0.5, n_min=1, n_max=300).fit(five)
    assert (fitted.estimate_, fitted.lower_, fitted.upper_) == (616, 588, 655)


def test_kosovo_with_a_small_delta():
    fitted = DGA(delta=1 / 16).fit(CaptureTable.from_csv(MSE / "kosovo_1999_4lists.csv"))
    assert (fitted.estimate_, fitted.lower_, fitted.upper_) == (12595, 9827, 16544)
    draws = fitted.sample(20_000, np.random.default_rng(1))
    assert np.median(draws) == pytest.approx(12595, rel=0.01)


def test_dga_needs_three_to_five_lists():
    two = CaptureTable.from_patterns(["A", "B"], [(1, 0), (0, 1), (1, 1)], [5, 6, 2])
    with pytest.raises(TableError, match="at least 3 lists"):
        DGA().fit(two)
    six = CaptureTable.from_patterns(list("ABCDEF"), [tuple(int(i == j) for i in range(6)) for j in range(6)], [3] * 6)
    with pytest.raises(TableError, match="at most 5 lists"):
        DGA().fit(six)
