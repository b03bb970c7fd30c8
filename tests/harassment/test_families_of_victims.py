"""Families of named victims are of the accounting's people only: a relation pointing at another harassed
relative makes no family (red team rt17 08/05), in the counts, the families table, the accounting and the release."""

from __future__ import annotations

import csv
import datetime as dt

from mingdan.harassment.families import victim_ties

VICTIMS = [
    {"record_id": "V1", "name": "模拟甲", "event": "killed", "event_date": "1989-06-04", "consent_publish_name": "granted"},
    {"record_id": "V2", "name": "模拟乙", "event": "detained", "event_date": "1989-06-10", "consent_publish_name": "granted"},
    {"record_id": "V3", "name": "模拟丙", "event": "killed", "event_date": "1989-06-04"},
]
FAMILIES = [
    # The mother of V1; her grandchild, recorded as her child; a witness for V2; the wife of V2, stated from
    # V2's own row below; a consenting relative of no one, harassed and nothing else.
    {"record_id": "G1", "name": "模拟母", "event": "harassed", "event_date": "2019-06-02", "harassment": "police_visit",
     "relation": "mother_of", "relation_of": "Victims:V1", "consent_publish_name": "granted"},
    {"record_id": "G2", "name": "模拟孙", "event": "harassed", "event_date": "2019-06-03", "harassment": "surveillance",
     "relation": "child_of", "relation_of": "G1"},
    {"record_id": "G3", "name": "模拟证", "event": "harassed", "event_date": "2019-06-03", "harassment": "threats",
     "relation": "witness_for", "relation_of": "Victims:V2"},
    {"record_id": "G4", "name": "模拟妻", "event": "harassed", "event_date": "2019-06-03", "harassment": "threats",
     "consent_publish_name": "granted"},
    {"record_id": "G5", "name": "模拟路", "event": "harassed", "event_date": "2019-06-03", "harassment": "threats",
     "consent_publish_name": "granted"},
]
SPOUSE = [{"record_id": "V2", "name": "模拟乙", "event": "detained", "event_date": "1989-06-10",
           "relation": "spouse_of", "relation_of": "Families:G4", "consent_publish_name": "granted"}]
HEADER = ["record_id", "name", "event", "event_date", "harassment", "relation", "relation_of", "consent_publish_name"]


def test_only_a_victim_at_one_end_makes_a_family_tie_turned_to_face_the_victim():
    relations = [("G1", "mother_of", "V1"), ("G2", "child_of", "G1"), ("V2", "child_of", "G5"),
                 ("G3", "witness_for", "V2"), ("G6", "father_of", "V1"), ("V1", "child_of", "G6")]
    assert victim_ties(relations, {"V1", "V2"}) == [
        ("G1", "mother_of", "V1"), ("G5", "parent_of", "V2"), ("G6", "father_of", "V1")]


def _case(case, write_rows):
    from mingdan.ingest.importer import import_file

    import_file(case, write_rows(VICTIMS, header=HEADER, name="victims.csv"), source_name="Victims")
    import_file(case, write_rows(FAMILIES, header=HEADER, name="fam.csv"), source_name="Families")
    import_file(case, write_rows(SPOUSE, header=HEADER, name="victims2.csv"), source_name="Victims b")
    return case


def test_counts_families_table_and_accounting_name_only_victims(case, write_rows):
    from mingdan.publish.account import accounting
    from mingdan.track.harassment import harassment_report

    _case(case, write_rows)
    report = harassment_report(case, as_of=dt.date(2019, 6, 5))
    [y2019] = report["years"]
    # G1 is V1's mother, G4 the wife of 'Victims b:V2' (stated from his row); G2 is only G1's child, G3 a witness.
    assert (y2019["people"], y2019["relatives"], y2019["families"]) == (5, 2, 2)
    assert [(f["victim"], [(r["person"], r["relation"]) for r in f["relatives"]]) for f in report["families"]] == [
        ("Victims b:V2", [("Families:G4", "spouse_of")]), ("Victims:V1", [("Families:G1", "mother_of")])]
    section = accounting(case, dt.date(2019, 6, 5))["harassment"]
    assert (section["families"], section["relatives"]) == (2, 2)


def test_a_release_names_and_withholds_only_the_accountings_people(case, write_rows, tmp_path, monkeypatch):
    from mingdan.publish.release import publish

    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
    _case(case, write_rows)
    result = publish(case, tmp_path / "r", as_of=dt.date(2025, 1, 1), license="CC0-1.0")
    with open(tmp_path / "r" / "data" / "named_people.csv", encoding="utf-8") as handle:
        named = sorted(row["name"] for row in csv.DictReader(handle))
    # V1, V2 (of two sources, unlinked: two records) named; V3 withheld (no consent); relatives neither.
    assert named == ["模拟乙", "模拟乙", "模拟甲"]
    assert (result["named"], result["withheld"]) == (3, 1)
