"""A record not linked to a person is published by a keyed R- id, never by its source's SOURCE:RECORD id.

An outside tester found the sources' own record ids in named_people.csv, public.sqlite,
changes.json and the report of a release made before linking. They tie the release back to a
list and whoever holds it.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
import stat

from mingdan.publish.public_ids import KEY_FILE, record_public_id
from mingdan.publish.release import publish

HEADER = ["record_id", "name", "place", "event", "event_date", "consent_publish_name"]


def _import(case, write_rows, name, rows):
    from mingdan.ingest.importer import import_file

    import_file(case, write_rows(rows, header=HEADER, name=f"{name}.csv"), source_name=f"List {name}")


def _everything(release) -> str:
    return b"".join(p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()).decode("utf-8", "replace")


def test_unlinked_records_get_stable_keyed_public_ids_and_the_report_says_they_are_not_linked(
        case, tmp_path, write_rows, no_pdf):
    _import(case, write_rows, "a", [{"record_id": f"CASE-{i:04d}", "name": f"模拟戊{i}", "place": "西城区",
                                     "event": "killed", "event_date": "1989-06-04", "consent_publish_name": "同意"}
                                    for i in range(7)])
    first = publish(case, tmp_path / "r1")
    assert first["linked"] is False and first["unlinked_records"] == 7
    key_file = case.keys_dir / KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_bytes()
    with open(tmp_path / "r1" / "data" / "named_people.csv", encoding="utf-8") as handle:
        ids = [row["person_id"] for row in csv.DictReader(handle)]
    assert len(ids) == 7 and all(re.fullmatch(r"R-[0-9a-f]{16}", pid) for pid in ids)
    assert sorted(ids) == sorted(record_public_id(key, "List a", f"CASE-{i:04d}") for i in range(7))
    with sqlite3.connect(tmp_path / "r1" / "data" / "public.sqlite") as db:
        assert sorted(r[0] for r in db.execute("select person_id from named_people")) == sorted(ids)
    report = (tmp_path / "r1" / "report" / "index.html").read_text("utf-8")
    assert "These records have not been linked" in report and "after linking" not in report
    assert "尚未链接" in (tmp_path / "r1" / "report" / "index.zh.html").read_text("utf-8")
    package = (tmp_path / "r1" / "data" / "datapackage.json").read_text("utf-8")
    assert "after linking" not in package and "not linked" in package

    # A second list: its new people are listed by R- id; the first list's ids are the same as before.
    _import(case, write_rows, "b", [{"record_id": f"CASE-{i:04d}", "name": f"模拟己{i}", "place": "海淀区",
                                     "event": "detained", "event_date": "1989-06-10", "consent_publish_name": "同意"}
                                    for i in range(6)])
    publish(case, tmp_path / "r2")
    changes = json.loads((tmp_path / "r2" / "changes.json").read_text("utf-8"))
    assert changes["people_named"]["removed"] == []
    assert changes["people_named"]["added"] == sorted(record_public_id(key, "List b", f"CASE-{i:04d}")
                                                      for i in range(6))
    for release in (tmp_path / "r1", tmp_path / "r2"):
        text = _everything(release)
        assert "CASE-000" not in text and "List a:" not in text and "List b:" not in text


def test_a_release_after_linking_keeps_person_ids_and_reads_an_old_release_s_record_ids_as_r_ids(
        case, tmp_path, write_rows, no_pdf):
    from mingdan.store.models import Person, Record

    _import(case, write_rows, "a", [{"record_id": f"A{i}", "name": f"模拟庚{i}", "event": "killed",
                                     "consent_publish_name": "同意"} for i in range(6)])
    publish(case, tmp_path / "r1")
    # A release made by the code before R- ids showed SOURCE:RECORD: the comparison must not repeat it.
    old = tmp_path / "r1" / "data" / "named_people.csv"
    rows = list(csv.DictReader(old.open(encoding="utf-8")))
    key = (case.keys_dir / KEY_FILE).read_bytes()
    by_public = {record_public_id(key, "List a", f"A{i}"): f"List a:A{i}" for i in range(6)}
    with open(old, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows({**row, "person_id": by_public[row["person_id"]]} for row in rows)
    for index, record in enumerate(Record.objects.order_by("record_id")[:3]):
        record.person = Person.objects.create(person_id=f"P-{index + 1:06d}")
        record.save()
    second = publish(case, tmp_path / "r2", previous=tmp_path / "r1")
    assert second["linked"] is True and second["unlinked_records"] == 3
    changes = json.loads((tmp_path / "r2" / "changes.json").read_text("utf-8"))
    linked = [record_public_id(key, "List a", f"A{i}") for i in range(3)]
    assert changes["people_named"]["added"] == ["P-000001", "P-000002", "P-000003"]
    assert changes["people_named"]["removed"] == sorted(linked)
    report = (tmp_path / "r2" / "report" / "index.html").read_text("utf-8")
    assert "3 record(s) have not been linked" in report and "List a:A" not in report
    assert "List a:A" not in (tmp_path / "r2" / "changes.json").read_text("utf-8")
