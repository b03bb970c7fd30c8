"""Log-linear models reproduce the published analyses (Rcapture conventions)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mingdan.estimate import CaptureTable, EstimationError, LogLinear
from mingdan.estimate.glm import hierarchical_models

MSE = Path(__file__).resolve().parents[2] / "data" / "published" / "mse"


def table(name: str) -> CaptureTable:
    return CaptureTable.from_csv(MSE / name)


def test_kosovo_global_model_is_the_minimum_bic_model_with_the_published_estimate():
    fitted = LogLinear().fit(table("kosovo_1999_4lists.csv"))
    assert fitted.ranking_ and len(fitted.ranking_) == 113
    assert set(fitted.model_.strip("[]").split(" + ")) == {"EXH*ABA*OSCE", "EXH*HRW", "OSCE*HRW"}
    assert fitted.estimate_ == pytest.approx(10356.5, abs=0.5)
    assert fitted.bic_ == pytest.approx(203.03, abs=0.01)
    assert (fitted.deviance_, fitted.df_) == (pytest.approx(9.323, abs=0.001), 4)
    # Published 95% interval 9,002-12,122: the profile interval is within 1% of both ends.
    assert fitted.lower_ == pytest.approx(9002, rel=0.01) and fitted.upper_ == pytest.approx(12122, rel=0.01)


def test_a_model_written_by_hand_gives_the_same_fit():
    fitted = LogLinear(model="[ABA*EXH*OSCE + EXH*HRW + OSCE*HRW]").fit(table("kosovo_1999_4lists.csv"))
    assert fitted.estimate_ == pytest.approx(10356.5, abs=0.5)
    independence = LogLinear(model="[]", interval="wald").fit(table("kosovo_1999_4lists.csv"))
    assert independence.estimate_ == pytest.approx(7394.6, abs=0.1)
    assert independence.lower_ < independence.estimate_ < independence.upper_


def test_model_counts_for_three_four_and_five_lists():
    assert [len(hierarchical_models(J)) for J in (3, 4, 5)] == [8, 113, 6893]


def test_hiv_rome_minimum_bic_standard_model_is_mt():
    hiv = table("hiv_rome_4lists.csv")
    standard = {"Mt": LogLinear(model="[]", interval="wald").fit(hiv)}
    for kind in ("chao", "poisson2", "darroch", "gamma3.5"):
        for time_effects in (True, False):
            label = f"{'Mth' if time_effects else 'Mh'} {kind}"
            standard[label] = LogLinear(heterogeneity=kind, time_effects=time_effects, interval="wald").fit(hiv)
    best = min(standard, key=lambda k: standard[k].bic_)
    assert best == "Mt" and standard["Mt"].estimate_ == pytest.approx(11125, abs=1)
    # Chao's lower bound is below the other heterogeneity models.
    assert standard["Mth chao"].estimate_ < min(standard[f"Mth {k}"].estimate_ for k in ("poisson2", "darroch", "gamma3.5"))


def test_allegheny_minimum_bic_hierarchical_model():
    fitted = LogLinear().fit(table("lesbian_allegheny_4lists.csv"))
    names = set(fitted.model_.strip("[]").split(" + "))
    assert names == {"A*B", "A*D", "B*C", "B*D", "C*D"}  # Rcapture: [12,14,23,24,34]
    assert fitted.estimate_ == pytest.approx(6349, abs=1)


@pytest.mark.parametrize("model, outcome", [
    ("[A*B]", "does not exist"),
    ("[A*B + A*C + B*C]", "not identifiable"),
    ("[]", None), ("[A*C]", None), ("[B*C]", None),
])
def test_the_artificial_table_shows_each_existence_and_identifiability_case(model, outcome):
    artificial = table("artificial_3lists_identifiability.csv")
    if outcome is None:
        assert LogLinear(model=model).fit(artificial).estimate_ > artificial.observed
    else:
        with pytest.raises(EstimationError, match=outcome):
            LogLinear(model=model).fit(artificial)


def test_search_skips_models_that_cannot_be_estimated_and_says_so():
    fitted = LogLinear().fit(table("artificial_3lists_identifiability.csv"))
    assert fitted.skipped_ and all("exist" in s["reason"] or "identifiable" in s["reason"] for s in fitted.skipped_)
    assert fitted.to_dict()["models_skipped"] == len(fitted.skipped_)


def test_stepwise_two_list_effects_improve_the_criterion():
    kosovo = table("kosovo_1999_4lists.csv")
    stepwise = LogLinear(model="stepwise").fit(kosovo)
    independence = LogLinear(model="[]").fit(kosovo)
    assert stepwise.bic_ < independence.bic_ and "*" in stepwise.model_
