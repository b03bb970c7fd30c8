"""log Gamma and log-sum-exp without SciPy: equal to the standard library's and to the definition."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.estimate.special import gammaln, logsumexp


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(min_value=1e-6, max_value=1e7, allow_nan=False), min_size=1, max_size=50))
def test_gammaln_equals_math_lgamma(values):
    found = gammaln(np.array(values))
    for value, got in zip(values, found):
        expected = math.lgamma(value)
        assert abs(got - expected) <= 1e-12 * max(1.0, abs(expected)), (value, got, expected)


def test_gammaln_of_integers_is_log_factorial():
    n = np.arange(1, 2000, dtype=float)
    assert np.allclose(gammaln(n + 1), np.cumsum(np.log(n)), rtol=1e-13, atol=1e-12)
    assert gammaln(5.0) == math.lgamma(5.0)


def test_gammaln_refuses_what_it_cannot_compute():
    import pytest

    for bad in ([0.0], [-1.5], [float("nan")]):
        with pytest.raises(ValueError):
            gammaln(np.array(bad))


def test_logsumexp_does_not_overflow_and_equals_the_definition():
    values = np.array([[1000.0, 1000.0], [999.0, -np.inf]])
    assert math.isclose(logsumexp(values), 1000 + math.log(2 + math.exp(-1)), rel_tol=1e-15)
    small = np.random.default_rng(1).normal(size=(40, 30))
    assert math.isclose(logsumexp(small), math.log(np.exp(small).sum()), rel_tol=1e-13)
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf
