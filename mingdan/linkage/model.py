"""The Splink model: comparisons that understand Chinese names, blocking rules, training and scoring."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

import duckdb
from duckdb.sqltypes import INTEGER, VARCHAR

from mingdan.names import compare_names

from .blocking import TYPO_SHORTEST

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


#: The database an incremental run's queries share (one_database), or None: each query opens its own.
_SHARED: ContextVar["duckdb.DuckDBPyConnection | None"] = ContextVar("mingdan_duckdb", default=None)


@contextmanager
def one_database() -> Iterator[None]:
    """Within it, connect() gives a cursor of one in-memory database opened once, its settings and functions made
    once; each cursor still has its own registered tables and temporary tables, dropped when it is closed.

    Opening a database and making its settings took 11-20 ms a query, 0.06 s of an incremental run's 1.3 s. A full
    run keeps a database per query: at a million records it was no faster shared (171 s against 160-178 s)."""
    connection = connect()
    token = _SHARED.set(connection)
    try:
        yield
    finally:
        _SHARED.reset(token)
        connection.close()


def connect() -> duckdb.DuckDBPyConnection:
    """A DuckDB connection; name_level is registered for models saved before names were compared in SQL."""
    shared = _SHARED.get()
    if shared is not None:
        return shared.cursor()
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
               "contains": "list_contains({a}, {b})", "length": "len({a})",
               "letters": "list_sort(string_split({a}, ''))",
               "differing": "len(list_filter(range(1, length({a}) + 1), lambda i: substr({a}, i, 1) <> substr({b}, i, 1)))"},
    "spark": {"overlap": "arrays_overlap({a}, {b})", "jaro_winkler": "jaro_winkler({a}, {b})",
              "contains": "array_contains({a}, {b})", "length": "size({a})",
              "letters": "array_sort(split({a}, ''))",
              "differing": "size(filter(sequence(1, length({a})), i -> substr({a}, i, 1) != substr({b}, i, 1)))"},
}


def name_level_sql(dialect: str = "duckdb") -> dict[int, str]:
    """Per level of mingdan.names.Level above DIFFERENT, the SQL condition that is true iff compare_names reaches it.

    Splink tries the levels best first, so each condition may assume the ones before it failed; names numbered
    apart (NUMBERED_APART) are a level of their own before these.
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
        1: f"{both} AND {_surnames_agree('surname', 'surname')} AND ({jaro} >= 0.88 OR {one_syllable_apart})",
    }


def _surnames_agree(left: str, right: str) -> str:
    """SQL true unless the left record's `left` part ("surname", or "given" where the order is not known) and the
    right's `right` part read as two different real surnames (Tan and Tang are two families). Whether a reading is a
    real surname is a frame column: a list of every surname written into the SQL made Splink slow to compile it."""
    return f"({left}_plain_l = {right}_plain_r OR NOT ({left}_known_l AND {right}_known_r))"


def one_letter_apart_sql(dialect: str = "duckdb") -> str:
    """SQL true iff a romanized name and another name have pinyin (either order where one's order is not known), or
    the romanized name's letters as typed and the other's pinyin, one letter apart, one inserted, left out or
    changed, or two swapped, and no two real surnames apart; the same in every engine (a misspelling,
    blocking.name_typo)."""
    sql = _SQL[dialect]

    def apart(a: str, b: str) -> str:
        # Letters only: the same letters cut into surname and given name otherwise (situ xin, si tuxin) are two names.
        a, b = f"replace({a}, ' ', '')", f"replace({b}, ' ', '')"
        distance = f"levenshtein({a}, {b})"
        letters = sql["letters"]
        # Two letters swapped: the same letters, differing at exactly two places (Jinaguo and Jainguo differ at three).
        # CASE, not AND: an engine may evaluate every operand of AND and OR, but only the branch a CASE takes, and
        # most pairs are many letters apart.
        swapped = (f"CASE WHEN length({a}) = length({b}) AND {distance} = 2 THEN {letters.format(a=a)} = "
                   f"{letters.format(a=b)} AND {sql['differing'].format(a=a, b=b)} = 2 ELSE false END")
        return (f"(CASE WHEN least(length({a}), length({b})) >= {TYPO_SHORTEST} AND {a} <> {b} THEN {distance} <= 1 "
                f"OR {swapped} ELSE false END)")

    def mended(readings: str, other: str) -> str:
        contains = sql["contains"].format(a=readings, b=f"replace({other}, ' ', '')")
        return f"(CASE WHEN {readings} IS NULL OR {other} IS NULL THEN false ELSE {contains} END)"

    def typed_apart(typed: str, other: str) -> str:
        # Most names have no typed letters of their own (NULL): the level is false, never NULL, without them.
        return f"(CASE WHEN {typed} IS NULL THEN false ELSE {apart(typed, other)} END)"

    # Typed letters only: two names in characters differ by a character, not a letter (王晓平, 王晓兵; rt41). A letter
    # apart between two real surnames is another surname (Fu and Xu, Li and Lu: an outside tester's pairs joined at
    # 0.89-0.995, rt41); into no surname (Zhnag) it is a slip.
    agree, agree_given_l, agree_given_r = (_surnames_agree("surname", "surname"), _surnames_agree("given", "surname"),
                                           _surnames_agree("surname", "given"))
    return ("name_comparable_l AND name_comparable_r AND (characters_key_l IS NULL OR characters_key_r IS NULL) AND ("
            + " OR ".join([
                f"({apart('pinyin_key_l', 'pinyin_key_r')} AND {agree})",
                # A romanized name's letters as typed where they are not its reading (NULL otherwise): a slip that
                # reads as other syllables (Huang Desheeng, "desiwu") is a letter from the other's pinyin so only.
                f"(({typed_apart('typed_key_l', 'pinyin_key_r')} OR {typed_apart('typed_key_r', 'pinyin_key_l')}) "
                f"AND {agree})",
                f"(NOT name_order_known_l AND {apart('pinyin_swapped_l', 'pinyin_key_r')} AND {agree_given_l})",
                f"(NOT name_order_known_r AND {apart('pinyin_key_l', 'pinyin_swapped_r')} AND {agree_given_r})",
                f"({typed_apart('typed_swapped_l', 'pinyin_key_r')} AND {agree_given_l})",
                f"({typed_apart('typed_swapped_r', 'pinyin_key_l')} AND {agree_given_r})",
                # A slip in a Wade-Giles or Hong Kong spelling (Hsaio for Hsiao) mended by one keystroke: one of its
                # readings is the other's pinyin (names.repair).
                mended("mended_readings_l", "pinyin_key_r"), mended("mended_readings_r", "pinyin_key_l")]) + ")")


#: Two names a list numbered apart ("Li Ming 1", "Li Ming 2"): different, however alike the rest reads.
NUMBERED_APART = ("(name_number_l IS NOT NULL AND name_number_r IS NOT NULL"
                  " AND name_number_l <> name_number_r)")
#: m and u of the level "numbered apart": a number mistyped by a list is taken as one in a hundred million, a pair
#: of different people as one in a hundred: -20 bits, more than every other field agreeing can make up.
NUMBERED_APART_M, NUMBERED_APART_U = 1e-8, 1e-2


#: Most readings a name may have for a shared reading to count as "same sound" rather than as a
#: spelling many names share ("Chan Tai Man" has dozens, "Ch'en Ta-wen" a few).
SPECIFIC_READINGS = 8
#: Days by which two dates of one custody or death history may stand apart and still be "close".
TIMELINE_DAYS = 31
#: Days by which two dates of one event may stand apart and still be "the same dates".
SAME_DAYS = 1


#: The widest a date may be, in days, and still be "the same dates" (a month: "June 1989" as lists write it): a
#: death dated only "1989" was "same event, same dates" with one on 4 June, +2.8 bits toward every namesake killed
#: that year, the very records that chain people together (an outside tester); it is now at most "dates close".
#: Three days instead of a month cost the blind generator's 100,000 records 0.003 of pairwise F1 (0.9128 -> 0.9100).
SAME_WIDTH = 31


def _dates_within(days: int, width: int | None = None) -> str:
    close = f"event_start_l <= event_end_r + {days} AND event_start_r <= event_end_l + {days}"
    return close if width is None else (f"{close} AND event_end_l - event_start_l <= {width} AND "
                                        f"event_end_r - event_start_r <= {width}")


def _comparisons(raw_names: bool, dialect: str) -> list:
    """Names, sex, age as ranges, places by gazetteer level, events on one timeline, occupation."""
    from .occupations import OCCUPATION_KINDS, OCCUPATION_PLACES, OCCUPATION_SAME

    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    sql = _SQL[dialect]
    conditions = name_level_sql(dialect)
    name_levels = [cll.NullLevel("name")]
    if not raw_names:
        # The list itself says these are two people (李明1, 李明2): fixed, never learnt from a case's few such pairs.
        name_levels.append(cll.CustomLevel(NUMBERED_APART, label_for_charts="numbered apart").configure(
            m_probability=NUMBERED_APART_M, u_probability=NUMBERED_APART_U, fix_m_probability=True,
            fix_u_probability=True))
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
        if level == 1:
            # A misspelt name (Li Linag, 李亮) before the looser "close": met only through blocking.name_typo.
            name_levels.append(cll.CustomLevel(one_letter_apart_sql(dialect), label_for_charts="one letter apart"))
        name_levels.append(cll.CustomLevel(conditions[level], label_for_charts=label))
        if level == 4:
            # Common names (王伟) say less than rare ones: term frequencies of the pinyin. One side written in
            # characters and the other in pinyin is how lists in two scripts name one person; two names in
            # different characters that read alike (王建华, 王剑华) are mostly two people: a level of its own
            # (at 30,000 records of the blind generator, 66% and 11% of such candidate pairs were one person).
            name_levels.append(cll.CustomLevel(
                "pinyin_key_l = pinyin_key_r AND (characters_key_l IS NULL OR characters_key_r IS NULL)").configure(
                tf_adjustment_column="pinyin_key", tf_adjustment_weight=1.0, disable_tf_exact_match_detection=True,
                label_for_charts="same pinyin reading"))
            name_levels.append(cll.CustomLevel("pinyin_key_l = pinyin_key_r",
                                               label_for_charts="same pinyin reading, other characters"))
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
            cll.CustomLevel(f"event_type_l = event_type_r AND {_dates_within(SAME_DAYS, SAME_WIDTH)}",
                            label_for_charts="same event, same dates"),
            cll.CustomLevel(f"event_type_l = event_type_r AND {_dates_within(TIMELINE_DAYS)}",
                            label_for_charts="same event, dates close"),
            # One custody history (detained, then arrested) or one death (injured, died of wounds).
            cll.CustomLevel(f"event_family_l = event_family_r AND {_dates_within(TIMELINE_DAYS)}",
                            label_for_charts="one history, dates close"),
            # A date one record does not give is missing, not apart: "killed" against "killed on 4 June" weighed -2 to
            # -3.7 bits with the dates apart, more than giving no event at all (an outside tester).
            cll.CustomLevel("event_family_l = event_family_r AND (event_start_l IS NULL OR event_start_r IS NULL)",
                            label_for_charts="same event or one history, a date not given"),
            cll.CustomLevel("event_family_l = event_family_r", label_for_charts="same event or one history, "
                                                                              "dates apart"),
            cll.ElseLevel(),
        ]),
        # The kind of work read in either script or English (工人, worker), not the words: compared as written it agreed
        # only within a list and weighed -1.6 bits at 5,000 records (occupations.py).
        cl.CustomComparison(output_column_name="occupation", comparison_levels=[  # occupations.OCCUPATION_SAME
            cll.CustomLevel(f"NOT ({OCCUPATION_KINDS}) AND NOT ({OCCUPATION_PLACES})").configure(is_null_level=True),
            cll.CustomLevel(OCCUPATION_SAME, label_for_charts="same occupation"),
            cll.ElseLevel(),
        ]),
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


#: Below this many records EM has too few pairs of one person to learn ~25 probabilities from:
#: the documented priors (priors.py) are used instead, and the run says so.
MIN_RECORDS_TO_TRAIN = 300


def on_priors(run) -> bool:
    """Whether a stored run scored with the priors of a small case: the full run whose model it has (itself, or the
    last full run before an incremental one, whose model it keeps) read fewer than MIN_RECORDS_TO_TRAIN records."""
    from mingdan.store.models import LinkRun

    full = run if run.mode == "full" else LinkRun.objects.filter(mode="full", pk__lt=run.pk).order_by("-pk").first()
    return full is not None and full.records < MIN_RECORDS_TO_TRAIN


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
        from .training import train_on_candidates

        model, how = train_on_candidates(data, table, seed)
    elif records >= MIN_RECORDS_TO_TRAIN:
        from .training import refine_u_and_prior, train

        model = train(data, raw_names, engine, seed)
        if model is not None and engine == "duckdb":
            model = refine_u_and_prior(table, floor_m_probabilities(model), seed=seed)
        how = Trained("em", f"trained without labels (EM) on {records:,} records")
    if model is None:
        creator = settings(raw_names, dialect=engine)
        model = model_with_priors(Linker(data, creator, log_level=40).misc.save_model_to_json(), records)
        if not raw_names and engine == "duckdb":
            from .priors import EVENT_KEY, by_event_frequency
            from .training import small_case_u

            model = small_case_u(table, model)
            if EVENT_KEY in table.column_names:
                model = by_event_frequency(model)
        how = Trained("priors", f"{records:,} records are too few to train on (fewer than {MIN_RECORDS_TO_TRAIN:,}):"
                                f" the documented priors were used (docs/linkage.md, Small cases)")
    if trained is not None:
        trained.append(how)
    if not raw_names:
        from .frequencies import by_frequency

        # After training: EM learns m and u of the levels as before; only the scores weigh each name's frequency.
        # A small case too: the frequency counts the people a name stands for within each list (two 李明 of one
        # list, 22 and 41, are two; one person's records in four lists are not four), so the priors' u of a name
        # no one else holds stays, and a name a list gives two people says less (an outside tester: the two 李明
        # were joined at 0.985).
        model = by_frequency(model)
    linker = Linker(data, never_above_u(floor_m_probabilities(model), None if raw_names else table), log_level=40)
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


def never_above_u(model: dict, table: "pa.Table | None" = None) -> dict:
    """A term-frequency adjusted level is weakened for a name other people share, never made stronger than
    its own u: a name no list holds twice says what the level says (frequencies.term_frequency_sql), for
    the pairs written so that they can reach the level (frequencies.written_share_sql: the floor is scaled
    as the frequencies are, so that every pair at the level gains the same, the unshared names too)."""
    from .frequencies import written_shares

    shares = written_shares(table) if table is not None else {}
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("tf_adjustment_column") and level.get("u_probability"):
                share = shares.get(level["tf_adjustment_column"], 1.0)
                level["tf_minimum_u_value"] = level["u_probability"] * share
    return model


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
        levels = [level for level in comparison["comparison_levels"]
                  if "m_probability" in level and not level.get("fix_m_probability")]
        fixed = sum(level["m_probability"] for level in comparison["comparison_levels"]
                    if "m_probability" in level and level.get("fix_m_probability"))
        # Raised to the floor, never past the level's u: a level EM never saw between records of one person, and
        # seldom between others (u 4e-6), weighed +11.6 bits from the floor alone (an outside tester).
        raised = [max(level["m_probability"], min(floor, level.get("u_probability") or floor)) for level in levels]
        total = sum(raised) / (1.0 - fixed)
        for level, value in zip(levels, raised):
            level["m_probability"] = value / total
    return model

