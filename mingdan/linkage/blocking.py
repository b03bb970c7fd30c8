"""Which pairs are compared: every pair whose names read alike, unless the name is so common its block is huge.

A record's name keys are every full reading of its name in pinyin (mingdan.names.sound_readings:
characters, pinyin, Wade-Giles, Hong Kong spellings, either name order) and its pinyin key. Two
records that share a key are a candidate pair, whatever else they lack: no age, no place, no sex
(a custody list, a family's list) keeps them apart. Only a key shared by so many records that its
pairs would swamp the case (王伟 at a million records) is blocked together with one more field:
a compatible place (the district, or the city when no district is given), an age band, or the
event's timeline and a window of its date; each such field is tried on its own, so again no
single missing field keeps a pair apart. Where a common name and one field are still common
together (王伟, Haidian, 4 June at a million records: thousands), the block is split once more by a
second of those fields.

A name typed with one letter wrong (Li Linag for 李亮, Wang Xiaopiing) shares no reading with its
record in characters. Each record also holds the pinyin of its name with each letter left out in
turn (a deletion neighbourhood: two spellings one insertion, deletion, substitution or swap of
neighbours apart share one), and a romanized name its letters as typed too where they read as other
syllables (Huang Desheeng is read "desiwu"); a pair sharing one is a candidate, the name then compared at "one
letter apart". Only such keys held by at most TYPO_BLOCK records count: a slip in a common name
(王伟) meets too many other names a letter away to be told from them.

How common is "huge" is set by a budget of pairs, not a fixed count: keys are admitted alone,
rarest first, until their pairs would pass PAIR_BUDGET_PER_RECORD x records (at least
MIN_PAIR_BUDGET); a key is never cut below MIN_BLOCK records. A name key with one field is split by
a second when it holds more records than that same limit.
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
#: Most records a misspelling key may hold (the name with one letter left out), and the shortest pinyin given one.
TYPO_BLOCK = 20
TYPO_SHORTEST = 8
BLOCKING_COLUMNS = ("name_small", "name_big", "name_with", "name_typo", "age_band", "age_band_shift", "date_band",
                    "date_band_shift")
#: The fields a common name key is blocked with, each a family of one or two columns (a band and its shifted twin).
WITH_FIELDS = {"place": ("place_block",), "age": ("age_band", "age_band_shift"),
               "date": ("date_band", "date_band_shift")}


def blocking_rules(dialect: str = "duckdb") -> list:
    """The rules that make candidate pairs, over the columns add_blocking_columns adds."""
    from splink import block_on

    return [block_on("name_small", arrays_to_explode=["name_small"]),
            block_on("name_with", arrays_to_explode=["name_with"]),
            block_on("name_typo", arrays_to_explode=["name_typo"])]


def name_keys_sql() -> str:
    """The SQL list of a record's name keys (its readings and its pinyin key), deduplicated."""
    return ("list_distinct(list_concat(coalesce(sound_readings, []), "
            "CASE WHEN pinyin_key IS NULL THEN [] ELSE [pinyin_key] END))")


def add_blocking_columns(frame: "pa.Table", budget: int | None = None,
                         min_block: int = MIN_BLOCK) -> tuple["pa.Table", int]:
    """The frame with its blocking columns, and the largest block a name key may form alone."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .model import connect

    connection = connect()
    try:
        # Idempotent: a frame that has them already gets them afresh.
        frame = frame.drop_columns([c for c in BLOCKING_COLUMNS if c in frame.column_names])
        connection.register("frame", frame)
        connection.execute(f"CREATE TEMP TABLE keyed AS SELECT unique_id, UNNEST({name_keys_sql()}) AS key FROM frame")
        connection.execute("CREATE TEMP TABLE sizes AS SELECT key, COUNT(*) AS n FROM keyed GROUP BY key")
        limit = block_limit(connection.sql("SELECT n FROM sizes").fetchnumpy()["n"], frame.num_rows, budget, min_block)
        connection.execute(f"CREATE TEMP TABLE flagged AS SELECT k.unique_id, k.key, s.n > {int(limit)} AS big "
                           f"FROM keyed k JOIN sizes s USING (key)")
        connection.execute(f"CREATE TEMP TABLE banded AS SELECT f.unique_id, f.place_block, f.event_family, "
                           f"{_bands_sql()} FROM frame f")
        connection.execute(f"CREATE TEMP TABLE with_keys AS {_with_keys_sql(int(limit))}")
        connection.execute(f"CREATE TEMP TABLE typo_keys AS {_typo_keys_sql(frame.column_names)}")
        # Only the new columns pass through DuckDB (the frame's own lists of a million records did not fit its memory
        # when sorted with them); they are laid beside the frame sorted by id.
        sql = ("WITH lists AS (SELECT unique_id, list(key ORDER BY key) FILTER (WHERE NOT big) AS name_small, "
               "list(key ORDER BY key) FILTER (WHERE big) AS name_big FROM flagged GROUP BY unique_id), "
               "withs AS (SELECT unique_id, list(DISTINCT c ORDER BY c) AS name_with FROM with_keys GROUP BY unique_id) "
               ", typos AS (SELECT unique_id, list(DISTINCT k ORDER BY k) AS name_typo FROM typo_keys GROUP BY unique_id) "
               "SELECT b.unique_id, l.name_small, l.name_big, w.name_with, t.name_typo, b.age_band, b.age_band_shift, "
               "b.date_band, b.date_band_shift FROM banded b LEFT JOIN lists l USING (unique_id) "
               "LEFT JOIN withs w USING (unique_id) LEFT JOIN typos t USING (unique_id) ORDER BY b.unique_id")
        added = connection.sql(sql).to_arrow_table()
        # Laid in the frame's own order: sorting the frame would copy every column of a million records.
        order = pc.sort_indices(frame["unique_id"]).to_numpy()
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        added = added.take(pa.array(rank))
        for column in added.column_names[1:]:
            frame = frame.append_column(column, added[column])
        return frame, limit
    finally:
        connection.close()


def _bands_sql() -> str:
    """The age bands and date windows, each with its twin shifted by half a band."""
    return (f"CAST(floor(f.age / {AGE_BAND}) AS BIGINT) AS age_band, "
            f"CAST(floor((f.age + {AGE_BAND / 2}) / {AGE_BAND}) AS BIGINT) AS age_band_shift, "
            f"CAST(floor(f.event_start / {DATE_WINDOW}) AS BIGINT) AS date_band, "
            f"CAST(floor((f.event_start + {DATE_WINDOW // 2}) / {DATE_WINDOW}) AS BIGINT) AS date_band_shift")


def with_values_sql(table: str = "banded") -> str:
    """One row per record and field value a common name is blocked with: unique_id, family, value."""
    parts = []
    for family, columns in WITH_FIELDS.items():
        for column in columns:
            value = f"'{column}=' || {column}"
            if family == "date":
                # A date window says something only within one history (an arrest's date is not a death's).
                value = f"'{column}=' || event_family || '@' || {column}"
            parts.append(f"SELECT unique_id, '{family}' AS family, {value} AS v FROM {table} WHERE {column} IS NOT NULL"
                         + (" AND event_family IS NOT NULL" if family == "date" else ""))
    return " UNION ALL ".join(parts)


def _with_keys_sql(limit: int) -> str:
    """The keys of a common name with one field, and, where that block is itself common, with two; as 63-bit
    hashes (a million records give tens of millions of such keys: strings did not fit DuckDB's memory)."""
    return (f"WITH fields AS ({with_values_sql()}), "
            "one AS (SELECT g.unique_id, hash(g.key) AS k, f.family, hash(f.v) AS v, hash(g.key, f.v) AS c "
            "FROM flagged g JOIN fields f USING (unique_id) WHERE g.big), "
            "sizes AS (SELECT c, COUNT(*) AS n FROM one GROUP BY c), "
            "sized AS (SELECT one.*, sizes.n FROM one JOIN sizes USING (c)) "
            f"SELECT unique_id, CAST(c >> 1 AS BIGINT) AS c FROM sized WHERE n <= {limit} "
            # Both blocks common: the name with both fields (a pair that shares a small block is a candidate already).
            "UNION ALL SELECT x.unique_id, CAST(hash(x.k, x.v, y.v) >> 1 AS BIGINT) AS c FROM sized x JOIN sized y "
            f"ON y.unique_id = x.unique_id AND y.k = x.k AND y.family > x.family WHERE x.n > {limit} AND y.n > {limit}")


def _typo_keys_sql(columns: list[str]) -> str:
    """Per record, the hashes of its name's pinyin (both orders where the order is not known) with each letter left
    out in turn, and of the pinyin itself, where at most TYPO_BLOCK records hold the key."""
    if not {"pinyin_key", "pinyin_swapped", "name_comparable", "name_order_known"} <= set(columns):
        return "SELECT CAST(NULL AS BIGINT) AS unique_id, CAST(NULL AS BIGINT) AS k WHERE false"  # a frame made by hand
    spelt = ("SELECT unique_id, replace(pinyin_key, ' ', '') AS s FROM frame WHERE name_comparable UNION "
             "SELECT unique_id, replace(pinyin_swapped, ' ', '') AS s FROM frame WHERE name_comparable AND NOT "
             "name_order_known")
    if {"typed_key", "typed_swapped"} <= set(columns):
        # A romanized name's letters as typed, where they are not its reading (model.one_letter_apart_sql).
        spelt += "".join(f" UNION SELECT unique_id, replace({c}, ' ', '') AS s FROM frame WHERE name_comparable AND "
                         f"{c} IS NOT NULL" for c in ("typed_key", "typed_swapped"))
    # A slip in a Wade-Giles or Hong Kong spelling meets the other name's pinyin by its mended readings, as they are.
    mended = (" UNION SELECT unique_id, UNNEST(mended_readings) AS k FROM frame WHERE name_comparable AND "
              "mended_readings IS NOT NULL" if "mended_readings" in columns else "")
    return (f"WITH spelt AS (SELECT * FROM ({spelt}) WHERE length(s) >= {TYPO_SHORTEST}), "
            "left_out AS (SELECT DISTINCT unique_id, CAST(hash(k) >> 1 AS BIGINT) AS k FROM (SELECT unique_id, "
            "UNNEST(list_concat([s], list_transform(range(0, length(s)), lambda i: substr(s, 1, i) || substr(s, i + 2)))) "
            f"AS k FROM spelt{mended})), "
            "sizes AS (SELECT k, COUNT(*) AS n FROM left_out GROUP BY k) "
            f"SELECT unique_id, k FROM left_out JOIN sizes USING (k) WHERE n BETWEEN 2 AND {TYPO_BLOCK}")


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
