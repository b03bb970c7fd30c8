"""What changed between two releases: people added/removed by public id, counts old → new, files by hash."""

from __future__ import annotations

import json

import pytest
from page_words import english_words

from mingdan.publish.public_ids import KEY_FILE, record_public_id
from mingdan.publish.release import publish
from mingdan.publish.signing import verify

# What changed between releases is read from their data, pages and manifests, not the PDF (test_report_pdf.py).
pytestmark = pytest.mark.usefixtures("no_pdf")
HEADER = ["record_id", "name", "place", "event", "event_date", "consent_publish_name"]


def _import(case, write_rows, name, rows):
    from mingdan.ingest.importer import import_file

    import_file(case, write_rows(rows, header=HEADER, name=f"{name}.csv"), source_name=f"List {name}")


def _changes(release):
    return json.loads((release / "changes.json").read_text("utf-8"))


def test_a_second_release_lists_the_people_counts_and_files_an_added_import_changed(case, tmp_path, write_rows):
    _import(case, write_rows, "a", [{"record_id": f"A{i}", "name": f"模拟甲{i}", "place": "西城区", "event": "killed",
                                     "event_date": "1989-06-04", "consent_publish_name": "同意" if i < 8 else ""}
                                    for i in range(10)])
    first = publish(case, tmp_path / "r1")
    assert first["changes"]["previous"] is None
    assert _changes(tmp_path / "r1")["reason"] == "no earlier release of this case was found"

    _import(case, write_rows, "b", [{"record_id": f"B{i}", "name": f"模拟乙{i}", "place": "海淀区", "event": "detained",
                                     "event_date": "1989-06-10", "consent_publish_name": "同意"} for i in range(6)])
    second = publish(case, tmp_path / "r2")  # the previous release is found in the case's log
    changes = _changes(tmp_path / "r2")
    manifest = json.loads((tmp_path / "r2" / "manifest.json").read_text("utf-8"))

    assert changes["previous"]["release_sha256"] == first["sha256"] and changes["previous"]["verified"]
    key = (case.keys_dir / KEY_FILE).read_bytes()
    added = sorted(record_public_id(key, "List b", f"B{i}") for i in range(6))
    assert changes["people_named"] == {"old": 8, "new": 14, "added": added, "removed": []}
    counts = {(c["table"], c["row"], c["column"]): (c["old"], c["new"]) for c in changes["counts"]}
    assert counts[("accounting", "detained", "named_people")] == (0, 6)
    assert counts[("counts_by_place", "110108", "detained")] == ("absent", 6)  # 海淀区 in the gazetteer
    assert counts[("sources", "List b", "records")] == ("absent", 6)
    assert ("accounting", "killed", "named_people") not in counts  # 10 killed before and after
    assert changes["rows"]["named_people"] == {"old": 8, "new": 14}
    changed = {f["file"] for f in changes["files"]["changed"]}
    assert {"data/named_people.csv", "data/accounting.csv", "data/public.sqlite", "report/index.html"} <= changed
    old_hashes = json.loads((tmp_path / "r1" / "manifest.json").read_text("utf-8"))["files"]
    entry = next(f for f in changes["files"]["changed"] if f["file"] == "data/named_people.csv")
    assert entry["old"] == old_hashes["data/named_people.csv"] and entry["old"] != entry["new"]
    assert entry["new"] == manifest["files"]["data/named_people.csv"]
    assert "data/count_claims.csv" not in changed  # no claim was added
    # changes.json is itself signed, and summarised in the manifest
    assert "changes.json" in manifest["files"] and verify(tmp_path / "r2") == []
    assert manifest["changes"]["people_added"] == 6 and manifest["changes"]["previous"] == first["sha256"]
    assert second["changes"]["counts_changed"] == len(changes["counts"]) > 0
    for page in ("index.html", "index.zh.html"):
        text = (tmp_path / "r2" / "report" / page).read_text("utf-8")
        assert added[0] in text and "List b:B0" not in text and "→" in text and first["sha256"][:16] in text


def test_a_withdrawn_person_is_listed_as_removed_by_id_only(case, tmp_path, write_rows):
    from mingdan.store.models import Consent, Record

    _import(case, write_rows, "a", [{"record_id": f"A{i}", "name": f"模拟丙{i}", "event": "killed",
                                     "consent_publish_name": "同意"} for i in range(7)])
    publish(case, tmp_path / "r1")
    Consent.objects.create(record=Record.objects.get(record_id="A3"), purpose="publish_name", status="withdrawn",
                           given_by="family")
    publish(case, tmp_path / "r2", previous=tmp_path / "r1")
    changes = _changes(tmp_path / "r2")
    key = (case.keys_dir / KEY_FILE).read_bytes()
    assert changes["people_named"]["removed"] == [record_public_id(key, "List a", "A3")] and changes["people_named"]["added"] == []
    everything = b"".join(p.read_bytes() for p in (tmp_path / "r2").rglob("*") if p.is_file())
    assert "模拟丙3".encode() not in everything and "模拟丙4".encode() in everything


def test_an_explicit_previous_wins_and_a_tampered_previous_is_flagged(case, tmp_path, write_rows):
    _import(case, write_rows, "a", [{"record_id": f"A{i}", "name": f"模拟丁{i}", "event": "killed",
                                     "consent_publish_name": "同意"} for i in range(5)])
    publish(case, tmp_path / "r1")
    publish(case, tmp_path / "r2")
    target = tmp_path / "r1" / "data" / "sources.csv"
    target.write_text(target.read_text("utf-8") + "Injected,ngo,99,1\n", "utf-8")
    third = publish(case, tmp_path / "r3", previous=tmp_path / "r1")
    changes = _changes(tmp_path / "r3")
    assert changes["previous"]["folder"] == "r1" and not changes["previous"]["verified"]
    assert any("sources.csv: changed" in p for p in changes["previous"]["problems"])
    assert {"table": "sources", "row": "Injected", "column": "records", "old": 99, "new": "absent"} in changes["counts"]
    assert third["changes"]["previous_verified"] is False
    assert "does not verify" in (tmp_path / "r3" / "report" / "index.html").read_text("utf-8")
    none = publish(case, tmp_path / "r4", find_previous=False)
    assert none["changes"] == {"previous": None, "reason": "no comparison asked for (--no-previous)"}


def _section(page: str, start: str, end: str) -> str:
    return page.split(f"<h2>{start}</h2>", 1)[1].split(f"<h2>{end}</h2>", 1)[0]


def test_the_chinese_pages_say_what_changed_in_chinese(case, tmp_path, write_rows):
    """Outside tester: the changes table was in English on the 简体 and 繁體 pages (table, row and column codes,
    "(not stated)", "blank cells are suppressed…"), and 繁體 wrote 地点未注明 in simplified characters."""
    _import(case, write_rows, "a", [{"record_id": f"A{i}", "name": f"模拟戊{i}", "place": "西城区" if i < 6 else "",
                                     "event": "killed", "event_date": "1989-06-04", "consent_publish_name": "同意"}
                                    for i in range(12)])
    publish(case, tmp_path / "r1")
    _import(case, write_rows, "b", [{"record_id": f"B{i}", "name": f"模拟己{i}", "place": "海淀区" if i < 6 else "",
                                     "event": "detained", "event_date": "1989-06-10", "consent_publish_name": "同意"}
                                    for i in range(9)])
    publish(case, tmp_path / "r2")
    counts = {(c["table"], c["row"], c["column"]): c for c in _changes(tmp_path / "r2")["counts"]}
    assert ("counts_by_place", "(not stated)", "detained") in counts and ("counts_by_place", "110108", "detained") in counts
    assert not [key for key in counts if key[2] == "blank_cells"]  # an explanation, not a count
    report = tmp_path / "r2" / "report"
    expected = {
        "index.html": ("Changes since the previous release", "Figures", "People by place", "Haidian District",
                       "(place not stated)", "Killed", "absent → 0", "0 → suppressed", "named people"),
        "index.zh.html": ("与上一次发布相比的变化", "图表", "按地点的人数", "海淀区", "（地点未注明）", "遇难", "（不存在） → 0",
                          "0 → 不公布", "有名有姓者"),
        "index.zh-hant.html": ("與上一次發佈相比的變化", "圖表", "按地點的人數", "海淀區", "（地點未註明）", "遇難",
                               "（不存在） → 0", "0 → 不公佈", "有名有姓者"),
    }
    for page, (start, end, table, haidian, not_stated, killed, added, hidden, named) in expected.items():
        section = _section((report / page).read_text("utf-8"), start, end)
        assert f'<td>{table}</td><td><span translate="no">{haidian}</span></td><td>{killed}</td><td>{added}</td>' \
            in section, page
        # The three detained without a place are a small cell now hidden (no row total: killed stays published).
        detained = {"index.html": "Detained"}.get(page, "被拘押")
        assert f'<td>{table}</td><td><span translate="no">{not_stated}</span></td><td>{detained}</td><td>{hidden}</td>' \
            in section, page
        assert f"<td>{named}</td>" in section and "<code" not in section.split("<table>")[1], page
        if page != "index.html":
            # Beyond ids, names and file names (marked translate="no"), no English word; none hidden in code either.
            assert english_words(section) == [], page
            assert "blank cells" not in section and "not stated" not in section, page
    assert "地点未注明" not in (report / "index.zh-hant.html").read_text("utf-8")  # not even in the places table
