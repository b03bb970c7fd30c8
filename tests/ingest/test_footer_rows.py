"""Rows under a list that are not records (a totals row, a note) are refused with the reason, or skipped on
purpose by the mapping (file.skip_rows, file.footer_rows) and told: never imported as a person (rt15 02)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from mingdan.ingest.footers import not_a_record
from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.store.models import Record

pytestmark = pytest.mark.usefixtures("import_path")
MAPPING = """source: {name: footer}
columns:
  编号: record_id
  姓名: name
  事件: event
  日期: event_date
"""


def _workbook(tmp_path):
    """A title, the header on row 2, three people, a blank row, and 合计 | 3人 on row 7."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "名单"
    sheet.append(["编号", "姓名", "事件", "日期"])
    for i in range(1, 4):
        sheet.append([f"T{i}", f"测验{i}", "killed", "1989-06-04"])
    sheet.append([])
    sheet.append(["合计", "3人"])
    path = tmp_path / "total.xlsx"
    book.save(path)
    return path


def _mapping(tmp_path, file: str = "") -> str:
    path = tmp_path / "map.yaml"
    path.write_text((f"file: {file}\n" if file else "") + MAPPING, "utf-8")
    return path


def test_a_totals_row_is_refused_with_its_place_and_the_way_out(case, tmp_path):
    path = _workbook(tmp_path)
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, mapping_path=_mapping(tmp_path))
    assert [str(p) for p in failed.value.problems] == [
        f"{path}:7:编号: '合计' looks like a totals row, not a record: delete it, or map it away (in the mapping, "
        "file: {skip_rows: [7]}, or file: {footer_rows: N} for the list's last N rows)"]
    assert not Record.objects.exists()


@pytest.mark.parametrize("option", ["{footer_rows: 1}", "{skip_rows: [7]}", "{skip_rows: 7}"])
def test_the_mapping_skips_it_on_purpose_and_says_so(case, tmp_path, option):
    result = import_file(case, _workbook(tmp_path), mapping_path=_mapping(tmp_path, option))
    assert (result.rows, result.rows_imported) == (3, 3)
    assert sorted(Record.objects.values_list("record_id", flat=True)) == ["T1", "T2", "T3"]
    which = "footer_rows" if "footer" in option else "skip_rows"
    assert f"row 7 is not a record (the mapping's file.{which}); not imported: '合计 | 3人'" in result.warnings


@pytest.mark.parametrize("row", [6, 12])
def test_skip_rows_naming_no_row_of_the_list_is_refused(case, tmp_path, row):
    with pytest.raises(ImportFailed) as failed:
        import_file(case, _workbook(tmp_path), mapping_path=_mapping(tmp_path, f"{{skip_rows: [7, {row}]}}"))
    assert [(p.row, p.reason.split(",")[0]) for p in failed.value.problems] == [
        (row, f"the mapping's file.skip_rows names row {row}")]


@pytest.mark.parametrize("option", ["{skip_rows: [0]}", "{skip_rows: x}", "{footer_rows: -1}", "{footer_rows: yes}"])
def test_bad_skip_options_are_refused(case, tmp_path, option):
    with pytest.raises(ImportFailed) as failed:
        import_file(case, _workbook(tmp_path), mapping_path=_mapping(tmp_path, option))
    assert failed.value.problems[0].column in ("file.skip_rows", "file.footer_rows")


def test_notes_and_totals_in_a_csv_are_told_as_such_not_as_a_nameless_record(case, write_rows, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("record_id,name,event\n1,王一,killed\n2,李二,killed\n注：数据来自某某,,\n"
                    "Total: 2\n,Source: a list from 2020,\n", "utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, source_name="S")
    assert [(p.row, p.column, p.reason.split(",")[0]) for p in failed.value.problems] == [
        (4, "record_id", "'注：数据来自某某' looks like a note"),
        (5, "record_id", "'Total: 2' looks like a totals row"),
        (6, "name", "'Source: a list from 2020' looks like a note")]


def test_json_skips_by_the_records_position(case, tmp_path):
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"编号": "1", "姓名": "王一", "事件": "killed", "日期": "1989-06-04"},
                                {"编号": "共计", "姓名": "1人"}], ensure_ascii=False), "utf-8")
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, mapping_path=_mapping(tmp_path))
    assert [(p.row, p.column) for p in failed.value.problems] == [(2, "编号")]
    result = import_file(case, path, mapping_path=_mapping(tmp_path, "{skip_rows: [2]}"))
    assert result.rows_imported == 1 and "row 2 is not a record (the mapping's file.skip_rows); not imported: " \
                                          "'共计 | 1人'" in result.warnings


@pytest.mark.parametrize("text, kind", [
    ("合计", "totals"), ("總計：3人", "totals"), ("小计", "totals"), ("共3人", "totals"), ("共计 3 人", "totals"),
    ("Total", "totals"), ("SUBTOTAL", "totals"), ("Grand total: 12", "totals"), ("注：", "note"), ("注1：来源", "note"),
    ("※注：", "note"), ("備註：無", "note"), ("Note: x", "note"), ("NB: x", "note"), ("Source: HRW", "note"),
    ("数据截至2020年", "note"),
    ("王五", None), ("共青", None), ("小明", None), ("Totalitarian", None), ("Sum Kwok-wai", None), ("Noter", None),
    ("Li Si", None), ("计明", None), ("T1", None), ("", None)])
def test_what_reads_as_a_totals_row_or_a_note(text, kind):
    assert not_a_record(text) == kind
