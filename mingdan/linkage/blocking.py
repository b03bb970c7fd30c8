"""Which pairs are compared: every pair whose names read alike, unless the name is so common its block is huge.

A record's name keys are every full reading of its name in pinyin (mingdan.names.sound_readings:
characters, pinyin, Wade-Giles, Hong Kong spellings, either name order) and its pinyin key. Two
records that share a key are a candidate pair, whatever else they lack: no age, no place, no sex
(a custody list, a family's list) keeps them apart. Only a key shared by so many records that its
pairs would swamp the case (王伟 at a million records) is blocked together with one more field:
a compatible place (the district, or the city when no district is given), an age band, or the
event's timeline and a window of its date; each such field is tried on its own, so again no
single missing field keeps a pair apart.

How common is "huge" is set by a budget of pairs, not a fixed count: keys are admitted alone,
rarest first, until their pairs would pass PAIR_BUDGET_PER_RECORD x records (at least
MIN_PAIR_BUDGET); a key is never cut below MIN_BLOCK records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

#: Pairs the name keys alone may bring, per record of the case (and at least MIN_PAIR_BUDGET).
PAIR_BUDGET_PER_RECORD = 60
MIN_PAIR_BUDGET = 2_000_000
#: A key shared by this many records or fewer is always a block of its own.
MIN_BLOCK = 50
#: Days of an event's date window (two windows, half a window apart, so close dates always share one).
DATE_WINDOW = 30
AGE_BAND = 5
BLOCKING_COLUMNS = ("name_small", "name_big", "age_band", "age_band_shift", "date_band", "date_band_shift")


def blocking_rules(dialect: str = "duckdb") -> list:
    """The rules that make candidate pairs, over the columns add_blocking_columns adds."""
    from splink import block_on

    small = ["name_small"]
    big = ["name_big"]
    return [
        block_on("name_small", arrays_to_explode=small),
        block_on("name_big", "place_block", arrays_to_explode=big),
        block_on("name_big", "age_band", arrays_to_explode=big),
        block_on("name_big", "age_band_shift", arrays_to_explode=big),
        block_on("name_big", "event_family", "date_band", arrays_to_explode=big),
        block_on("name_big", "event_family", "date_band_shift", arrays_to_explode=big),
    ]


#: What each rule needs beside a shared name key, for `mingdan link explain`.
RULE_FIELDS = (
    (), ("place_block",), ("age_band",), ("age_band_shift",), ("event_family", "date_band"),
    ("event_family", "date_band_shift"),
)


def name_keys_sql() -> str:
    """The SQL list of a record's name keys (its readings and its pinyin key), deduplicated."""
    return ("list_distinct(list_concat(coalesce(sound_readings, []), "
            "CASE WHEN pinyin_key IS NULL THEN [] ELSE [pinyin_key] END))")


def add_blocking_columns(frame: "pa.Table", budget: int | None = None,
                         min_block: int = MIN_BLOCK) -> tuple["pa.Table", int]:
    """The frame with its blocking columns, and the largest block a name key may form alone."""
    from .model import connect

    connection = connect()
    try:
        # Idempotent: a frame that has them already gets them afresh.
        frame = frame.drop_columns([c for c in BLOCKING_COLUMNS if c in frame.column_names])
        connection.register("frame", frame)
        connection.execute(f"CREATE TEMP TABLE keyed AS SELECT unique_id, UNNEST({name_keys_sql()}) AS key FROM frame")
        connection.execute("CREATE TEMP TABLE sizes AS SELECT key, COUNT(*) AS n FROM keyed GROUP BY key")
        limit = block_limit(connection.sql("SELECT n FROM sizes").fetchnumpy()["n"], frame.num_rows, budget, min_block)
        sql = (f"WITH flagged AS (SELECT k.unique_id, k.key, s.n > {int(limit)} AS big FROM keyed k JOIN sizes s "
               f"USING (key)), lists AS (SELECT unique_id, list(key ORDER BY key) FILTER (WHERE NOT big) AS name_small, "
               f"list(key ORDER BY key) FILTER (WHERE big) AS name_big FROM flagged GROUP BY unique_id) "
               f"SELECT f.*, l.name_small, l.name_big, "
               f"CAST(floor(f.age / {AGE_BAND}) AS BIGINT) AS age_band, "
               f"CAST(floor((f.age + {AGE_BAND / 2}) / {AGE_BAND}) AS BIGINT) AS age_band_shift, "
               f"CAST(floor(f.event_start / {DATE_WINDOW}) AS BIGINT) AS date_band, "
               f"CAST(floor((f.event_start + {DATE_WINDOW // 2}) / {DATE_WINDOW}) AS BIGINT) AS date_band_shift "
               f"FROM frame f LEFT JOIN lists l USING (unique_id) ORDER BY f.unique_id")
        return connection.sql(sql).to_arrow_table(), limit
    finally:
        connection.close()


def block_limit(sizes, records: int, budget: int | None = None, min_block: int = MIN_BLOCK) -> int:
    """The largest block size admitted alone: rarest keys first until their pairs pass the budget."""
    import numpy as np

    budget = budget or max(MIN_PAIR_BUDGET, PAIR_BUDGET_PER_RECORD * records)
    sizes = np.sort(np.asarray(sizes, dtype=np.int64))
    if not len(sizes):
        return min_block
    pairs = np.cumsum(sizes * (sizes - 1) // 2)
    within = sizes[pairs <= budget]
    return int(max(min_block, within[-1] if len(within) else min_block))
