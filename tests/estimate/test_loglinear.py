"""Log-linear models reproduce the published analyses (Rcapture conventions)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.optimize import linprog

from mingdan.estimate import CaptureTable, EstimationError, LogLinear, TableError
from mingdan.estimate.glm import _rank, design, hierarchical_models, model_name, parse_model

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
    from mingdan.estimate.heterogeneity import STANDARD_MODELS, standard_models

    rows = {row["model"]: row for row in standard_models(table("hiv_rome_4lists.csv"))}
    assert list(rows) == list(STANDARD_MODELS) and not any("error" in row for row in rows.values())
    best = min(rows.values(), key=lambda row: row["bic"])
    assert best["model"] == "Mt" and best["N"] == pytest.approx(11125, abs=1)
    # M0 has one capture probability, Mt one per list: 13 and 10 degrees of freedom on 15 cells.
    assert (rows["M0"]["df"], rows["Mt"]["df"]) == (13, 10)
    # Chao's lower bound is below the other heterogeneity models, with or without list effects.
    for family in ("Mh", "Mth"):
        others = [rows[f"{family} {kind}"]["N"] for kind in ("poisson2", "darroch", "gamma3.5")]
        assert rows[f"{family} chao"]["N"] < min(others)


def test_chao_lower_bound_drops_negative_heterogeneity_terms():
    # On HIV Rome one of Mh Chao's two eta terms comes out negative: it is dropped, leaving 12 df, not 11.
    fitted = LogLinear(heterogeneity="chao", time_effects=False, interval="wald").fit(table("hiv_rome_4lists.csv"))
    assert fitted.df_ == 12 and (fitted.coef_[2:] >= 0).all()


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


def test_criterion_stepwise_two_list_effects_improve_the_criterion():
    kosovo = table("kosovo_1999_4lists.csv")
    stepwise = LogLinear(model="stepwise-criterion").fit(kosovo)
    independence = LogLinear(model="[]").fit(kosovo)
    assert stepwise.bic_ < independence.bic_ and "*" in stepwise.model_


def test_the_fast_rank_agrees_with_numpy_on_designs_restricted_to_some_cells():
    rng = np.random.default_rng(7)
    for J in (3, 4, 5):
        for terms in hierarchical_models(J)[::11]:
            X = design(J, terms)
            for keep in (rng.random(len(X)) < share for share in (0.4, 0.7, 0.9)):
                rows = np.ascontiguousarray(X[keep])
                assert _rank(rows) == np.linalg.matrix_rank(rows)


def _intercept_moves(X: np.ndarray, empty: np.ndarray) -> bool:
    """An independent oracle: does a recession direction (fixed on non-empty cells, not rising on empty ones) move the intercept?"""
    for sign in (1.0, -1.0):
        cost = np.zeros(X.shape[1])
        cost[0] = -sign
        result = linprog(cost, A_ub=X[empty], b_ub=np.zeros(empty.sum()), A_eq=X[~empty], b_eq=np.zeros((~empty).sum()),
                         bounds=[(-1, 1)] * X.shape[1], method="highs")
        if result.status == 0 and -result.fun > 1e-9:
            return True
    return False


def test_the_five_list_search_skips_exactly_the_models_whose_intercept_can_run_away():
    five = table("madigan_york_5lists_dga_example.csv")
    fitted = LogLinear(interval="wald").fit(five)
    assert len(fitted.ranking_) + len(fitted.skipped_) == 6893
    empty = five.counts[1:] == 0
    skipped = {s["model"] for s in fitted.skipped_}
    assert skipped, "this table's empty cells rule out some models"
    rng = np.random.default_rng(3)
    models = hierarchical_models(5)
    for index in rng.choice(len(models), 300, replace=False):
        terms = models[index]
        X = design(5, terms)
        assert (model_name(terms, five.lists) in skipped) == _intercept_moves(X, empty)
    for name in skipped:
        assert _intercept_moves(design(5, parse_model(name, five.lists)), empty)


@pytest.mark.parametrize("lists, patterns, counts, reason", [
    (["A"], [(1,)], [5], "at least 2 lists"),
    (["A", "B", "C"], [(1, 0, 0), (0, 1, 0)], [5, 3], "list C has no records"),
])
def test_tables_loglinear_cannot_use_are_refused_with_the_reason(lists, patterns, counts, reason):
    with pytest.raises(TableError, match=reason):
        LogLinear().fit(CaptureTable.from_patterns(lists, patterns, counts))


def test_repeated_list_names_are_refused():
    with pytest.raises(TableError, match="list names repeat"):
        CaptureTable.from_patterns(["A", "A"], [(1, 0)], [3])


def test_results_are_json_serialisable_and_the_wald_interval_brackets_the_estimate():
    import json

    fitted = LogLinear(model="[EXH*HRW]", interval="wald").fit(table("kosovo_1999_4lists.csv"))
    result = json.loads(json.dumps(fitted.to_dict()))
    assert result["lower"] < result["estimate"] < result["upper"] and result["observed"] == 4400
    assert result["model"] == "[EXH*HRW]" and len(result["table_sha256"]) == 64
    assert "EXH*HRW" in fitted.summary()
