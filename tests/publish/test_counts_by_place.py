"""A release counts people per gazetteer entry: one street written four ways is one row, named in English and
Chinese, and a blank cell says why it is blank (issue 13)."""

from __future__ import annotations

import csv

from mingdan.ingest.importer import import_file
from mingdan.publish.opendata import SUPPRESSED
from mingdan.publish.release import publish

MUXIDI = ["木樨地", "Muxidi", "Mùxīdì", "北京市西城区木樨地", "木樨地", "Muxudi"]


def test_counts_by_place_aggregate_on_gazetteer_entries(case, tmp_path, write_rows):
    rows = [{"record_id": f"M{i}", "name": f"模拟{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(MUXIDI)]
    rows += [{"record_id": f"H{i}", "name": f"模拟海{i}", "event": "detained", "event_date": "1989-06-10",
              "place": place} for i, place in enumerate(["海淀区", "Haidian District"])]
    rows += [{"record_id": f"N{i}", "name": f"模拟无{i}", "event": "killed", "event_date": "1989-06-04"} for i in range(5)]
    import_file(case, write_rows(rows), source_name="Places list")
    publish(case, tmp_path / "release")
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        table = {row["place_id"]: row for row in csv.DictReader(handle)}
    muxidi = table["bj:muxidi"]
    assert (muxidi["place"], muxidi["place_zh"], muxidi["killed"]) == ("Muxidi", "木樨地", "6")
    haidian = table["110108"]
    assert (haidian["place"], haidian["place_zh"], haidian["detained"]) == ("Haidian District", "海淀区", SUPPRESSED)
    assert "fewer than 5" in haidian["blank_cells"]
    assert table["(not stated)"]["place"] == "(place not stated)"
    assert not any(key.startswith("~") for key in table)  # every place was known to the gazetteer
    english = (tmp_path / "release" / "report" / "index.html").read_text("utf-8")
    chinese = (tmp_path / "release" / "report" / "index.zh.html").read_text("utf-8")
    assert "Muxidi" in english and "木樨地" in chinese and "fewer than 5 people" in english


def test_a_place_the_gazetteer_does_not_know_is_one_row_per_reading(case, tmp_path, write_rows):
    rows = [{"record_id": f"V{i}", "name": f"模拟村{i}", "event": "killed", "event_date": "1989-06-04", "place": place}
            for i, place in enumerate(["小溪村", "小溪村", "Xiaoxi Village", "小溪村", "Xiǎoxī Village"])]
    import_file(case, write_rows(rows), source_name="Village list")
    publish(case, tmp_path / "release")
    with open(tmp_path / "release" / "data" / "counts_by_place.csv", encoding="utf-8") as handle:
        table = {row["place_id"]: row for row in csv.DictReader(handle)}
    assert table["~xiaoxi"]["place"] == "小溪村" and table["~xiaoxi"]["killed"] == "5"
