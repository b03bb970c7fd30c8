"""The Splink model: comparisons that understand Chinese names, blocking rules, training and scoring."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import duckdb
from duckdb.sqltypes import INTEGER, VARCHAR

from mingdan.names import compare_names

if TYPE_CHECKING:
    import pyarrow as pa

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


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection; name_level is registered for models saved before names were compared in SQL."""
    connection = duckdb.connect(":memory:")
    # DuckDB would take 80% of the machine's memory before spilling; a million records' pairs
    # must fit beside the Python process (the scale target is 4 GB in all).
    connection.execute(f"SET memory_limit = '{os.environ.get('MINGDAN_DUCKDB_MEMORY', '1.5GB')}'")
    connection.execute(f"SET temp_directory = '{tempfile.gettempdir()}/mingdan-duckdb'")
    connection.execute("SET preserve_insertion_order = false")
    # Such a model (in a case linked before 2026-11-29) calls the Python comparison per pair; it still
    # scores correctly, only slower. A full `mingdan link` retrains with the SQL levels.
    connection.create_function("name_level", name_level, [VARCHAR, VARCHAR],
                               INTEGER, null_handling="special", side_effects=False)
    return connection


#: SQL for the graded name comparison, per engine: the same tests compare_names makes, on the
#: frame's precomputed name columns, so no pair calls back into Python.
_SQL = {
    "duckdb": {"overlap": "list_has_any({a}, {b})", "jaro_winkler": "jaro_winkler_similarity({a}, {b})",
               "contains": "list_contains({a}, {b})", "length": "len({a})"},
    "spark": {"overlap": "arrays_overlap({a}, {b})", "jaro_winkler": "jaro_winkler({a}, {b})",
              "contains": "array_contains({a}, {b})", "length": "size({a})"},
}


def name_level_sql(dialect: str = "duckdb") -> dict[int, str]:
    """Per level of mingdan.names.Level above DIFFERENT, the SQL condition that is true iff compare_names reaches it.

    Splink tries the levels best first, so each condition may assume the ones before it failed.
    """
    sql = _SQL[dialect]
    both = "name_comparable_l AND name_comparable_r"
    same_pinyin = ("(pinyin_key_l = pinyin_key_r"
                   " OR (NOT name_order_known_l AND pinyin_swapped_l = pinyin_key_r)"
                   " OR (NOT name_order_known_r AND pinyin_key_l = pinyin_swapped_r)"
                   " OR (NOT name_order_known_l AND NOT name_order_known_r AND pinyin_swapped_l = pinyin_swapped_r))")
    one_syllable_apart = (
        "(surname_plain_l = surname_plain_r AND length(given_plain_l) > 1 AND length(given_plain_r) > 1"
        " AND abs(length(given_plain_l) - length(given_plain_r)) <= 3"
        " AND (substr(given_plain_l, 1, 2) = substr(given_plain_r, 1, 2)"
        " OR substr(given_plain_l, -2) = substr(given_plain_r, -2)))")
    jaro = sql["jaro_winkler"].format(a="pinyin_spaced_l", b="pinyin_spaced_r")
    return {
        4: "characters_key_l = characters_key_r",
        3: f"{both} AND name_deterministic_l AND name_deterministic_r AND {same_pinyin}",
        2: f"{both} AND {sql['overlap'].format(a='sound_readings_l', b='sound_readings_r')}",
        1: f"{both} AND ({jaro} >= 0.88 OR {one_syllable_apart})",
    }


#: Most readings a name may have for a shared reading to count as "same sound" rather than as a
#: spelling many names share ("Chan Tai Man" has dozens, "Ch'en Ta-wen" a few).
SPECIFIC_READINGS = 8
#: Days by which two dates of one custody or death history may stand apart and still be "close".
TIMELINE_DAYS = 31
#: Days by which two dates of one event may stand apart and still be "the same dates".
SAME_DAYS = 1


def _dates_within(days: int) -> str:
    return f"event_start_l <= event_end_r + {days} AND event_start_r <= event_end_l + {days}"


def _comparisons(raw_names: bool, dialect: str) -> list:
    """Names, sex, age as ranges, places by gazetteer level, events on one timeline, occupation."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    sql = _SQL[dialect]
    conditions = name_level_sql(dialect)
    name_levels = [cll.NullLevel("name")]
    for label, level in NAME_LEVELS:
        if raw_names:
            # The baseline: the same model fed the raw strings (only identical text is "same").
            if level == 4:
                name_levels.append(cll.ExactMatchLevel("name").configure(label_for_charts=label))
            continue
        if level == 2:
            # A shared reading says more when the spellings allow few readings (pinyin, Wade-Giles) than when
            # one side is a Hong Kong spelling that many characters share (Wong, Man, Kin): its own level.
            few = " AND ".join(f"{sql['length'].format(a=c)} <= {SPECIFIC_READINGS}"
                               for c in ("sound_readings_l", "sound_readings_r"))
            name_levels.append(cll.CustomLevel(f"{conditions[level]} AND {few}", label_for_charts=label))
            label = "same sound, a spelling many names share"
        name_levels.append(cll.CustomLevel(conditions[level], label_for_charts=label))
        if level == 4:
            # Common names (王伟) say less than rare ones: term frequencies of the pinyin.
            name_levels.append(cll.ExactMatchLevel("pinyin_key").configure(
                tf_adjustment_column="pinyin_key", tf_adjustment_weight=1.0, label_for_charts="same pinyin reading"))
    name_levels.append(cll.ElseLevel())
    within = " OR ".join((sql["contains"].format(a="place_lineage_r", b="place_key_l"),
                          sql["contains"].format(a="place_lineage_l", b="place_key_r")))
    from .lists import same_list_comparison

    return [
        cl.CustomComparison(output_column_name="name", comparison_levels=name_levels,
                            comparison_description="names in any script or romanization"),
        cl.ExactMatch("sex"),
        cl.CustomComparison(output_column_name="age", comparison_levels=[
            cll.NullLevel("age_low"),
            # Ages are ranges ("约40" is 35 to 45): they agree when the ranges meet, give or take a year.
            cll.CustomLevel("age_low_l <= age_high_r + 1 AND age_low_r <= age_high_l + 1",
                            label_for_charts="within a year"),
            cll.CustomLevel("age_low_l <= age_high_r + 5 AND age_low_r <= age_high_l + 5",
                            label_for_charts="within 5 years"),
            cll.ElseLevel(),
        ]),
        cl.CustomComparison(output_column_name="place", comparison_levels=[
            # Missing, or one place known to the gazetteer and one not: no evidence either way.
            cll.CustomLevel("place_key_l IS NULL OR place_key_r IS NULL OR "
                            "(substr(place_key_l, 1, 1) = '~') <> (substr(place_key_r, 1, 1) = '~')",
                            label_for_charts="missing or not comparable").configure(is_null_level=True),
            cll.CustomLevel("place_key_l = place_key_r", label_for_charts="same place"),
            cll.CustomLevel(within, label_for_charts="one within the other"),
            cll.CustomLevel(sql["overlap"].format(a="place_district_l", b="place_district_r"),
                            label_for_charts="same district"),
            cll.CustomLevel(sql["overlap"].format(a="place_city_l", b="place_city_r"), label_for_charts="same city"),
            cll.ElseLevel(),
        ]),
        cl.CustomComparison(output_column_name="event", comparison_levels=[
            cll.NullLevel("event_type"),
            # Dates as intervals, a day either way: the night of 3-4 June is written either day.
            cll.CustomLevel(f"event_type_l = event_type_r AND {_dates_within(SAME_DAYS)}",
                            label_for_charts="same event, same dates"),
            cll.CustomLevel(f"event_type_l = event_type_r AND {_dates_within(TIMELINE_DAYS)}",
                            label_for_charts="same event, dates close"),
            # One custody history (detained, then arrested) or one death (injured, died of wounds).
            cll.CustomLevel(f"event_family_l = event_family_r AND {_dates_within(TIMELINE_DAYS)}",
                            label_for_charts="one history, dates close"),
            cll.CustomLevel("event_family_l = event_family_r", label_for_charts="same event or one history, "
                                                                              "dates apart or unknown"),
            cll.ElseLevel(),
        ]),
        cl.ExactMatch("occupation"),
        # "13 years" in two lists is evidence; a custody list gives little else (name, event, date).
        cl.ExactMatch("sentence"),
        same_list_comparison(),
    ]


def settings(raw_names: bool = False, dialect: str = "duckdb") -> dict:
    """The declarative Splink settings (dedupe across and within every list) in the engine's SQL dialect."""
    from splink import SettingsCreator, block_on

    from .blocking import blocking_rules

    if raw_names:
        # The baseline blocks on the raw fields as the model did before names were read.
        blocking = [block_on("name", "place_key"), block_on("name", "age")]
    else:
        blocking = blocking_rules(dialect)
    return SettingsCreator(
        link_type="dedupe_only", comparisons=_comparisons(raw_names, dialect),
        blocking_rules_to_generate_predictions=blocking,
        retain_intermediate_calculation_columns=True, retain_matching_columns=True,
        unique_id_column_name="unique_id", additional_columns_to_retain=["source", "record_id"],
    )


#: Most pairs one EM pass compares; beyond it Splink samples records by a hash of their id.
EM_MAX_PAIRS = 3e6
#: Below this many records EM has too few pairs of one person to learn ~25 probabilities from:
#: the documented priors (priors.py) are used instead, and the run says so.
MIN_RECORDS_TO_TRAIN = 300


@dataclass
class Trained:
    """How the model's parameters were found, for the run's output."""

    method: str  # "em" or "priors"
    note: str


def train_and_predict(frame: "list[dict] | pa.Table", raw_names: bool = False, threshold: float = 0.05, seed: int = 1,
                      engine: str = "duckdb", trained: list | None = None):
    """Train by EM without labels (or take the priors for a small case), then score the blocked pairs;
    returns (linker, scored pairs as Arrow). `trained`, if given, receives a Trained saying which."""
    from splink import Linker

    from .blocking import add_blocking_columns
    from .engines import database_api
    from .priors import model_with_priors

    api = database_api(engine)
    table = as_table(frame)
    if not raw_names:
        table, _ = add_blocking_columns(table)
    data = api.register(table)
    records = table.num_rows
    model, how = None, None
    from .candidate_em import EM_RECORDS

    if records > EM_RECORDS and not raw_names and engine == "duckdb":
        model, how = _train_on_candidates(data, table, seed)
    elif records >= MIN_RECORDS_TO_TRAIN:
        model = _train(data, raw_names, engine, seed)
        if model is not None and engine == "duckdb":
            model = refine_u_and_prior(table, floor_m_probabilities(model), seed=seed)
        how = Trained("em", f"trained without labels (EM) on {records:,} records")
    if model is None:
        creator = settings(raw_names, dialect=engine)
        model = model_with_priors(Linker(data, creator, log_level=40).misc.save_model_to_json(), records)
        how = Trained("priors", f"{records:,} records are too few to train on (fewer than {MIN_RECORDS_TO_TRAIN:,}):"
                                f" the documented priors were used (docs/linkage.md, Small cases)")
    if trained is not None:
        trained.append(how)
    if not raw_names:
        from .frequencies import by_frequency

        # After training: EM learns m and u of the levels as before; only the scores weigh each name's frequency.
        model = by_frequency(model)
    linker = Linker(data, never_above_u(floor_m_probabilities(model)), log_level=40)
    if not raw_names and engine == "duckdb":
        from .levels import Unsupported, scored_above

        saved = linker.misc.save_model_to_json()
        try:
            # The same scores as Splink's predict (tests check it) in one query: 102 s instead of 230 s at a million.
            return linker, scored_above(table, saved, saved["blocking_rules_to_generate_predictions"], threshold)
        except Unsupported:
            pass
    if not raw_names:
        from .frequencies import register_frequencies

        register_frequencies(linker, api, table, model)
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    return linker, scored_pairs(predictions)


#: Random pairs the u probabilities and the prior are re-estimated on, and how many EM steps.
U_PAIRS = 300_000
U_STEPS = 3


def refine_u_and_prior(frame: "pa.Table", model: dict, pairs: int = U_PAIRS, steps: int = U_STEPS,
                       seed: int = 1) -> dict:
    """u and the prior re-estimated by EM on random pairs, each pair counted as a non-match by 1 - its
    match probability.

    Splink counts u on random pairs as if none were a match. Where lists overlap heavily and a
    field is often missing, the few random pairs that are one person make up most of the pairs
    that share a rare name, so u for "same characters" came out about 18 times too high on the blind
    generator's lists (1.0e-4 where 6e-6 of different people share characters) and the prior about
    half the truth: names, the field lists always give, counted for too little. This is the EM
    step for u and the prior that Splink leaves out (tf adjustments aside).
    """
    import numpy as np
    import pyarrow as pa

    from .incremental import match_weights, probability
    from .levels import Unsupported, comparison_levels

    records = frame.num_rows
    buckets = max(1, int(records * (records - 1) / 2 / pairs))
    chosen = np.random.default_rng(seed).integers(0, buckets, records)
    columns = [c for c in frame.column_names if not c.startswith(("name_small", "name_big", "name_with"))]
    sampled = frame.select(columns).append_column("u_bucket", pa.array(chosen, pa.int64()))
    try:
        levels = comparison_levels(sampled, model, [{"blocking_rule": "l.u_bucket = r.u_bucket"}])
    except Unsupported:
        return model
    if levels.num_rows < 1000:
        return model
    gammas = {c["output_column_name"]: levels[f"gamma_{c['output_column_name']}"].to_numpy().astype(np.int64)
              for c in model["comparisons"]}
    for _ in range(steps):
        weight, _ = match_weights(model, gammas, np.zeros(levels.num_rows))
        match = probability(weight)
        apart = 1.0 - match
        for comparison in model["comparisons"]:
            gamma = gammas[comparison["output_column_name"]]
            seen = apart[gamma >= 0].sum()
            values = [(value, level) for value, level in _numbered(comparison) if value >= 0]
            for value, level in values:
                # Half a pair added to every level: a level no different pair showed is rare, not impossible.
                level["u_probability"] = float((apart[gamma == value].sum() + 0.5) / (seen + 0.5 * len(values)))
        model["probability_two_random_records_match"] = float(min(max(match.mean(), 1e-9), 0.5))
    return model


def never_above_u(model: dict) -> dict:
    """A term-frequency adjusted level is weakened for a name other people share, never made stronger than
    its own u: a name no list holds twice says what the level says (frequencies.term_frequency_sql)."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("tf_adjustment_column") and level.get("u_probability"):
                level["tf_minimum_u_value"] = level["u_probability"]
    return model


def _numbered(comparison: dict):
    from .levels import numbered

    return numbered(comparison)


def _train_on_candidates(data, table: "pa.Table", seed: int) -> tuple[dict, Trained]:
    """u and a first prior from random pairs, then m and the prior by EM over sampled candidate pairs
    (candidate_em.py): Splink's EM passes sample records, and at this size keep too few true pairs."""
    from .candidate_em import learn_on_candidates
    from .frequencies import by_frequency
    from .priors import with_prior_m

    model = with_prior_m(_train(data, False, "duckdb", seed, em=False))
    model = refine_u_and_prior(table, floor_m_probabilities(model), seed=seed)
    model = learn_on_candidates(table, never_above_u(floor_m_probabilities(by_frequency(model))), seed=seed)
    sampled = model.pop("candidate_em", {}).get("sampled_pairs", 0)
    return model, Trained("em", f"trained without labels (EM) on {sampled:,} sampled candidate pairs of "
                                f"{table.num_rows:,} records")


def _train(data, raw_names: bool, engine: str, seed: int, em: bool = True) -> dict | None:
    """The model trained by EM, or None when EM cannot estimate it from these records."""
    from splink import Linker, block_on

    name_key = "pinyin_key" if not raw_names else "name"
    for max_iterations in (25, 8, 3):
        creator = settings(raw_names, dialect=engine)
        creator.max_iterations = max_iterations
        linker = Linker(data, creator, log_level=40)
        try:
            linker.training.estimate_probability_two_random_records_match(
                [block_on("characters_key", "event_family") if not raw_names else block_on("name", "event_type"),
                 block_on(name_key, "place_key")], recall=0.8)
            # Every sampled pair counts, in one chunk: Splink's early stop after a few chunks picks the
            # chunks by an engine's own hash, so DuckDB and Spark would learn different u.
            linker.training.estimate_u_using_random_sampling(max_pairs=3e5, seed=seed, min_count_per_level=None,
                                                             num_chunks=1)
            if not em:
                return linker.misc.save_model_to_json()
            # Each EM pass blocks on one feature and so trains the others: names first fixed, then free.
            for rule in (block_on(name_key), block_on("place_key", "event_type", "sex")):
                # Blocks grow with the square of the records: past EM_MAX_PAIRS a hash sample of records
                # stands for them (10,000 records stay whole; 100,000 gave 293 million pairs here).
                linker.training.estimate_parameters_using_expectation_maximisation(rule, max_pairs=EM_MAX_PAIRS)
            return linker.misc.save_model_to_json()
        except (ValueError, ZeroDivisionError) as error:
            # EM can drive a rarely seen level's m towards zero until Splink refuses it (below 1e-300);
            # fewer iterations stop it earlier; if even 3 fail, the case gets the priors.
            if "below the minimum allowed" not in str(error) and "probability" not in str(error):
                raise
    return None


def as_table(frame: "list[dict] | pa.Table") -> "pa.Table":
    """The frame as Arrow, whether it came as rows or already as a table."""
    import pyarrow as pa

    return frame if isinstance(frame, pa.Table) else pa.Table.from_pylist(frame)


def scored_pairs(predictions, extra: tuple[str, ...] = ()) -> "pa.Table":
    """The scored pairs as an Arrow table: ids, probability, weight, and each field's level and weight.

    Columnar, because a million records give millions of pairs, and a dict per pair would not fit.
    """
    names = [column.unquote().name for column in predictions.columns]
    wanted = [name for name in names
              if name in ("unique_id_l", "unique_id_r", "match_probability", "match_weight", "mw_tf_adj_name", *extra)
              or name.startswith(("gamma_", "mw_"))]
    # Levels fit a byte and per-field weights a float: a million records' pairs take half the memory.
    cast = {name: ("TINYINT" if name.startswith("gamma_") else "FLOAT") for name in wanted
            if name.startswith(("gamma_", "mw_"))}
    if "match_key" in wanted:
        cast["match_key"] = "INTEGER"  # Splink writes the blocking rule's index as text
    try:
        # Project in DuckDB: the names, sources and record ids it also holds never reach Python.
        relation = predictions.as_duckdbpyrelation()
    except NotImplementedError:  # Spark
        return predictions.as_pyarrow_table().select(wanted)
    return relation.project(", ".join(f'CAST("{name}" AS {cast[name]}) AS "{name}"' if name in cast
                                      else f'"{name}"' for name in wanted)).to_arrow_table()


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

