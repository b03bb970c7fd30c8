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


def comparison_levels(frame: "pa.Table", model: dict, rules: list[dict]) -> "pa.Table":
    """unique_id_l, unique_id_r, match_key (index of the first rule that found the pair), gamma_* per
    comparison and mw_tf_adj_<name> per term-frequency adjusted comparison, for every blocked pair."""
    from .model import connect

    columns = frame.column_names
    tf_columns = sorted({level["tf_adjustment_column"] for c in model["comparisons"] for level in c["comparison_levels"]
                         if level.get("tf_adjustment_column")})
    blocked = " UNION ALL ".join(_blocking_sql(rule, index, columns) for index, rule in enumerate(rules))
    pick = ", ".join(f'l."{c}" AS "{c}_l", r."{c}" AS "{c}_r"' for c in columns if c != "unique_id")
    tf_pick = "".join(f', tf{i}l."tf_{c}" AS "tf_{c}_l", tf{i}r."tf_{c}" AS "tf_{c}_r"' for i, c in enumerate(tf_columns))
    tf_join = "".join(f' LEFT JOIN tf_{c} tf{i}l ON tf{i}l."{c}" = l."{c}" LEFT JOIN tf_{c} tf{i}r ON tf{i}r."{c}" = r."{c}"'
                      for i, c in enumerate(tf_columns))
    tf_tables = "".join(f", tf_{c} AS ({term_frequency_sql(c)})" for c in tf_columns)
    gammas, adjustments = [], []
    for comparison in model["comparisons"]:
        name = comparison["output_column_name"]
        gammas.append((f'"gamma_{name}"', _gamma_sql(comparison)))
        tf_sql = _tf_sql(comparison, f'"gamma_{name}"')
        if tf_sql:
            adjustments.append(f'{tf_sql} AS "mw_tf_adj_{name}"')
    tf_kept = "".join(f', "tf_{c}_l", "tf_{c}_r"' for c in tf_columns)
    sql = (f"WITH blocked AS (SELECT id_l, id_r, MIN(rule) AS match_key FROM ({blocked}) GROUP BY id_l, id_r)"
           f"{tf_tables}, pairs AS (SELECT b.id_l AS unique_id_l, b.id_r AS unique_id_r, b.match_key, {pick}{tf_pick} "
           f"FROM blocked b JOIN frame l ON l.unique_id = b.id_l JOIN frame r ON r.unique_id = b.id_r{tf_join}), "
           f"graded AS (SELECT unique_id_l, unique_id_r, match_key, "
           f"{', '.join(f'{case} AS {alias}' for alias, case in gammas)}{tf_kept} FROM pairs) "
           f"SELECT unique_id_l, unique_id_r, match_key, {', '.join(alias for alias, _ in gammas)}"
           f"{''.join(', ' + a for a in adjustments)} FROM graded")
    connection = connect()
    try:
        connection.register("frame", frame)
        return connection.sql(sql).to_arrow_table()
    finally:
        connection.close()


#: Columns term_frequency_sql reads beside the value and the source, to tell a list's namesakes from its repeats.
TF_COLUMNS = ("unique_id", "source", "sex", "age_low", "age_high", "event_family")
#: Records of one name in one list beyond which every record counts as another person (the pairs are not compared).
TF_COMPARED = 50
#: Years by which two ages of one person entered twice may differ (a nominal age, a slip of a year).
TF_AGE_YEARS = 2


def term_frequency_sql(column: str, table: str = "frame") -> str:
    """How often a value is shared by *other* people: the most people it names in one list, less one,
    over that list's records (0 for a name no list holds for two people).

    Splink's own term frequency counts every record, so where lists overlap a name's count is
    mostly one person's own records (a person in four lists gives their name 4 / records) and
    every true match is weakened. Within one list a name recurs for different people, but also for
    one person entered twice (1-3% of a list's records, written anew each time): counting such a
    repeat as another person made a rare name look common and took about 5 bits from every true
    match of that person in the other lists. So within a list, the people a name stands for are
    counted as one more than the most records of that name any one record cannot be (their sexes
    differ, their ages are more than TF_AGE_YEARS apart, or their events are of different
    histories); a name held by more than TF_COMPARED records of a list counts every record.
    """
    apart = ("(a.sex <> b.sex OR a.age_low > b.age_high + {y} OR b.age_low > a.age_high + {y} "
             "OR a.event_family <> b.event_family)").format(y=TF_AGE_YEARS)
    return (f'WITH named AS (SELECT unique_id, source, "{column}" AS v, sex, age_low, age_high, event_family '
            f'FROM {table} WHERE "{column}" IS NOT NULL), '
            f'groups AS (SELECT v, source, CAST(COUNT(*) AS DOUBLE) AS n FROM named GROUP BY v, source), '
            f'apart AS (SELECT a.v, a.source, a.unique_id, COUNT(b.unique_id) FILTER (WHERE coalesce({apart}, false)) '
            f'AS others FROM named a JOIN groups g ON g.v = a.v AND g.source = a.source AND g.n > 1 '
            f'AND g.n <= {TF_COMPARED} JOIN named b ON b.v = a.v AND b.source = a.source AND b.unique_id <> a.unique_id '
            f'GROUP BY a.v, a.source, a.unique_id), '
            f'people AS (SELECT g.v, g.source, CASE WHEN g.n > {TF_COMPARED} THEN g.n ELSE 1 + coalesce(MAX(x.others), 0) '
            f'END AS n FROM groups g LEFT JOIN apart x ON x.v = g.v AND x.source = g.source GROUP BY g.v, g.source, g.n) '
            f'SELECT v AS "{column}", MAX((n - 1) / size) AS "tf_{column}" FROM people '
            f'JOIN (SELECT source, CAST(COUNT(*) AS DOUBLE) AS size FROM {table} GROUP BY source) USING (source) '
            f'GROUP BY v')


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
    return (f"SELECT l.unique_id AS id_l, r.unique_id AS id_r, {index} AS rule FROM {source} l JOIN {source} r "
            f"ON ({rule['blocking_rule']}) WHERE l.unique_id < r.unique_id")


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
        exact = [other for _, other in numbered(comparison) if _normal(other["sql_condition"]) == f"{column}_l={column}_r"]
        if not exact or not exact[0].get("u_probability"):
            raise Unsupported(f"no exact-match level on {column} to adjust term frequencies by")
        u = math.log2(exact[0]["u_probability"])
        floor = float(level.get("tf_minimum_u_value", 0.0))
        weight = float(level.get("tf_adjustment_weight", 1.0))
        left, right = f'"tf_{column}_l"', f'"tf_{column}_r"'
        parts.append(f"WHEN {gamma} = {value} AND COALESCE({left}, {right}) IS NOT NULL THEN {weight!r} * "
                     f"({u!r} - log2(greatest(COALESCE({left}, {right}), COALESCE({right}, {left}), {floor!r})))")
    if not parts:
        return None
    return f"CASE {' '.join(parts)} ELSE 0.0 END"


def _normal(condition: str) -> str:
    return re.sub(r'[\s"()]', "", condition)
