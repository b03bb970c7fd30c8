"""Comparison levels of blocked pairs in one DuckDB query, from a saved Splink model.

An incremental run scores a few thousand pairs with a model trained before. Splink would parse
the whole model again (sqlglot) and run its pipeline of tables, most of such a run's time. The
saved model already holds everything in SQL: the blocking rules (over l. and r.) and each
level's condition (over column_l and column_r). This module runs them as they are, with
Splink's numbering of levels and its term-frequency adjustment, and tests check the result
equals Splink's own on the same pairs (tests/linkage/test_incremental_scores.py).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa


class Unsupported(Exception):
    """The model uses something this module does not reproduce; Splink itself must score it."""


def comparison_levels(frame: "pa.Table", model: dict, rules: list[dict], counted: "pa.Table | None" = None,
                      frequencies: "dict[str, pa.Table] | None" = None) -> "pa.Table":
    """unique_id_l, unique_id_r, match_key (index of the first rule that found the pair), gamma_* per
    comparison and mw_tf_adj_<name> per term-frequency adjusted comparison, for every blocked pair.

    A rule may carry `either_side`, a condition on one record: then only pairs with such a record are blocked,
    and only those records are joined to the rest (incremental.new_pair_rules).

    counted: the records term frequencies are counted over (default: frame); a few groups of a case
    are scored with the frequencies of the whole case. frequencies: those counts made already
    (frequencies.frequency_table of each column), for a run that scores the same records several times."""
    return _run(_levels_sql(frame.column_names, model, rules, frequencies is not None), frame, counted, frequencies)


def scored_above(frame: "pa.Table", model: dict, rules: list[dict], threshold: float) -> "pa.Table":
    """The blocked pairs whose match probability is at least `threshold`, scored as Splink's predict scores
    them: ids, match_weight, match_probability, gamma_* (TINYINT) and mw_* (FLOAT) per comparison, and
    mw_tf_adj_<name>; computed and filtered in one DuckDB query, so the pairs below never reach Python.

    At a million records Splink's predict took 230 s for 37 million candidate pairs, most of it its
    pipeline of intermediate tables; this is the query comparison_levels runs, with the weights added
    (tests/linkage/test_incremental_scores.py checks both against Splink's own scores).
    """
    import math

    import numpy as np

    from .incremental import level_weights

    prior = model["probability_two_random_records_match"]
    parts, picked = [], []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        values = [value for value, _ in numbered(comparison) if value >= 0]
        table = level_weights(comparison, np.asarray(values, dtype=np.int64))
        cases = " ".join(f"WHEN {value} THEN {float(weight)!r}" for value, weight in zip(values, table))
        parts.append(f'(CASE "gamma_{name}" {cases} ELSE 0.0 END)')
        picked.append(f'CAST("gamma_{name}" AS TINYINT) AS "gamma_{name}", CAST({parts[-1]} AS FLOAT) AS "mw_{name}"')
    adjusted = [f"mw_tf_adj_{c['output_column_name']}" for c in model["comparisons"]
                if _tf_sql(c, "g") is not None]
    total = " + ".join([repr(math.log2(prior / (1 - prior))), *parts, *(f'COALESCE("{a}", 0.0)' for a in adjusted)])
    cut = math.log2(threshold / (1 - threshold)) if 0 < threshold < 1 else float("-inf")
    sql = (f"SELECT unique_id_l, unique_id_r, match_weight, 1.0 / (1.0 + pow(2.0, -match_weight)) AS match_probability, "
           f"{', '.join(picked)}{''.join(f', CAST(COALESCE({a}, 0.0) AS FLOAT) AS {a}' for a in adjusted)} "
           f"FROM (SELECT *, {total} AS match_weight FROM ({_levels_sql(frame.column_names, model, rules)})) "
           + (f"WHERE match_weight >= {cut!r}" if cut != float("-inf") else ""))
    return _run(sql, frame, None)


def _levels_sql(columns: list[str], model: dict, rules: list[dict], counted_already: bool = False) -> str:
    from .frequencies import term_frequency_sql

    tf_columns = sorted({level["tf_adjustment_column"] for c in model["comparisons"] for level in c["comparison_levels"]
                         if level.get("tf_adjustment_column")})
    blocked = " UNION ALL ".join(_blocking_sql(rule, index, columns) for index, rule in enumerate(rules))
    pick, tf_pick, tf_join, gammas, adjustments, tf_kept = _graded_parts(columns, model, tf_columns)
    tf_tables = "" if counted_already else "".join(f", tf_{c} AS ({term_frequency_sql(c, 'counted')})"
                                                   for c in tf_columns)
    return (f"WITH blocked AS (SELECT id_l, id_r, MIN(rule) AS match_key FROM ({blocked}) GROUP BY id_l, id_r)"
            f"{tf_tables}, pairs AS (SELECT b.id_l AS unique_id_l, b.id_r AS unique_id_r, b.match_key, {pick}{tf_pick} "
            f"FROM blocked b JOIN frame l ON l.unique_id = b.id_l JOIN frame r ON r.unique_id = b.id_r{tf_join}), "
            f"graded AS (SELECT unique_id_l, unique_id_r, match_key, "
            f"{', '.join(f'{case} AS {alias}' for alias, case in gammas)}{tf_kept} FROM pairs) "
            f"SELECT unique_id_l, unique_id_r, match_key, {', '.join(alias for alias, _ in gammas)}"
            f"{''.join(', ' + a for a in adjustments)} FROM graded")


def _run(sql: str, frame: "pa.Table", counted: "pa.Table | None",
         frequencies: "dict[str, pa.Table] | None" = None) -> "pa.Table":
    from .model import connect

    connection = connect()
    try:
        connection.register("frame", frame)
        connection.register("counted", frame if counted is None else counted)
        for column, table in (frequencies or {}).items():
            connection.register(f"tf_{column}", table)
        return connection.sql(sql).to_arrow_table()
    finally:
        connection.close()


def tf_adjustments(pairs: "pa.Table") -> dict[str, "np.ndarray"]:
    """Each comparison's term-frequency adjustment in bits (mw_tf_adj_<name>), NaN as 0: the name's and, in a small
    case, the event's (priors.by_event_frequency)."""
    import numpy as np

    return {column.removeprefix("mw_tf_adj_"): np.nan_to_num(
        pairs[column].to_numpy(zero_copy_only=False).astype(np.float64))
        for column in pairs.column_names if column.startswith("mw_tf_adj_")}


def tf_total(pairs: "pa.Table") -> "np.ndarray":
    """The pairs' term-frequency adjustments summed over the comparisons (tf_adjustments)."""
    import numpy as np

    return sum(tf_adjustments(pairs).values(), np.zeros(pairs.num_rows))


def tf_columns(model: dict) -> list[str]:
    """The columns the model adjusts by term frequency."""
    return sorted({level["tf_adjustment_column"] for c in model["comparisons"] for level in c["comparison_levels"]
                   if level.get("tf_adjustment_column")})


def pair_levels(frame: "pa.Table", model: dict, pairs: list[tuple[int, int]],
                frequencies: "dict[str, pa.Table]") -> "pa.Table":
    """unique_id_l, unique_id_r, gamma_* and mw_tf_adj_<name> of the given pairs of the frame's rows.

    Like comparison_levels, but for pairs named outright and with term frequencies given (each a
    table of the column and tf_<column>, counted over the whole case: frequencies.frequency_table),
    so that a few rows can be scored as the case's records are.
    """
    import pyarrow as pa

    from .model import connect

    columns = frame.column_names
    tf_used = tf_columns(model)
    pick, tf_pick, tf_join, gammas, adjustments, tf_kept = _graded_parts(columns, model, tf_used)
    sql = (f"WITH joined AS (SELECT p.id_l AS unique_id_l, p.id_r AS unique_id_r, {pick}{tf_pick} FROM wanted p "
           f"JOIN frame l ON l.unique_id = p.id_l JOIN frame r ON r.unique_id = p.id_r{tf_join}), "
           f"graded AS (SELECT unique_id_l, unique_id_r, "
           f"{', '.join(f'{case} AS {alias}' for alias, case in gammas)}{tf_kept} FROM joined) "
           f"SELECT unique_id_l, unique_id_r, {', '.join(alias for alias, _ in gammas)}"
           f"{''.join(', ' + a for a in adjustments)} FROM graded ORDER BY unique_id_l, unique_id_r")
    wanted = pa.table({"id_l": pa.array([a for a, _ in pairs], pa.int64()),
                       "id_r": pa.array([b for _, b in pairs], pa.int64())})
    connection = connect()
    try:
        connection.register("frame", frame)
        connection.register("wanted", wanted)
        for column in tf_used:
            connection.register(f"tf_{column}", frequencies[column])
        return connection.sql(sql).to_arrow_table()
    finally:
        connection.close()



def _graded_parts(columns: list[str], model: dict, tf_used: list[str]) -> tuple:
    """The SQL pieces both scorers share: both sides' columns and term frequencies, each comparison's gamma
    and term-frequency adjustment, so that pairs named outright grade exactly as blocked pairs do."""
    pick = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in columns if c != "unique_id")
    tf_pick = "".join(f', tf{i}l."tf_{c}" AS "tf_{c}_l", tf{i}r."tf_{c}" AS "tf_{c}_r"' for i, c in enumerate(tf_used))
    tf_join = "".join(f' LEFT JOIN tf_{c} tf{i}l ON tf{i}l."{c}" = l."{c}" LEFT JOIN tf_{c} tf{i}r ON tf{i}r."{c}" = r."{c}"'
                      for i, c in enumerate(tf_used))
    gammas, adjustments = [], []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gammas.append((f'"gamma_{name}"', _gamma_sql(comparison)))
        tf_sql = _tf_sql(comparison, f'"gamma_{name}"')
        if tf_sql:
            adjustments.append(f'{tf_sql} AS "mw_tf_adj_{name}"')
    tf_kept = "".join(f', "tf_{c}_l", "tf_{c}_r"' for c in tf_used)
    return pick, tf_pick, tf_join, gammas, adjustments, tf_kept

def _blocking_sql(rule: dict, index: int, columns: list[str]) -> str:
    exploded = rule.get("arrays_to_explode") or []
    source = "frame"
    if exploded:
        unknown = [c for c in exploded if c not in columns]
        if unknown:
            raise Unsupported(f"blocking on unknown array columns {unknown}")
        quoted = [f'"{c}"' for c in exploded]
        # One row per element, as Splink explodes arrays before blocking on them.
        source = (f"(SELECT * EXCLUDE ({', '.join(quoted)}), "
                  f"{', '.join(f'UNNEST({q}) AS {q}' for q in quoted)} FROM frame)")
    side = rule.get("either_side")
    if side is None:
        return (f"SELECT l.unique_id AS id_l, r.unique_id AS id_r, {index} AS rule FROM {source} l JOIN {source} r "
                f"ON ({rule['blocking_rule']}) WHERE l.unique_id < r.unique_id")
    # Pairs with at least one record of the side: that record on the left (any on the right), or only on the right.
    chosen = f"(SELECT * FROM {source} WHERE COALESCE({side}, FALSE))"
    others = f"(SELECT * FROM {source} WHERE NOT COALESCE({side}, FALSE))"
    return " UNION ALL ".join(
        f"SELECT l.unique_id AS id_l, r.unique_id AS id_r, {index} AS rule FROM {left} l JOIN {right} r "
        f"ON ({rule['blocking_rule']}) WHERE l.unique_id < r.unique_id"
        for left, right in ((chosen, source), (others, chosen)))


def numbered(comparison: dict) -> list[tuple[int, dict]]:
    """(comparison vector value, level) of each level, numbered as Splink does: null -1, then n-1 down to 0."""
    non_null = [level for level in comparison["comparison_levels"] if not level.get("is_null_level")]
    numbered = {id(level): len(non_null) - 1 - i for i, level in enumerate(non_null)}
    return [(-1 if level.get("is_null_level") else numbered[id(level)], level) for level in comparison["comparison_levels"]]


def _gamma_sql(comparison: dict) -> str:
    cases = []
    for value, level in numbered(comparison):
        condition = level["sql_condition"].strip()
        if condition.upper() == "ELSE":
            cases.append(f"ELSE {value}")
        else:
            cases.append(f"WHEN {condition} THEN {value}")
    if not cases or not cases[-1].startswith("ELSE"):
        raise Unsupported(f"comparison {comparison['output_column_name']} has no ELSE level")
    return f"CASE {' '.join(cases)} END"


def _tf_sql(comparison: dict, gamma: str) -> str | None:
    """Splink's term-frequency adjustment: weight x (log2 u of the exact match - log2 of the larger frequency)."""
    import math

    parts = []
    for value, level in numbered(comparison):
        column = level.get("tf_adjustment_column")
        if not column:
            continue
        exact = [(at, other) for at, other in numbered(comparison)
                 if _normal(other["sql_condition"]) == f"{column}_l={column}_r"]
        if level.get("disable_tf_exact_match_detection"):
            exact = [(value, level)]  # Splink then adjusts from the level's own u
        if not exact:
            raise Unsupported(f"no exact-match level on {column} to adjust term frequencies by")
        at, found = exact[0]
        # A level EM never saw keeps no u in the saved model: Splink's default, as level_weights reads it (an outside
        # tester's `link explain` ended in this error on every pair of a 417-record case).
        u = math.log2(found.get("u_probability") or _default_u(comparison, at))
        floor = float(level.get("tf_minimum_u_value", 0.0))
        weight = float(level.get("tf_adjustment_weight", 1.0))
        left, right = f'"tf_{column}_l"', f'"tf_{column}_r"'
        adjustment = (f"{weight!r} * ({u!r} - log2(greatest(COALESCE({left}, {right}), COALESCE({right}, {left}), "
                      f"{floor!r})))")
        # Two records that agree are never weighed apart by how common the value is: on a list of one night the
        # event every record shares weighed -3.18 beside the level's +2.81 (an outside tester); Splink has a floor
        # on the frequency, not a ceiling, so the adjustment stops where the level's own weight is spent.
        spent = _level_weight(level)
        if spent is not None:
            adjustment = f"greatest({adjustment}, {-max(spent, 0.0)!r})"
        parts.append(f"WHEN {gamma} = {value} AND COALESCE({left}, {right}) IS NOT NULL THEN {adjustment}")
    if not parts:
        return None
    return f"CASE {' '.join(parts)} ELSE 0.0 END"


def _level_weight(level: dict) -> float | None:
    """A level's own weight, log2 m/u, or None where the model keeps no m or u for it."""
    import math

    m, u = level.get("m_probability"), level.get("u_probability")
    return math.log2(m / u) if m and u else None


def _default_u(comparison: dict, value: int) -> float:
    """Splink's default u of a comparison's level (incremental.splink_defaults), for a level the model leaves out."""
    from .incremental import levels, splink_defaults

    return splink_defaults(len(levels(comparison)))[1][value]


def _normal(condition: str) -> str:
    return re.sub(r'[\s"()]', "", condition)
