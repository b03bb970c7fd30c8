"""What a file may declare is bounded: a sheet's declared size, its columns, an XLSX that unpacks enormously,
JSON nested without end. Each is refused (or read by what it really holds) with a clear reason, quickly."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.ingest.readers import MAX_COLUMNS


def _xlsx(path: Path, rows: list[list], dimension: str | None = None) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml" and dimension:
                text = data.decode()
                start = text.index("<dimension ref=\"") + len("<dimension ref=\"")
                text = text[:start] + dimension + text[text.index('"', start):]
                # and an empty last row, as a sheet formatted down to its last row holds
                data = text.replace("</sheetData>", f'<row r="{dimension.rsplit(":", 1)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}" /></sheetData>').encode()
            out.writestr(item, data)
    return path


def test_a_sheet_declaring_every_cell_of_excel_is_read_by_the_cells_it_holds(tmp_path):
    """The probe's 1.7 KB file declared A1:XFD1048576 and ran for minutes; now it imports its two rows at once.

    Run as the command line, with a time limit that only a hang reaches.
    """
    path = _xlsx(tmp_path / "declared.xlsx", [["record_id", "name", "event"], ["X1", "张三", "killed"],
                                              ["X2", "李四", "detained"]], dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    case = tmp_path / "case"
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    subprocess.run([sys.executable, "-m", "mingdan.cli", "init", str(case)], env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-m", "mingdan.cli", "import", str(path), "--case", str(case)], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "imported 2" in done.stdout and "1048573 blank rows were skipped" in done.stderr.replace(",", "")


@pytest.mark.django_db
def test_more_columns_than_any_list_needs_are_refused(case, tmp_path):
    header = ["record_id", "name", *[f"extra{i}" for i in range(MAX_COLUMNS)]]
    for path in (_xlsx(tmp_path / "wide.xlsx", [header, ["X1", "张三"]]),
                 tmp_path / "wide.csv", tmp_path / "wide.json"):
        if path.suffix == ".csv":
            path.write_text(",".join(header) + "\nX1,张三\n", "utf-8")
        elif path.suffix == ".json":
            path.write_text("[{" + ",".join(f'"{c}": "1"' for c in header) + "}]", "utf-8")
        with pytest.raises(ImportFailed) as caught:
            import_file(case, path)
        assert f"at most {MAX_COLUMNS} can be imported" in str(caught.value), path


@pytest.mark.django_db
def test_an_xlsx_that_unpacks_to_far_more_than_its_size_is_refused(case, tmp_path):
    path = _xlsx(tmp_path / "bomb.xlsx", [["record_id", "name", "event"], ["X1", "张三", "killed"]])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr("xl/padding.xml", b"<a/>" * 30_000_000)  # 120 MB of nothing, a few hundred KB packed
    with pytest.raises(ImportFailed) as caught:
        import_file(case, path)
    assert "unpacks to" in str(caught.value)


@pytest.mark.django_db
def test_json_nested_a_hundred_thousand_deep_is_refused_with_a_reason(case, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(case, path)
    assert "nested too deeply" in str(caught.value)
    nested = tmp_path / "nested.json"
    nested.write_text('[{"record_id": "X1", "name": {"a": {"b": 1}}}]', "utf-8")
    with pytest.raises(ImportFailed) as caught:
        import_file(case, nested)
    assert "value must be text or a number" in str(caught.value)
