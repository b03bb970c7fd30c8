"""Lists as documentation groups write them, imported end to end with mappings that translate no dates:
an XLSX with a title and Chinese headers, an English CSV with a title line, a JSON custody export."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.store.models import Claim, CustodyEvent, Event, Name, Record

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "as_written"
D = dt.date


def _import(case, tmp_path, data: str, mapping: str):
    # A copy, so that a rejected-rows file or anything else written beside it stays out of the repository.
    for name in (data, mapping):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return import_file(case, tmp_path / data, mapping_path=tmp_path / mapping)


@pytest.mark.parametrize("mapping", ["beijing_2024.yaml", "hk_press_en.yaml", "custody_export.yaml"])
def test_the_mappings_translate_no_dates(mapping):
    columns = yaml.safe_load((FIXTURES / mapping).read_text("utf-8"))["columns"]
    dates = [spec for spec in columns.values() if isinstance(spec, dict) and spec.get("field") in ("event_date", "birth")]
    assert dates and not any("values" in spec or "date_format" in spec for spec in dates)


def _event(record_id: str, event_type: str | None = None) -> Event:
    events = Event.objects.filter(record__record_id=record_id)
    return events.get(event_type=event_type) if event_type else events.get()


def _claim(record_id: str, field: str) -> Claim:
    return Claim.objects.get(record__record_id=record_id, field=field)


def test_xlsx_with_a_title_row_and_chinese_headers(case, tmp_path):
    result = _import(case, tmp_path, "beijing_2024.xlsx", "beijing_2024.yaml")
    assert (result.rows_imported, result.header_row) == (8, 4)
    assert "'2024年整理 北京名单'" in result.warnings[0] and "row 4" in result.warnings[0]
    expected = {  # record: (claim value as written, EDTF, earliest, latest, kind)
        "BJ-001": ("1989年6月4日凌晨", "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), "exact"),
        "BJ-002": ("6月3日夜", "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), "range"),
        "BJ-003": ("约1989年6月", "1989-06~", D(1989, 6, 1), D(1989, 6, 30), "approximate"),
        "BJ-004": ("六月四日", "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), "exact"),
        "BJ-005": ("1989年6月上旬", "1989-06-01/1989-06-10", D(1989, 6, 1), D(1989, 6, 10), "range"),
        "BJ-006": ("1989.6.4", "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), "exact"),
        "BJ-007": ("89.6.4", "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), "exact"),
        "BJ-008": ("1989-06-05", "1989-06-05", D(1989, 6, 5), D(1989, 6, 5), "exact"),  # a real Excel date
    }
    for record_id, (raw, edtf, earliest, latest, kind) in expected.items():
        claim = _claim(record_id, "event_date")
        assert (claim.value, claim.normalized, claim.kind) == (raw, edtf, kind)
        assert (claim.date_earliest, claim.date_latest) == (earliest, latest)
        event = _event(record_id)
        assert (event.date_edtf, event.date_earliest, event.date_latest) == (edtf, earliest, latest)
        assert claim.row == int(record_id[-1]) + 4 and claim.column == "遇难时间"
    ages = {r: (c.kind, c.value_min, c.value_max) for r, c in
            ((r, _claim(r, "age")) for r in ("BJ-001", "BJ-002", "BJ-003", "BJ-004", "BJ-005", "BJ-006", "BJ-007"))}
    assert ages == {"BJ-001": ("exact", 19, 19), "BJ-002": ("approximate", 40, 40), "BJ-003": ("range", 40, 49),
                    "BJ-004": ("exact", 23, 23), "BJ-005": ("unknown", None, None), "BJ-006": ("exact", 31, 31),
                    "BJ-007": ("exact", 21, 21)}
    assert _claim("BJ-003", "place").kind == "unknown"
    names = {(n.text, n.script, n.romanization, n.name_type) for n in Name.objects.filter(record__record_id="BJ-001")}
    # A spelling that leaves no doubt is recorded as pinyin, as the release publishes it (not 'unknown').
    assert names == {("祁明远", "hans", "none", "legal"), ("Qi Mingyuan", "latin", "pinyin", "romanized")}
    reverse = {(n.text, n.name_type) for n in Name.objects.filter(record__record_id="BJ-003")}
    assert reverse == {("唐卫平", "legal"), ("Tang Weiping", "romanized")}
    assert _claim("BJ-001", "name").value == "祁明远（Qi Mingyuan）"  # the cell as written stays the claim


def test_english_csv_with_a_title_line(case, tmp_path):
    result = _import(case, tmp_path, "hk_press_en.csv", "hk_press_en.yaml")
    assert (result.rows_imported, result.header_row) == (8, 3)
    expected = {
        "E-01": ("1989-06-03", D(1989, 6, 3), D(1989, 6, 3), "exact"),
        "E-02": ("1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), "range"),
        "E-03": ("1989-06", D(1989, 6, 1), D(1989, 6, 30), "exact"),
        "E-04": ("1989-06-01~/1989-06-10~", D(1989, 6, 1), D(1989, 6, 10), "approximate"),
        "E-05": ("1989-06-03", D(1989, 6, 3), D(1989, 6, 3), "exact"),
        "E-06": ("1989-06-03", D(1989, 6, 3), D(1989, 6, 3), "exact"),
        "E-07": ("1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), "range"),
        "E-08": ("1989-06-04", D(1989, 6, 4), D(1989, 6, 4), "exact"),  # 04/06/1989 with date_order: dmy
    }
    for record_id, (edtf, earliest, latest, kind) in expected.items():
        claim = _claim(record_id, "event_date")
        assert (claim.normalized, claim.date_earliest, claim.date_latest, claim.kind) == (edtf, earliest, latest, kind)
    ages = {r: (_claim(r, "age").kind, _claim(r, "age").value_min, _claim(r, "age").value_max)
            for r in ("E-01", "E-02", "E-03", "E-04", "E-05", "E-07", "E-08")}
    assert ages == {"E-01": ("approximate", 40, 40), "E-02": ("range", 40, 49), "E-03": ("range", 30, 35),
                    "E-04": ("unknown", None, None), "E-05": ("unknown", None, None), "E-07": ("unknown", None, None),
                    "E-08": ("exact", 20, 20)}
    assert {(n.text, n.name_type) for n in Name.objects.filter(record__record_id="E-04")} == {
        ("何小明", "legal"), ("Ho Siu Ming", "romanized")}
    assert Name.objects.get(record__record_id="E-04", name_type="romanized").romanization == "hk"


def test_json_custody_export_with_chinese_sentences(case, tmp_path):
    result = _import(case, tmp_path, "custody_export.json", "custody_export.yaml")
    assert (result.rows_imported, result.header_row, result.records_new) == (8, None, 4)
    steps = {(e.record.record_id, e.event_type): (e.date_edtf, e.custody.sentence_kind, e.custody.term, e.custody.reprieve)
             for e in Event.objects.select_related("record", "custody")}
    assert steps == {
        ("C-101", "detained"): ("1989-06-11/1989-06-20", "", "", ""),
        ("C-101", "sentenced"): ("1990-01-21/1990-01-31", "fixed", "P13Y", ""),
        ("C-101", "reduced"): ("1996", "reduction", "P1Y", ""),
        ("C-102", "sentenced"): ("1989-08", "death_reprieve", "", "P2Y"),
        ("C-102", "commuted"): ("1991-23", "life", "", ""),
        ("C-103", "sentenced"): ("1989-09-20", "fixed", "P12Y6M", ""),
        ("C-104", "detained"): ("1989-06-10", "", "", ""),
        ("C-104", "released"): ("1990?", "", "", ""),
    }
    assert CustodyEvent.objects.count() == 8
    assert _claim("C-104", "age").kind == "range" and (_claim("C-104", "age").value_min, _claim("C-104", "age").value_max) == (30, 39)
    assert {n.text for n in Name.objects.filter(record__record_id="C-102")} == {"莫青松", "Mo Qingsong"}


def test_a_dateless_year_without_default_year_fails_with_file_row_and_column(case, tmp_path, snapshot):
    before = snapshot()
    (tmp_path / "beijing_2024.yaml").write_text(
        (FIXTURES / "beijing_2024.yaml").read_text("utf-8").replace("default_year: 1989, ", ""), "utf-8")
    shutil.copy(FIXTURES / "beijing_2024.xlsx", tmp_path)
    with pytest.raises(ImportFailed) as caught:
        import_file(case, tmp_path / "beijing_2024.xlsx", mapping_path=tmp_path / "beijing_2024.yaml")
    assert [str(p).replace(str(tmp_path) + "/", "") for p in caught.value.problems] == [
        "beijing_2024.xlsx:6:遇难时间: event_date '6月3日夜': '6月3日夜' has no year; give default_year for this "
        "column in the mapping",
        "beijing_2024.xlsx:8:遇难时间: event_date '六月四日': '六月四日' has no year; give default_year for this "
        "column in the mapping",
    ]
    assert snapshot() == before  # all or nothing
