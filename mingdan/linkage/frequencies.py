"""How often other people share a name or a reading of it: the term frequencies that weaken a common name's match.

Two kinds, both counted within each list, where a person is named once (mostly), so that a
person's own records in the other lists do not make their name look common, then summed over the
lists and divided by the records of the case (the scale of a level's u, the chance that a random
pair agrees):

- of the pinyin key and of the characters (王伟 says less than 岳英燕): term_frequency_sql;
- of a name's readings (reading_frequency_sql): a Hong Kong spelling such as `Wu Kwan` or `Lee Fu`
  reads as dozens of names in characters, a Wade-Giles spelling as a few. Two names that share a
  reading say as much as the number of other records that could be read alike allows: the
  frequency of a name's set of readings counts the records of each list that share any of them,
  less one. At 100,000 records of the blind generator, the level "same
  sound, a spelling many names share" had none, so a short Hong Kong name weighed +12.7 bits
  however many people it could be, and chained 4,219 records of 1,823 people into one.

Small counts are smoothed (Good-Turing, _smoothed). Splink's floor (model.never_above_u) is the
level's own u: a name no other record shares keeps the weight of its level, and an adjustment only
ever weakens a level. Frequencies and floor are both scaled by the share of pairs written so that they
can reach the level (written_share_sql).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

#: Columns term_frequency_sql reads beside the value and the source, to tell a list's namesakes from its repeats.
TF_COLUMNS = ("unique_id", "source", "sex", "age_low", "age_high", "event_family", "occupation_kind",
              "occupation_group", "occupation_at")
#: Records of one name in one list beyond which every record counts as another person: a list names someone again
#: now and then, but not three times (lists.MOST_PER_LIST).
TF_COMPARED = 2
#: Years by which two ages of one person entered twice may differ (a nominal age, a slip of a year).
TF_AGE_YEARS = 2
#: The column a name's set of readings is keyed by (frame.readings_key), and the columns its frequency reads.
READINGS_KEY = "readings_key"
READING_COLUMNS = ("unique_id", "source", "sound_readings", READINGS_KEY)
#: A reading held by more records of one list than this is counted alone, not merged with the name's other
#: readings record by record: the pairs of its records would grow with the square (王伟 at a million records).
READING_COUNTED_ALONE = 200


def readings_key(readings: list[str] | None) -> str | None:
    """A short key for a name's set of readings (the same set, the same key), for the frequency lookup."""
    import hashlib

    if not readings:
        return None
    return hashlib.blake2b("|".join(sorted(readings)).encode("utf-8"), digest_size=10).hexdigest()


def term_frequency_sql(column: str, table: str = "frame") -> str:
    """How often a value is shared by *other* people: the people it names in each list, less one, summed
    over the lists, over the case's records (0 for a name no list holds for two people), smoothed.

    Splink's own term frequency counts every record, so where lists overlap a name's count is
    mostly one person's own records (a person in four lists gives their name 4 / records) and
    every true match is weakened. Within one list a name recurs for different people, but also for
    one person entered twice (1-3% of a list's records, written anew each time): counting such a
    repeat as another person made a rare name look common and took about 5 bits from every true
    match of that person in the other lists. So within a list, the people a name stands for are
    counted as one more than the most records of that name any one record cannot be (their sexes
    differ, their ages are more than TF_AGE_YEARS apart, or their events are of different
    histories); a name held by more than TF_COMPARED records of a list counts every record (twelve
    `Wong Wai` of one list with no sex or age given are twelve people, not one entered twelve times).
    """
    if column == READINGS_KEY:
        return reading_frequency_sql(table)
    # Two kinds of work, or two places of work, that cannot be one person's (a worker and a student; a student of
    # 北大 and one of 清华): an outside tester's two 张建华 of one custody list were counted as one entered twice.
    apart = ("(a.sex <> b.sex OR a.age_low > b.age_high + {y} OR b.age_low > a.age_high + {y} "
             "OR a.event_family <> b.event_family OR {o})").format(y=TF_AGE_YEARS, o=_occupations_apart())
    return (f'WITH named AS (SELECT unique_id, source, "{column}" AS v, sex, age_low, age_high, event_family, '
            f'occupation_kind, occupation_group, occupation_at FROM {table} WHERE "{column}" IS NOT NULL), '
            f'groups AS (SELECT v, source, CAST(COUNT(*) AS DOUBLE) AS n FROM named GROUP BY v, source), '
            f'apart AS (SELECT a.v, a.source, a.unique_id, COUNT(b.unique_id) FILTER (WHERE coalesce({apart}, false)) '
            f'AS others FROM named a JOIN groups g ON g.v = a.v AND g.source = a.source AND g.n > 1 '
            f'AND g.n <= {TF_COMPARED} JOIN named b ON b.v = a.v AND b.source = a.source AND b.unique_id <> a.unique_id '
            f'GROUP BY a.v, a.source, a.unique_id), '
            f'people AS (SELECT g.v, g.source, CASE WHEN g.n > {TF_COMPARED} THEN g.n ELSE 1 + coalesce(MAX(x.others), 0) '
            f'END AS n FROM groups g LEFT JOIN apart x ON x.v = g.v AND x.source = g.source GROUP BY g.v, g.source, g.n), '
            f'others AS (SELECT v, SUM(n - 1) AS c FROM people GROUP BY v) '
            f'SELECT v AS "{column}", {_smoothed(table)} * {written_share_sql(column, table)} AS "tf_{column}" '
            f'FROM others {_SMOOTHING_JOIN}')


def _occupations_apart() -> str:
    """SQL over records a and b: their occupations are both given and not the same (occupations.OCCUPATION_SAME)."""
    import re

    from .occupations import OCCUPATION_KINDS, OCCUPATION_PLACES, OCCUPATION_SAME

    def sides(sql: str) -> str:
        return re.sub(r"(occupation_\w+)_([lr])\b", lambda m: f"{'a' if m.group(2) == 'l' else 'b'}.{m.group(1)}", sql)

    return f"coalesce((({sides(OCCUPATION_KINDS)}) OR ({sides(OCCUPATION_PLACES)})) AND NOT ({sides(OCCUPATION_SAME)}), false)"


def written_share_sql(column: str, table: str) -> str:
    """SQL for the share of pairs of records whose names are written so that their level can be reached at all: the
    frequency of a name is scaled by it, so that a level's weight reads a name's frequency beside how often one
    person's two records reach that level *when written so*.

    A level's m counts every pair of one person's records, most of which cannot reach it (two names in characters
    are never "same sound, a spelling many names share"), while a name's frequency is already the chance that
    another person's record agrees with *this* name: m over it under-weighs the level by the share of pairs that
    can reach it. At the blind generator's 30,000 records, pairs at "same sound, a spelling many names share" were
    one person about twice as often as their scores said, whatever the name's frequency. Shares, counted over
    the case's records (each pair's two records taken apart): "same characters" needs the other record in
    characters (the share in characters); "same pinyin reading" one record not in characters (one less the
    share of pairs both in characters); "a spelling many names share" one record so spelt.
    """
    from .model import SPECIFIC_READINGS

    count = f"(SELECT greatest(COUNT(*), 1) FROM {table})"
    in_characters = f'(SELECT COUNT("characters_key") FROM {table}) / {count}'
    share = {
        "characters_key": in_characters,
        "pinyin_key": f"1 - power({in_characters}, 2)",
        READINGS_KEY: (f"1 - power(1 - (SELECT COUNT(*) FILTER (WHERE len(sound_readings) > {SPECIFIC_READINGS}) "
                       f"FROM {table}) / {count}, 2)"),
    }.get(column)
    # Never below a hundredth: a case written all one way has no pair at the level, and a share of 0 would say
    # nothing about the names it does hold.
    return f"greatest(CAST({share} AS DOUBLE), 0.01)" if share else "1.0"


def written_shares(table: "pa.Table") -> dict[str, float]:
    """Per term-frequency column, the share written_share_sql scales its frequencies by, over these records."""
    from .model import connect

    wanted = [c for c in ("characters_key", "sound_readings") if c in table.column_names]
    if len(wanted) < 2:
        return {}
    columns = ("characters_key", "pinyin_key", READINGS_KEY)
    connection = connect()
    try:
        connection.register("frame", table.select(wanted))
        row = connection.sql("SELECT " + ", ".join(written_share_sql(c, "frame") for c in columns)).fetchall()[0]
        return dict(zip(columns, (float(v) for v in row)))
    finally:
        connection.close()


def reading_frequency_sql(table: str = "frame") -> str:
    """Per set of readings (readings_key): the records of each list that share any of its readings, less one,
    summed over the lists, over the case's records, smoothed.

    A reading held by more than READING_COUNTED_ALONE records of a list counts as that many records
    (a lower bound of the union, which is already common enough to say little).
    """
    key = READINGS_KEY
    return (f'WITH sets AS (SELECT "{key}" AS k, any_value(sound_readings) AS readings FROM {table} '
            f'WHERE "{key}" IS NOT NULL GROUP BY "{key}"), '
            f'set_readings AS (SELECT DISTINCT k, UNNEST(readings) AS reading FROM sets), '
            f'held AS (SELECT DISTINCT unique_id, source, UNNEST(sound_readings) AS reading FROM {table} '
            f'WHERE "{key}" IS NOT NULL), '
            f'counts AS (SELECT reading, source, COUNT(*) AS n FROM held GROUP BY reading, source), '
            f'merged AS (SELECT s.k, h.source, COUNT(DISTINCT h.unique_id) AS n FROM set_readings s '
            f'JOIN counts c ON c.reading = s.reading AND c.n <= {READING_COUNTED_ALONE} '
            f'JOIN held h ON h.reading = c.reading AND h.source = c.source GROUP BY s.k, h.source), '
            f'alone AS (SELECT s.k, c.source, MAX(c.n) AS n FROM set_readings s JOIN counts c ON c.reading = s.reading '
            f'AND c.n > {READING_COUNTED_ALONE} GROUP BY s.k, c.source), '
            f'people AS (SELECT k, source, MAX(n) AS n FROM (SELECT * FROM merged UNION ALL SELECT * FROM alone) '
            f'GROUP BY k, source), others AS (SELECT k AS v, SUM(n - 1) AS c FROM people GROUP BY k) '
            f'SELECT v AS "{key}", {_smoothed(table)} * {written_share_sql(key, table)} AS "tf_{key}" '
            f'FROM others {_SMOOTHING_JOIN}')


#: Counts of other people below this are smoothed (Good-Turing); above it a count is its own estimate.
SMOOTHED_BELOW = 5
#: Values a count must be seen for before it is smoothed.
SMOOTHED_SEEN = 10
_SMOOTHING_JOIN = ("LEFT JOIN (SELECT c, COUNT(*) AS nc FROM others GROUP BY c) here USING (c) "
                   "LEFT JOIN (SELECT c - 1 AS c, COUNT(*) AS nc FROM others GROUP BY c) next USING (c)")


def _smoothed(table: str) -> str:
    """A value's count of other people, smoothed as Good and Turing (Robbins) estimate a count seen c times,
    (c + 1) N(c+1) / N(c), over all records: a name seen with one namesake may have none, or three.

    Within-list counts are small and noisy; a name that happened to meet one namesake in one list
    would otherwise lose as much as one that always does. Only small counts seen for at least
    SMOOTHED_SEEN values are smoothed, only ever downwards (the estimate is noisy where few values of
    the next count were seen); a count of none stays none (the level's own weight).
    """
    return (f"(CASE WHEN c > 0 AND c < {SMOOTHED_BELOW} AND here.nc >= {SMOOTHED_SEEN} AND next.nc IS NOT NULL "
            f"THEN least(c, (c + 1) * next.nc / here.nc) ELSE c END) / (SELECT CAST(COUNT(*) AS DOUBLE) FROM {table})")


def frequency_table(table: "pa.Table", column: str) -> "pa.Table":
    """column and tf_column: how often other people share each value (term_frequency_sql), for Splink's lookup."""
    return frequency_tables(table, [column])[column]


def frequency_tables(table: "pa.Table", columns: list[str]) -> "dict[str, pa.Table]":
    """frequency_table of each column, counted in one connection."""
    import pyarrow as pa

    from .model import connect

    wanted = [*TF_COLUMNS, *columns, *(READING_COLUMNS if READINGS_KEY in columns else ())]
    # The share of names written in characters scales the frequencies (written_share_sql).
    wanted = list(dict.fromkeys((*wanted, *(["characters_key"] if "characters_key" in table.column_names else []))))
    for absent in (c for c in wanted if c not in table.column_names):  # a frame built before a column was read
        table = table.append_column(absent, pa.nulls(table.num_rows, pa.string()))
    connection = connect()
    try:
        connection.register("frame", table.select(wanted))
        return {column: connection.sql(term_frequency_sql(column)).to_arrow_table() for column in columns}
    finally:
        connection.close()


def register_frequencies(linker, api, table: "pa.Table", model: dict) -> None:
    """Give Splink our frequencies of every term-frequency adjusted column of the model, not its own counts."""
    columns = {level["tf_adjustment_column"] for comparison in model["comparisons"]
               for level in comparison["comparison_levels"] if level.get("tf_adjustment_column")}
    for column in sorted(columns):
        linker.table_management.register_term_frequency_lookup(api.register(frequency_table(table, column)), column)


def by_frequency(model: dict) -> dict:
    """The model with its "same characters" level weakened by how often other people share the characters, and
    its level "same sound, a spelling many names share" by how often other records share the name's readings
    (reading_frequency_sql), each from its own u.

    The level of spellings with few readings (pinyin, Wade-Giles) is left alone: such a spelling is
    about as specific as the characters, and weakening it too lost 0.2-0.4 points of F1 on the blind
    generator's 5,000 records for nothing at 100,000.
    """
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            condition = level["sql_condition"].replace('"', "").replace(" ", "")
            if condition == "characters_key_l=characters_key_r" and level.get("u_probability"):
                level.update({"tf_adjustment_column": "characters_key", "tf_adjustment_weight": 1.0})
            elif "sound_readings_l" in condition and "len(sound_readings_l)" not in condition \
                    and level.get("u_probability"):
                level.update({"tf_adjustment_column": READINGS_KEY, "tf_adjustment_weight": 1.0,
                              "disable_tf_exact_match_detection": True})
    return model
