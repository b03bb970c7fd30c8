"""The header row: found by the mapping's column names under a title, or given as header_row."""

from __future__ import annotations

import openpyxl
import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.ingest.readers import open_table
from mingdan.store.models import Claim, Record

pytestmark = pytest.mark.usefixtures("import_path")

MAPPING = "source: {name: S}\ncolumns:\n  编号: record_id\n  姓名: name\n  年龄: age\n"


def _xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_xlsx_title_row_is_not_an_error_and_the_header_is_reported(case, tmp_path):
    data = _xlsx(tmp_path / "l.xlsx", [["2024年整理 北京名单", None, None, None], [], ["编号", "姓名", "年龄"],
                                       ["1", "王伟", "19岁"]])
    (tmp_path / "m.yaml").write_text(MAPPING, "utf-8")
    result = import_file(case, data, mapping_path=tmp_path / "m.yaml")
    assert (result.rows_imported, result.header_row) == (1, 3)
    assert result.warnings == ["the column names are on row 3; the rows above them are not imported "
                               "(they read: '2024年整理 北京名单')"]
    assert Claim.objects.get(field="age").row == 4


def test_csv_header_names_match_despite_spaces_width_and_case(case, tmp_path):
    data = tmp_path / "l.csv"
    data.write_text("北京名单,,\n 编 号 ,姓名　,ＡＧＥ\n1,王伟,约40\n", "utf-8")
    (tmp_path / "m.yaml").write_text(MAPPING.replace("年龄", "Age"), "utf-8")
    result = import_file(case, data, mapping_path=tmp_path / "m.yaml")
    assert result.header_row == 2
    claim = Claim.objects.get(field="age")
    assert (claim.column, claim.kind, claim.row) == ("Age", "approximate", 3)


def test_header_row_in_the_mapping_is_used_as_given(case, tmp_path):
    data = tmp_path / "l.csv"
    # Row 1 holds the names too (a copy of the header in a note); the mapping says row 3 is the header.
    data.write_text("编号,姓名,年龄\n说明,,\n编号,姓名,年龄\n1,王伟,19\n", "utf-8")
    (tmp_path / "m.yaml").write_text(MAPPING + "file: {header_row: 3}\n", "utf-8")
    result = import_file(case, data, mapping_path=tmp_path / "m.yaml")
    assert (result.header_row, result.rows_imported, Record.objects.count()) == (3, 1, 1)


def test_a_canonical_file_under_a_title(case, tmp_path):
    data = tmp_path / "l.csv"
    data.write_text("List compiled 2024\nrecord_id,name,age\nr1,王伟,二十三\n", "utf-8")
    result = import_file(case, data, source_name="S")
    assert result.header_row == 2 and Claim.objects.get(field="age").normalized == "23"


def test_without_the_mapping_names_the_problems_say_which_are_missing(case, tmp_path, snapshot):
    before = snapshot()
    data = tmp_path / "l.csv"
    data.write_text("北京名单,,\n编号,名字,年龄\n1,王伟,19\n", "utf-8")
    (tmp_path / "m.yaml").write_text(MAPPING, "utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(case, data, mapping_path=tmp_path / "m.yaml")
    reasons = [p.reason for p in caught.value.problems]
    assert any("column '名字' is neither mapped nor ignored" in r for r in reasons)
    assert any("names column '姓名', which" in r for r in reasons)
    assert snapshot() == before


@pytest.mark.parametrize("header_row, reason", [(9, "header_row is 9, but the file has only 3 rows"),
                                                (0, "must be a row number from 1")])
def test_a_wrong_header_row_says_why(case, tmp_path, header_row, reason):
    data = tmp_path / "l.csv"
    data.write_text("编号,姓名,年龄\n1,王伟,19\n2,李娜,20\n", "utf-8")
    (tmp_path / "m.yaml").write_text(MAPPING + f"header_row: {header_row}\n", "utf-8")
    with pytest.raises(ImportFailed, match=reason):
        import_file(case, data, mapping_path=tmp_path / "m.yaml")


def test_json_has_no_header_row(tmp_path):
    data = tmp_path / "l.json"
    data.write_text('[{"id": "1"}]', "utf-8")
    with pytest.raises(ImportFailed, match="header_row applies to CSV and XLSX"):
        open_table(data, header_row=2)


def test_empty_cells_past_the_last_column_as_spreadsheets_export_them(tmp_path):
    data = tmp_path / "l.csv"
    data.write_text("标题,,,\n编号,姓名,年龄,\n1,王伟,19,\n", "utf-8")
    table = open_table(data, columns=["编号", "姓名", "年龄"])
    assert table.header == ["编号", "姓名", "年龄"] and list(table.rows()) == [(3, ["1", "王伟", "19"])]
    data.write_text("编号,姓名,年龄\n1,王伟,19,stray\n", "utf-8")
    with pytest.raises(ImportFailed, match="row has 4 cells but the header has 3"):
        list(open_table(data, columns=["编号", "姓名", "年龄"]).rows())
