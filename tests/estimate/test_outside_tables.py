"""What an outside tester typed that the estimates took wrongly: a model whose N is not identifiable printed a number
outside its own interval (or never ended, with two lists), a count in exponent form read silently, settings out of
range ending in tracebacks, an interval from four draws printed without a word, lists written TRUE/FALSE."""

from __future__ import annotations

import pytest

from mingdan.estimate import CaptureTable, EstimationError, TableError
from mingdan.estimate.api import estimate_table, make_estimator

THREE = "A,B,C,count\n1,0,0,40\n0,1,0,35\n0,0,1,30\n1,1,0,12\n1,0,1,9\n0,1,1,8\n1,1,1,4\n"


@pytest.mark.parametrize(("text", "model"), [(THREE, "[A*B*C]"), ("A,B,count\n1,0,300\n0,1,250\n1,1,100\n", "[A*B]")])
def test_a_model_with_the_interaction_of_every_list_is_refused(text, model):
    with pytest.raises(EstimationError, match=r"df = -1\).*not identifiable"):
        make_estimator("loglinear", model=model).fit(CaptureTable.from_text(text))
    # The model below it fits (Rcapture's answer for [A*B*C] on this table is that of [A*B + A*C + B*C]).
    below = make_estimator("loglinear", model="[A*B + A*C + B*C]").fit(CaptureTable.from_text(THREE))
    assert below.lower_ <= below.estimate_ <= below.upper_


@pytest.mark.parametrize(("count", "reason"), [("1e2", "not a count"), ("inf", "not a count"), ("nan", "not a count"),
                                               ("1,000", "not a count"), ("2.5", "whole number"), ("-3", "negative")])
def test_a_count_not_written_as_digits_is_refused_at_its_line(count, reason):
    text = THREE.replace("1,1,1,4", f'1,1,1,"{count}"')
    with pytest.raises(TableError, match=rf"<table>:8:count: .*{reason}"):
        CaptureTable.from_text(text)


def test_a_whole_count_written_with_decimals_is_read():
    assert CaptureTable.from_text(THREE.replace("1,1,1,4", "1,1,1,4.0")).observed == CaptureTable.from_text(THREE).observed


@pytest.mark.parametrize(("method", "settings", "message"), [
    ("lcmcr", {"a_alpha": 0}, "a_alpha must be a number above 0"),
    ("lcmcr", {"K": 2.5}, "K must be a whole number"),
    ("lcmcr", {"n_iter": "abc"}, "n_iter must be a whole number"),
    ("lcmcr", {"b_alpha": -1}, "b_alpha must be a number above 0"),
    ("lcmcr", {"chains": 0}, "chains must be at least 1"),
    ("dga", {"delta": 0}, "delta must be a number above 0"),
    ("dga", {"delta": "abc"}, "delta must be a number above 0"),
    ("loglinear", {"n_boot": "abc", "model": "stepwise"}, "n_boot must be a whole number"),
    ("loglinear", {"colour": 1}, "loglinear has no setting 'colour'; its settings are model, "),
])
def test_a_setting_out_of_range_is_refused_by_name(method, settings, message):
    with pytest.raises(ValueError, match=message):
        make_estimator(method, **settings)


def test_an_lcmcr_interval_from_a_few_draws_says_so():
    result = estimate_table(CaptureTable.from_text(THREE), "lcmcr", seed=1, n_iter=1, burn_in=10, chains=2)
    assert any("chains are too short" in warning for warning in result["warnings"]), result["warnings"]


def test_lists_written_true_false_are_refused_with_what_to_write():
    text = "A,B,C,count\nTRUE,FALSE,FALSE,40\nFALSE,TRUE,FALSE,35\nFALSE,FALSE,TRUE,30\nTRUE,TRUE,TRUE,4\n"
    with pytest.raises(TableError, match="written as FALSE/TRUE: write 1 for on the list and 0"):
        CaptureTable.from_text(text)
