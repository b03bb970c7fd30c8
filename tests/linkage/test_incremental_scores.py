"""Incremental runs score and train in NumPy: the weights must equal Splink's, the EM Splink's EM."""

from __future__ import annotations

import copy

import numpy as np
import pyarrow as pa
import pytest

from mingdan.demo import demo_lists
from mingdan.ingest.importer import import_file
from mingdan.linkage import incremental
from mingdan.linkage.blocking import add_blocking_columns
from mingdan.linkage.frame import frame_table
from mingdan.linkage.model import train_and_predict
from mingdan.simulate import SimulationSettings, simulate_case, write_case


@pytest.fixture
def trained(case, tmp_path):
    """A simulated case of five lists, its frame (the fifth list new) and a model trained on it."""
    write_case(simulate_case(SimulationSettings(seed=5, people=500)), tmp_path / "sim")
    lists = demo_lists(tmp_path / "sim")
    for path, mapping in lists:
        import_file(case, path, mapping_path=mapping)
    # The columns the saved blocking rules read; a tiny budget makes some names "common", so the rules that
    # pair a common name with a place, an age or a date find pairs too.
    frame, _ = add_blocking_columns(frame_table(), budget=1, min_block=3)
    linker, _ = train_and_predict(frame, threshold=0.2)
    model = linker.misc.save_model_to_json()
    newest = frame["source"].to_pylist()[-1]
    is_new = [int(source == newest) for source in frame["source"].to_pylist()]
    return frame.append_column("is_new", pa.array(is_new, pa.int64())), model


def splink_pairs(frame, model, rule):
    from splink import Linker

    from mingdan.linkage.engines import database_api
    from mingdan.linkage.model import scored_pairs

    settings = copy.deepcopy(model)
    settings["blocking_rules_to_generate_predictions"] = [{"blocking_rule": rule, "sql_dialect": "duckdb"}]
    return linker_of(frame, settings), scored_pairs(linker_of(frame, settings).inference.predict())


def linker_of(frame, settings):
    """A Splink linker as `mingdan link` makes one: with mingdan's term frequencies (other people's names)."""
    from splink import Linker

    from mingdan.linkage.engines import database_api
    from mingdan.linkage.frequencies import register_frequencies

    api = database_api("duckdb")
    linker = Linker(api.register(frame), settings, log_level=40)
    register_frequencies(linker, api, frame, settings)
    return linker


def arrays(model, pairs):
    gammas = {c["output_column_name"]: pairs[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in model["comparisons"]}
    return gammas, pairs["mw_tf_adj_name"].to_numpy().astype(np.float64)


def test_numpy_weights_equal_splinks(trained):
    frame, model = trained
    _, pairs = splink_pairs(frame, model, incremental.training_rule(1).split(" AND ((")[0])
    assert pairs.num_rows > 5000
    gammas, tf = arrays(model, pairs)
    weight, parts = incremental.match_weights(model, gammas, tf)
    # Splink's per-field weights are kept as 32-bit floats; the totals are 64-bit.
    assert np.abs(weight - pairs["match_weight"].to_numpy()).max() < 1e-4
    assert np.abs(incremental.probability(weight) - pairs["match_probability"].to_numpy()).max() < 1e-6
    for name, part in parts.items():
        assert np.abs(part - pairs[f"mw_{name}"].to_numpy()).max() < 1e-4, name


def test_numpy_em_equals_splinks_em(trained, monkeypatch):
    from mingdan.linkage.model import floor_m_probabilities

    frame, model = trained
    rule = incremental.training_rule(incremental.training_sample(frame))
    linker, pairs = splink_pairs(frame, model, rule)
    assert pairs.num_rows > 500
    # Both run to convergence: where m moves far (0.24 -> 0.45 for "same characters" here), ten steps stop
    # the two implementations at different points of the same path.
    monkeypatch.setattr(incremental, "MAX_ITERATIONS", 60)
    # Splink's EM alone: the trained m counted beside the new pairs (TRAINED_PAIRS) is mingdan's own addition.
    monkeypatch.setattr(incremental, "TRAINED_PAIRS", 0)
    start = copy.deepcopy(model)
    start["max_iterations"] = incremental.MAX_ITERATIONS
    from splink import Linker

    from mingdan.linkage.engines import database_api

    session = linker_of(frame, start)
    session.training.estimate_parameters_using_expectation_maximisation(rule)
    by_splink = floor_m_probabilities(session.misc.save_model_to_json())
    gammas, tf = arrays(model, pairs)
    by_numpy = incremental.refresh_m(model, gammas, tf)
    changed = 0
    for ours, theirs, before in zip(by_numpy["comparisons"], by_splink["comparisons"], model["comparisons"]):
        for a, b, c in zip(ours["comparison_levels"], theirs["comparison_levels"], before["comparison_levels"]):
            trained_by_splink = isinstance(b.get("m_probability"), float)
            assert ("m_probability" in a) == ("m_probability" in b)
            if trained_by_splink:
                # The same algorithm; Splink's own stopping rule and float handling differ in the third decimal.
                assert a["m_probability"] == pytest.approx(b["m_probability"], abs=0.01), ours["output_column_name"]
                changed += abs(a["m_probability"] - c["m_probability"]) > 1e-3
    assert changed > 0  # the refresh did move m: the comparison is not of two unchanged models
    assert by_numpy["probability_two_random_records_match"] == model["probability_two_random_records_match"]


def test_a_refresh_on_few_pairs_stays_near_the_trained_m(trained, monkeypatch):
    # A new list with few training pairs re-estimated m from a handful: an age within a year weighed -3.4 bits in an
    # incremental run, +3.2 in a full one (an outside tester). The trained m counts as TRAINED_PAIRS pairs beside them.
    frame, model = trained
    _, pairs = splink_pairs(frame, model, incremental.training_rule(incremental.training_sample(frame)))
    gammas, tf = arrays(model, pairs)
    few = np.arange(pairs.num_rows) < 6
    gammas, tf = {k: v[few] for k, v in gammas.items()}, tf[few]

    def moved(refreshed) -> float:
        return max(abs(a.get("m_probability", 0) - b.get("m_probability", 0))
                   for ours, before in zip(refreshed["comparisons"], model["comparisons"])
                   for a, b in zip(ours["comparison_levels"], before["comparison_levels"]))

    kept = moved(incremental.refresh_m(model, gammas, tf))
    monkeypatch.setattr(incremental, "TRAINED_PAIRS", 0)
    alone = moved(incremental.refresh_m(model, gammas, tf))
    assert alone > 0.2 and kept < alone / 4, (kept, alone)


def test_levels_from_duckdb_equal_splinks(trained):
    """The incremental run's own query finds the same pairs, rules and levels as Splink's predict."""
    from splink import Linker

    from mingdan.linkage.engines import database_api
    from mingdan.linkage.levels import comparison_levels
    from mingdan.linkage.model import scored_pairs

    frame, model = trained
    settings = copy.deepcopy(model)
    sample = incremental.training_sample(frame)
    predicting = settings["blocking_rules_to_generate_predictions"]
    # Ours joins only the new records to the case; Splink reads the same limits written into each rule.
    rules = incremental.new_pair_rules(predicting, sample, "duckdb", one_sided=True)
    settings["blocking_rules_to_generate_predictions"] = incremental.new_pair_rules(predicting, sample, "duckdb",
                                                                                  one_sided=False)
    assert any(rule.get("arrays_to_explode") for rule in rules)  # the exploded sound readings are covered
    ours = comparison_levels(frame, settings, rules).sort_by([("unique_id_l", "ascending"), ("unique_id_r", "ascending")])
    linker = linker_of(frame, settings)
    theirs = scored_pairs(linker.inference.predict(), extra=("match_key",)).sort_by(
        [("unique_id_l", "ascending"), ("unique_id_r", "ascending")])
    assert ours.num_rows == theirs.num_rows > 1000
    found_by = set(theirs["match_key"].to_pylist())
    # Pairs of the names alone, of common names with another field, of misspellings and of the training rule are all
    # compared.
    assert found_by == {0, 1, 2, len(rules) - 1}, found_by
    for column in ("unique_id_l", "unique_id_r", "match_key", *(f"gamma_{c['output_column_name']}" for c in model["comparisons"])):
        assert ours[column].to_pylist() == theirs[column].to_pylist(), column
    assert np.abs(ours["mw_tf_adj_name"].to_numpy() - theirs["mw_tf_adj_name"].to_numpy()).max() < 1e-5


def test_scores_from_duckdb_equal_splinks_predict(trained):
    """`mingdan link` scores with its own query (levels.scored_above): the same pairs above the threshold, the same
    probabilities, levels and per-field weights as Splink's predict."""
    from mingdan.linkage.levels import scored_above
    from mingdan.linkage.model import scored_pairs

    frame, model = trained
    rules = model["blocking_rules_to_generate_predictions"]
    order = [("unique_id_l", "ascending"), ("unique_id_r", "ascending")]
    ours = scored_above(frame, model, rules, 0.2).sort_by(order)
    theirs = scored_pairs(linker_of(frame, model).inference.predict(threshold_match_probability=0.2)).sort_by(order)
    assert ours.num_rows == theirs.num_rows > 300
    assert ours["unique_id_l"].to_pylist() == theirs["unique_id_l"].to_pylist()
    assert ours["unique_id_r"].to_pylist() == theirs["unique_id_r"].to_pylist()
    assert set(theirs.column_names) <= set(ours.column_names)
    for column in theirs.column_names:
        difference = np.abs(ours[column].to_numpy().astype(float) - theirs[column].to_numpy().astype(float)).max()
        assert difference < 1e-5, column
    # Below the threshold nothing is kept; with none, every blocked pair.
    assert (ours["match_probability"].to_numpy() >= 0.2).all()
    assert scored_above(frame, model, rules, 0.0).num_rows > ours.num_rows


def test_the_floor_of_m_never_makes_evidence_of_a_level_no_pair_showed():
    # A level EM never saw between records of one person (m 0) and seldom between others (u 4e-6) weighed +11.6 bits
    # from the floor alone (an outside tester); a disagreement EM drove to 0 is still raised, never a veto.
    from mingdan.linkage.model import floor_m_probabilities

    model = {"comparisons": [{"output_column_name": "event", "comparison_levels": [
        {"sql_condition": "a", "m_probability": 0.79, "u_probability": 0.19},
        {"sql_condition": "b", "m_probability": 0.21, "u_probability": 0.23},
        {"sql_condition": "c", "m_probability": 0.0, "u_probability": 4e-6},
        {"sql_condition": "d", "m_probability": 0.0, "u_probability": 0.58}]}]}
    levels = floor_m_probabilities(model)["comparisons"][0]["comparison_levels"]
    assert abs(np.log2(levels[2]["m_probability"] / levels[2]["u_probability"])) < 0.1
    assert np.log2(levels[3]["m_probability"] / levels[3]["u_probability"]) == pytest.approx(np.log2(0.01 / 0.58), abs=0.1)
    assert sum(level["m_probability"] for level in levels) == pytest.approx(1.0)


def test_queries_of_one_database_keep_their_own_tables():
    """An incremental run's queries share one DuckDB database (model.one_database): each still reads only the frame it
    registered, and its temporary tables go with it."""
    from mingdan.linkage.model import connect, one_database

    with one_database():
        first, second = connect(), connect()
        first.register("frame", pa.table({"unique_id": [1, 2]}))
        second.register("frame", pa.table({"unique_id": [7]}))
        first.execute("CREATE TEMP TABLE keyed AS SELECT unique_id FROM frame")
        assert first.sql("SELECT SUM(unique_id) FROM keyed").fetchall() == [(3,)]
        assert second.sql("SELECT SUM(unique_id) FROM frame").fetchall() == [(7,)]
        assert second.sql("SELECT current_setting('preserve_insertion_order')").fetchall() == [(False,)]
        first.close()
        third = connect()
        with pytest.raises(Exception, match="keyed"):
            third.sql("SELECT * FROM keyed").fetchall()
        second.close()
        third.close()
    alone = connect()
    assert alone.sql("SELECT current_setting('preserve_insertion_order')").fetchall() == [(False,)]
    alone.close()
