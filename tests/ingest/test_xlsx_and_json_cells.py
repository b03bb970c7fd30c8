"""XLSX cells read as the spreadsheet shows them; formulas with no saved value and non-text JSON values refused
with every other problem of the file, each with its locator."""

from __future__ import annotations

import datetime as dt
import json
import zipfile

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed

pytestmark = pytest.mark.usefixtures("import_path")
HEADER = ["record_id", "name", "age", "event", "event_date", "occupation"]


def _workbook(path, rows, formats=None):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Victims"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def _claims(field):
    from mingdan.store.models import Claim

    return dict(Claim.objects.filter(field=field).values_list("record__record_id", "value"))


def test_numbers_are_read_as_their_format_shows_them(case, tmp_path):
    path = _workbook(tmp_path / "list.xlsx", [
        ["A1", "陈大文", 19.4, "killed", 1989.64, 0.5],
        ["A2", "王伟", 19.0, "killed", dt.datetime(1989, 6, 1), 3],
        ["A3", "李强", 23, "killed", 1989.0604, 1234567.891],
    ], {"C2": "0", "E2": '0.0\\.0', "E3": "yyyy-mm", "E4": "0000.00.00", "F4": "#,##0.00"})
    # A float artefact as a program writes it into the sheet: 0.1 + 0.2.
    with zipfile.ZipFile(path) as original:
        parts = {name: original.read(name) for name in original.namelist()}
    sheet = next(name for name in parts if name.startswith("xl/worksheets/sheet"))
    assert b"<v>0.5</v>" in parts[sheet]
    parts[sheet] = parts[sheet].replace(b"<v>0.5</v>", b"<v>0.30000000000000004</v>")
    with zipfile.ZipFile(path, "w") as rewritten:
        for name, data in parts.items():
            rewritten.writestr(name, data)
    import_file(case, path, source_name="Book")
    assert _claims("age") == {"A1": "19", "A2": "19", "A3": "23"}
    assert _claims("event_date") == {"A1": "1989.6.4", "A2": "1989-06", "A3": "1989.06.04"}
    assert _claims("occupation") == {"A1": "0.3", "A2": "3", "A3": "1,234,567.89"}


def test_a_formula_with_no_saved_value_is_refused_with_sheet_row_and_column(case, tmp_path, snapshot):
    before = snapshot()
    # openpyxl writes formulas without their values, as any program that never ran the spreadsheet does.
    path = _workbook(tmp_path / "list.xlsx", [
        ["A1", "陈大文", "=18+1", "killed", "1989-06-04"],
        ["A2", "王伟", 30, "killed", "1989-13-40"],
    ])
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    where = {str(problem).split(": ", 1)[0]: problem.reason for problem in failure.value.problems}
    assert f"{path}:Victims:2:age" in where and "C2 is a formula with no saved value" in where[f"{path}:Victims:2:age"]
    assert f"{path}:3:event_date" in where  # the other problems of the file are reported with it
    assert snapshot() == before


def test_non_text_json_values_are_reported_all_at_once_with_path_and_field(case, tmp_path, snapshot):
    before = snapshot()
    path = tmp_path / "list.json"
    path.write_text(json.dumps({"records": [
        {"record_id": "J1", "name": {"zh": "陈大文"}, "event": "killed"},
        {"record_id": "J2", "name": "王伟", "age": True, "event": "killed"},
        {"record_id": "J3", "name": "李强", "event": ["killed"], "event_date": "1989-13-01"},
        {"record_id": "J4", "name": "张三", "event": "killed", "event_date": "1989-06-04", "age": 19.0},
    ]}, ensure_ascii=False), "utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    found = {(problem.row, problem.column): problem.reason for problem in failure.value.problems}
    assert found[(1, "name")] == "$.records[0].name is an object; a value must be text or a number"
    assert found[(2, "age")] == "$.records[1].age is the JSON value true; a value must be text or a number"
    assert found[(3, "event")].startswith("$.records[2].event is a list")
    assert set(found) == {(1, "name"), (2, "age"), (3, "event")}
    assert snapshot() == before


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False))
def test_a_general_number_reads_as_the_value_excel_keeps(value):
    from mingdan.ingest.xlsx_cells import shown

    text = shown(value, "General")
    assert float(text) == float(f"{value:.15g}")  # the 15 significant digits Excel keeps, nothing invented
    assert "e" not in text.lower() and not text.endswith(".0") and text != "-0"
