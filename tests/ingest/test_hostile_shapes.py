"""Shapes an outside tester sent that were imported silently or ended in a traceback: a JSON key given twice, a JSON
number of 100,000 digits, an XLSX part declaring XML entities. Each is refused with the file, record and reason."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed

RECORD = '{"record_id": "J-1", "name": "王小明", "event": "killed"}'


def _refused(case, path: Path) -> ImportFailed:
    with pytest.raises(ImportFailed) as caught:
        import_file(case, path, source_name="Hostile")
    return caught.value


def _entities(root: str, levels: int = 3, width: int = 10) -> tuple[str, str]:
    """A small "billion laughs" DTD (each entity ten of the one before) and a reference to its last entity."""
    declared = ['<!ENTITY e0 "lol">'] + [f'<!ENTITY e{level} "{f"&e{level - 1};" * width}">'
                                         for level in range(1, levels + 1)]
    return f"<!DOCTYPE {root} [{''.join(declared)}]>", f"&e{levels};"


def _workbook(path: Path, rows: list[list], rewrite=None) -> Path:
    """A workbook written by openpyxl, its parts then rewritten: rewrite(parts) changes the dict name -> text."""
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {name: source.read(name).decode() for name in source.namelist()}
    if rewrite:
        rewrite(parts)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, text in parts.items():
            out.writestr(name, text)
    return path


SHEET = "xl/worksheets/sheet1.xml"
ROWS = [["record_id", "name", "event"], ["X1", "张三", "killed"], ["X2", "李四", "detained"]]


def _in_sheet(parts: dict) -> None:
    declared, reference = _entities("worksheet")
    parts[SHEET] = declared + parts[SHEET].replace("<t>张三</t>", f"<t>{reference}</t>")


def _in_shared_strings(parts: dict) -> None:
    # openpyxl writes inline strings; a spreadsheet program writes shared ones, where the DTD is then declared.
    declared, reference = _entities("sst")
    parts[SHEET] = parts[SHEET].replace('<c r="B2" t="inlineStr"><is><t>张三</t></is></c>', '<c r="B2" t="s"><v>0</v></c>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace("</Types>", (
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
    parts["xl/sharedStrings.xml"] = declared + (
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        f"<si><t>{reference}</t></si></sst>")


@pytest.mark.usefixtures("import_path")
def test_a_key_given_twice_in_a_record_is_refused_naming_the_record_and_the_key(case, tmp_path):
    path = tmp_path / "twice.json"
    path.write_text(f'[{RECORD}, {{"record_id": "J-2", "name": "测试", "name": "x", "event": "killed"}}]', "utf-8")
    failed = _refused(case, path)
    assert [(p.row, p.column) for p in failed.problems] == [(2, "name")], failed
    assert "key 'name' is given twice in $[1]" in failed.problems[0].reason
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(f'{{"records": [{RECORD}], "records": []}}', "utf-8")
    assert "key 'records' is given twice in the top-level object" in str(_refused(case, wrapped))


@pytest.mark.usefixtures("import_path")
def test_a_number_of_a_hundred_thousand_digits_is_refused_naming_the_record_and_the_key(case, tmp_path):
    path = tmp_path / "digits.json"
    path.write_text(f'[{RECORD}, {{"record_id": "J-2", "name": "测试", "event": "killed", "age": {"9" * 100_000}}}]',
                    "utf-8")
    failed = _refused(case, path)
    assert [(p.row, p.column) for p in failed.problems] == [(2, "age")], failed
    assert "$[1].age is a number of 100,000 digits" in failed.problems[0].reason


@pytest.mark.parametrize("number", ["1e999999", "-1e999999", "NaN", "Infinity"])
def test_a_number_no_list_holds_is_refused_whatever_its_key(case, tmp_path, number):
    """1e999999 was refused only as an age ('Infinity' is not an age); as a note it was imported as the text 'Infinity'."""
    path = tmp_path / "huge.json"
    path.write_text(f'[{{"record_id": "J-1", "name": "测试", "event": "killed", "notes": {number}}}]', "utf-8")
    failed = _refused(case, path)
    assert [(p.row, p.column) for p in failed.problems] == [(1, "notes")], failed
    assert failed.problems[0].reason.startswith("$[0].notes is ")


@pytest.mark.usefixtures("import_path")
@pytest.mark.parametrize(("rewrite", "part"), [(_in_sheet, SHEET), (_in_shared_strings, "xl/sharedStrings.xml")])
def test_an_xlsx_part_declaring_xml_entities_is_refused_naming_the_part(case, tmp_path, rewrite, part):
    path = _workbook(tmp_path / "laughs.xlsx", ROWS, rewrite)
    assert path.stat().st_size < 10_000
    failed = _refused(case, path)
    assert len(failed.problems) == 1, failed
    assert str(failed.problems[0]) == (
        f"{path}: the workbook's part {part} declares XML entities (a DTD), which a spreadsheet never needs "
        "(entities can expand a few bytes into gigabytes): it is not read")


@pytest.mark.usefixtures("import_path")
@pytest.mark.parametrize("rows", [5, 3000], ids=["in-the-header-search", "past-it"])
def test_xlsx_xml_that_does_not_parse_is_refused_naming_the_part(case, tmp_path, rows):
    """A sheet is parsed as it is read: a fault in its 3000th row is found only when the import reads the rows."""
    def broken(parts: dict) -> None:
        parts[SHEET] = parts[SHEET].replace(f'<row r="{rows}">', f'<row r="{rows}"><oops>')

    body = [[f"X{number}", "张三", "killed"] for number in range(1, rows)]
    path = _workbook(tmp_path / "broken.xlsx", ROWS[:1] + body, broken)
    failed = _refused(case, path)
    assert f"the workbook's part {SHEET} is not readable XML (mismatched tag" in str(failed), failed


def test_the_command_line_refuses_each_with_its_reason_and_no_traceback(tmp_path):
    twice = tmp_path / "twice.json"
    twice.write_text('[{"record_id":"J-1","name":"测试","name":"x","event":"killed"}]', "utf-8")
    digits = tmp_path / "digits.json"
    digits.write_text('[{"record_id":"J-1","name":"测试","event":"killed","age":' + "9" * 100_000 + "}]", "utf-8")
    laughs = _workbook(tmp_path / "laughs.xlsx", ROWS, _in_sheet)
    case = tmp_path / "case"
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    subprocess.run([sys.executable, "-m", "mingdan.cli", "init", str(case)], env=env, check=True, capture_output=True)
    for path, told in ((twice, f"{twice}:1:name: key 'name' is given twice in $[0]"),
                       (digits, f"{digits}:1:age: $[0].age is a number of 100,000 digits"),
                       (laughs, f"{laughs}: the workbook's part {SHEET} declares XML entities (a DTD)")):
        done = subprocess.run([sys.executable, "-m", "mingdan.cli", "import", str(path), "--source", "S",
                               "--case", str(case)], env=env, capture_output=True, text=True, timeout=120)
        assert done.returncode == 1 and told in done.stderr and "nothing was imported" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr + done.stdout


def test_a_top_level_object_with_more_than_its_records_is_refused(case, tmp_path):
    # An outside tester (rerun44): {"records": [...], "more_records": [...]} imported the first list only, silently.
    from mingdan.ingest.importer import import_file
    from mingdan.ingest.problems import ImportFailed

    path = tmp_path / "two.json"
    path.write_text('{"records": [{"record_id": "J1", "name": "张三", "event": "killed"}], '
                    '"more_records": [{"record_id": "J2", "name": "李四", "event": "killed"}]}', "utf-8")
    with pytest.raises(ImportFailed, match="'more_records' beside \"records\""):
        import_file(case, path, source_name="Two")
    # An export's own date and count beside its records are what exports write: imported.
    path.write_text('{"exported": "2012-05-30", "count": 1, "records": [{"record_id": "J1", "name": "张三", '
                    '"event": "killed"}]}', "utf-8")
    assert import_file(case, path, source_name="Two").rows_imported == 1
