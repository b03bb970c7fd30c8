"""A problem with a column is told where the column is: the header's row, or for JSON the first record that
has the key (rt15 05: a key only the 4th record has was told at row 1)."""

from __future__ import annotations

import json

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed

MAPPING = "source: {name: j}\ncolumns:\n  编号: record_id\n  姓名: name\n  事件: event\n"


def _json(tmp_path, records) -> str:
    path = tmp_path / "j1.json"
    path.write_text(json.dumps({"records": records}, ensure_ascii=False), "utf-8")
    return path


def _problems(case, path, **options) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, **options)
    return [str(problem) for problem in failed.value.problems]


def test_a_json_key_of_one_record_is_told_at_that_record(case, tmp_path):
    records = [{"编号": f"J{i}", "姓名": "王一", "事件": "killed"} for i in range(1, 6)]
    records[3]["多余"] = "x"
    records[1]["另一"] = records[4]["另一"] = "y"
    mapping = tmp_path / "j1.yaml"
    mapping.write_text(MAPPING, "utf-8")
    path = _json(tmp_path, records)
    assert _problems(case, path, mapping_path=mapping) == [
        f"{path}:2:另一: key '另一' (in 2 records, the first being record 2) is neither mapped nor ignored in "
        f"{mapping}; add '另一: ignore' to import without it",
        f"{path}:4:多余: key '多余' (in record 4 only) is neither mapped nor ignored in {mapping}; add '多余: ignore' "
        "to import without it"]


def test_a_json_key_that_is_not_canonical_is_told_at_its_first_record(case, tmp_path):
    path = _json(tmp_path, [{"record_id": "1", "name": "王一"}, {"record_id": "2", "name": "李二"},
                            {"record_id": "3", "name": "赵三", "hometown": "北京"}])
    [problem] = _problems(case, path, source_name="S")
    assert problem.startswith(f"{path}:3:hometown: key 'hometown' (in record 3 only) is not a canonical column")


def test_a_csv_column_is_told_at_the_header_row_wherever_it_is(case, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("名单\n\n编号,姓名,事件,备注\nA1,王一,killed,x\n", "utf-8")
    mapping = tmp_path / "m.yaml"
    mapping.write_text(MAPPING, "utf-8")
    assert _problems(case, path, mapping_path=mapping) == [
        f"{path}:3:备注: column '备注' is neither mapped nor ignored in {mapping}; add '备注: ignore' to import "
        "without it"]
