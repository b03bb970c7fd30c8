"""Strata: fitted one by one under the validity rules, combined from draws or by bootstrap."""

from __future__ import annotations

from pathlib import Path

import pytest

from mingdan.estimate import CaptureTable, EstimationError, TableError, estimate_table

MSE = Path(__file__).resolve().parents[2] / "data" / "published" / "mse"
SPINA = MSE / "spina_bifida_ny_3lists_by_ethnicity.csv"


def test_a_stratum_with_too_few_lists_is_an_error_unless_skipping_is_allowed():
    with pytest.raises(EstimationError, match="stratum other: only 2 lists"):
        estimate_table(SPINA, "dga", strata="eth")
    with pytest.warns(UserWarning, match="list S2 has no records there and is dropped"):
        result = estimate_table(SPINA, "dga", strata="eth", skip_invalid_strata=True)
    assert result["strata_not_estimated"] == {"other": 2}
    assert set(result["strata"]) == {"caucasian", "afro-american"}
    # Published total about 726 (Overstall & King 2014, HPD 675-778).
    assert 690 <= result["estimate"] <= 760 and result["lower"] < 726 < result["upper"]
    assert result["estimate"] == pytest.approx(
        sum(s["estimate"] for s in result["strata"].values()) + 2, rel=0.02)


@pytest.mark.filterwarnings("ignore:stratum other")
def test_loglinear_strata_are_summed_with_a_bootstrap_interval():
    result = estimate_table(SPINA, "loglinear", strata="eth", seed=2, skip_invalid_strata=True)
    assert result["combine"] == "bootstrap"
    assert result["estimate"] == pytest.approx(sum(s["estimate"] for s in result["strata"].values()) + 2)
    assert result["lower"] < result["estimate"] < result["upper"]


def test_covariates_other_than_the_stratum_are_summed_over():
    table = CaptureTable.from_csv(MSE / "scotpwid_2006_4lists_by_covariates.csv", strata="Region")
    assert table.lists == ("S1", "S2", "S3", "S4") and set(table.strata) == {"GGC", "Rest"}
    assert table.observed == 5670 == sum(s.observed for s in table.strata.values())
    with pytest.raises(TableError, match="columns Region, Gender, Age are not 0/1 list columns"):
        CaptureTable.from_csv(MSE / "scotpwid_2006_4lists_by_covariates.csv")


SCOTPWID = MSE / "scotpwid_2006_4lists_by_covariates.csv"


def test_scotpwid_by_region_loglinear_total_is_the_sum_with_a_reproducible_bootstrap_interval():
    first = estimate_table(SCOTPWID, "loglinear", strata="Region", seed=5)
    again = estimate_table(SCOTPWID, "loglinear", strata="Region", seed=5)
    assert (first["lower"], first["upper"]) == (again["lower"], again["upper"])
    assert set(first["strata"]) == {"GGC", "Rest"} and first["observed"] == 5670 and not first["warnings"]
    assert first["estimate"] == pytest.approx(sum(s["estimate"] for s in first["strata"].values()))
    assert first["lower"] < first["estimate"] < first["upper"]
    # King et al. (2013), 31,700 (24,800-38,700), also model gender and age; a per-region
    # log-linear total lies lower but its interval must meet the published one.
    assert first["upper"] > 24_800 and first["lower"] < 38_700


def test_bootstrap_refits_the_chosen_model_of_each_stratum():
    from mingdan.estimate import LogLinear, StratifiedEstimate

    table = CaptureTable.from_csv(SCOTPWID, strata="Region")
    combined = StratifiedEstimate(LogLinear, combine="bootstrap", n_boot=60, seed=1).fit(table)
    assert len(combined.totals_) == 60 and combined.to_dict()["combine"] == "bootstrap"
    for label, fitted in combined.fits_.items():
        assert fitted.fixed().settings["model"] == fitted.model_
        assert LogLinear(model=fitted.model_).fit(table.strata[label]).estimate_ == pytest.approx(fitted.estimate_)
