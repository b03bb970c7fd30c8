"""The Splink model: comparisons that understand Chinese names, blocking rules, training and scoring."""

from __future__ import annotations

from functools import lru_cache

import duckdb
from duckdb.sqltypes import INTEGER, VARCHAR

from mingdan.names import compare_names

#: Splink's comparison of names: one level per mingdan.names.Level, best first.
NAME_LEVELS = (
    ("same characters", 4),
    ("same pinyin", 3),
    ("same sound (another romanization)", 2),
    ("close", 1),
)


@lru_cache(maxsize=500_000)
def _name_level(a: str | None, b: str | None) -> int:
    if not a or not b:
        return -1
    return int(compare_names(a, b))


def name_level(a: str | None, b: str | None) -> int:
    """The graded name comparison as an integer, for SQL (symmetric, cached)."""
    return _name_level(*sorted((a or "", b or "")))


def connect(raw_names: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the name comparison registered as the SQL function name_level."""
    connection = duckdb.connect(":memory:")
    if raw_names:
        # The baseline: the same model fed the raw strings (only identical text is "same").
        connection.create_function("name_level", lambda a, b: -1 if not a or not b else (4 if a == b else 0),
                                   [VARCHAR, VARCHAR], INTEGER,
                                   null_handling="special", side_effects=False)
    else:
        connection.create_function("name_level", name_level, [VARCHAR, VARCHAR],
                                   INTEGER, null_handling="special", side_effects=False)
    return connection


def settings(raw_names: bool = False) -> dict:
    """The declarative Splink settings (dedupe across and within every list)."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    name_levels = [cll.NullLevel("name")]
    for label, level in NAME_LEVELS:
        name_levels.append(cll.CustomLevel(f"name_level(name_l, name_r) = {level}", label_for_charts=label))
        if level == 4 and not raw_names:
            # Common names (王伟) say less than rare ones: term frequencies of the pinyin.
            name_levels.append(cll.ExactMatchLevel("pinyin_key").configure(
                tf_adjustment_column="pinyin_key", tf_adjustment_weight=1.0, label_for_charts="same pinyin reading"))
    name_levels.append(cll.ElseLevel())
    comparisons = [
        cl.CustomComparison(output_column_name="name", comparison_levels=name_levels,
                            comparison_description="names in any script or romanization"),
        cl.ExactMatch("sex"),
        cl.CustomComparison(output_column_name="age", comparison_levels=[
            cll.NullLevel("age"),
            cll.CustomLevel("abs(age_l - age_r) <= 1", label_for_charts="within a year"),
            cll.CustomLevel("abs(age_l - age_r) <= 5", label_for_charts="within 5 years"),
            cll.ElseLevel(),
        ]),
        cl.ExactMatch("place_key"),
        cl.CustomComparison(output_column_name="event", comparison_levels=[
            cll.NullLevel("event_type"),
            cll.CustomLevel("event_type_l = event_type_r AND event_start_l <= event_end_r AND event_start_r <= event_end_l",
                            label_for_charts="same event, dates overlap"),
            cll.CustomLevel("event_type_l = event_type_r", label_for_charts="same event"),
            cll.ElseLevel(),
        ]),
        cl.ExactMatch("occupation"),
    ]
    key = "name" if raw_names else "pinyin_key"
    blocking = [block_on("characters_key"), block_on(key), block_on("sound_key", "place_key"),
                block_on("sound_key", "event_type", "age")]
    if not raw_names:
        blocking.insert(2, "l.pinyin_key = r.pinyin_swapped")
    return SettingsCreator(
        link_type="dedupe_only", comparisons=comparisons, blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=True, retain_matching_columns=True,
        unique_id_column_name="unique_id", additional_columns_to_retain=["source", "record_id"],
    )


def train_and_predict(frame: list[dict], raw_names: bool = False, threshold: float = 0.05, seed: int = 1):
    """Train by EM without labels, then score the blocked pairs; returns (linker, predictions as dicts)."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, block_on

    connection = connect(raw_names)
    api = DuckDBAPI(connection)
    table = pa.Table.from_pylist(frame)
    data = api.register(table)
    linker = Linker(data, settings(raw_names), log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("characters_key", "event_type"), block_on("pinyin_key" if not raw_names else "name", "place_key")],
        recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=seed)
    # Each EM pass blocks on one feature and so trains the others: names first fixed, then free.
    name_key = "pinyin_key" if not raw_names else "name"
    for rule in (block_on(name_key), block_on("place_key", "event_type", "sex")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    linker = Linker(data, floor_m_probabilities(linker.misc.save_model_to_json()), log_level=40)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return linker, predictions.as_record_list()


def floor_m_probabilities(model: dict, floor: float = 0.01) -> dict:
    """No level of a true match is impossible: one typo or misreported age lowers a match, never vetoes it.

    Unsupervised EM on clean-looking data drives some m probabilities to zero; real lists are
    not that clean, so every m is raised to at least `floor` and each comparison renormalised.
    """
    for comparison in model["comparisons"]:
        levels = [level for level in comparison["comparison_levels"] if "m_probability" in level]
        raised = [max(level["m_probability"], floor) for level in levels]
        total = sum(raised)
        for level, value in zip(levels, raised):
            level["m_probability"] = value / total
    return model


#: One new record in this many takes part in refreshing m (by record id, so runs are reproducible).
EM_SAMPLE = 8


def refresh_m_probabilities(frame: list[dict], model: dict) -> dict:
    """The trained model with its m probabilities re-estimated by EM on the pairs that involve a new record.

    A new source agrees with the others in its own ways (fields it lacks, how it writes names);
    the old model under-weights those patterns, and its true pairs fell into review. u (from
    random pairs) and the prior stay: they barely move when one list is added.
    """
    import copy

    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    start = copy.deepcopy(model)
    start["max_iterations"] = 10  # it starts from the trained values, so a few steps suffice
    linker = Linker(DuckDBAPI(connect()).register(pa.Table.from_pylist(frame)), start, log_level=40)
    # One pass, blocked on place, event and sex, re-trains the name comparison (where a new list
    # differs most) and age and occupation; blocking on the name too would double the cost, and
    # blocking on the surname's sound left F1 at 0.80 (measured, docs/benchmarks.md).
    # An eighth of the new records is enough to learn how the new list agrees, at an eighth of the cost.
    sampled = f"((l.is_new = 1 AND l.unique_id % {EM_SAMPLE} = 0) OR (r.is_new = 1 AND r.unique_id % {EM_SAMPLE} = 0))"
    linker.training.estimate_parameters_using_expectation_maximisation(
        f"l.place_key = r.place_key AND l.event_type = r.event_type AND l.sex = r.sex AND {sampled}")
    refreshed = linker.misc.save_model_to_json()
    refreshed["max_iterations"] = model.get("max_iterations", refreshed["max_iterations"])
    return floor_m_probabilities(refreshed)


def predict_new(frame: list[dict], model: dict, threshold: float = 0.05):
    """Score only the pairs that involve a new record (is_new = 1), the model's m refreshed on them."""
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    trained = refresh_m_probabilities(frame, model)
    for rule in trained["blocking_rules_to_generate_predictions"]:
        # New records against everyone; old pairs were scored by earlier runs and stay as they are.
        rule["blocking_rule"] = f"({rule['blocking_rule']}) AND (l.is_new = 1 OR r.is_new = 1)"
    api = DuckDBAPI(connect())
    data = api.register(pa.Table.from_pylist(frame))
    linker = Linker(data, trained, log_level=40)
    return linker, linker.inference.predict(threshold_match_probability=threshold).as_record_list()
