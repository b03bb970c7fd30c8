"""A level's weight reads a name's frequency beside how often one person's records reach that level when written so
(frequencies.written_share_sql), and names in other characters that read alike are a level of their own."""

from __future__ import annotations

import pyarrow as pa
import pytest

from mingdan.ingest.importer import import_file
from mingdan.linkage.explain import explain_pair
from mingdan.linkage.frequencies import frequency_table
from mingdan.linkage.run import link_case

FILLER = ["赵一鸣", "钱二平", "孙三立", "李四海", "周五洲", "吴六合", "郑七星", "冯八方", "陈九龄", "褚十全"]


def _frame(rows: list[tuple]) -> pa.Table:
    """Frame rows: (list, characters, pinyin, readings)."""
    return pa.table({
        "unique_id": pa.array(range(1, len(rows) + 1), pa.int64()),
        "source": [r[0] for r in rows], "sex": [None] * len(rows),
        "age_low": pa.array([None] * len(rows), pa.int64()), "age_high": pa.array([None] * len(rows), pa.int64()),
        "event_family": [None] * len(rows), "characters_key": [r[1] for r in rows], "pinyin_key": [r[2] for r in rows],
        "sound_readings": pa.array([r[3] for r in rows], pa.list_(pa.string())),
        "readings_key": ["|".join(sorted(r[3])) for r in rows]})


def test_a_names_frequency_is_scaled_by_the_share_of_pairs_written_to_reach_its_level():
    wide = [f"r{i}" for i in range(12)]  # a Hong Kong spelling: more readings than SPECIFIC_READINGS
    # Within a list, three records of one name with nothing to tell them apart are three people (TF_COMPARED).
    rows = [("A", "王伟", "wangwei", ["wang wei"])] * 3 + [("B", "王伟", "wangwei", ["wang wei"])] \
        + [("A", None, "wongwai", wide)] * 3 + [("C", "李明", "liming", ["li ming"]),
                                                 ("D", None, "wangwei", ["wang wei"])]
    frame = _frame(rows)
    in_characters, records = 5 / 9, 9
    characters = dict(zip(*frequency_table(frame, "characters_key").to_pydict().values()))
    # 王伟: two other people in list A, over nine records, times the share of records in characters.
    assert characters["王伟"] == pytest.approx(2 / records * in_characters)
    pinyin = dict(zip(*frequency_table(frame, "pinyin_key").to_pydict().values()))
    assert pinyin["wangwei"] == pytest.approx(2 / records * (1 - in_characters ** 2))
    readings = dict(zip(*frequency_table(frame, "readings_key").to_pydict().values()))
    spelt_wide = 3 / 9
    assert readings["|".join(sorted(wide))] == pytest.approx(2 / records * (1 - (1 - spelt_wide) ** 2))
    # A case written all one way: the share never falls below a hundredth.
    one_way = _frame([row for row in rows if row[1]])
    pinyin = dict(zip(*frequency_table(one_way, "pinyin_key").to_pydict().values()))
    assert pinyin["wangwei"] == pytest.approx(2 / 5 * 0.01)


def test_names_in_other_characters_that_read_alike_are_not_the_pinyin_of_the_same_name(case, write_rows):
    def rows(prefix: str, extra: list[dict]) -> list[dict]:
        return [{"record_id": f"{prefix}{i}", "name": name, "age": str(20 + i), "sex": "male", "place": "西城区",
                 "event": "killed", "event_date": "1989-06-04"} for i, name in enumerate(FILLER)] + extra

    same = {"age": "31", "sex": "male", "place": "海淀区", "event": "killed", "event_date": "1989-06-04"}
    import_file(case, write_rows(rows("A", [{"record_id": "AW", "name": "王建华", **same}]), name="one.csv"),
                source_name="one")
    import_file(case, write_rows(rows("B", [{"record_id": "BW", "name": "Wang Jianhua", **same},
                                            {"record_id": "BX", "name": "王剑华", **same}]), name="two.csv"),
                source_name="two")
    link_case(case)
    from mingdan.store.models import Record

    a, pinyin, other = (Record.objects.get(record_id=r) for r in ("AW", "BW", "BX"))

    def name_row(left, right) -> dict:
        return next(row for row in explain_pair(left, right)["fields"] if row["field"] == "name")

    assert name_row(a, pinyin)["meaning"] == "same pinyin reading"
    assert name_row(a, other)["meaning"] == "same pinyin reading, other characters"
    assert name_row(a, pinyin)["weight"] > name_row(a, other)["weight"]


def test_the_floor_of_a_names_frequency_is_scaled_as_the_frequencies_are():
    from mingdan.linkage.frequencies import written_shares
    from mingdan.linkage.model import never_above_u

    wide = [f"r{i}" for i in range(12)]
    frame = _frame([("A", "王伟", "wangwei", ["wang wei"]), ("B", None, "wongwai", wide),
                    ("C", None, "wangwei", ["wang wei"]), ("D", "李明", "liming", ["li ming"])])
    shares = written_shares(frame)
    assert shares == pytest.approx({"characters_key": 0.5, "pinyin_key": 0.75, "readings_key": 1 - 0.75 ** 2})
    level = {"sql_condition": "pinyin_key_l = pinyin_key_r", "tf_adjustment_column": "pinyin_key",
             "u_probability": 1e-4}
    untouched = {"sql_condition": "sex_l = sex_r", "u_probability": 0.5}
    model = never_above_u({"comparisons": [{"comparison_levels": [level, untouched]}]}, frame)
    # Every pair at the level gains the same: a name no one else holds as much as a common one.
    assert level["tf_minimum_u_value"] == pytest.approx(1e-4 * 0.75)
    assert "tf_minimum_u_value" not in untouched and model["comparisons"][0]["comparison_levels"][0] is level
