"""Families of named victims follow the current claims: a victim a new version of their list drops is gone."""

from __future__ import annotations

import datetime as dt

from mingdan.ingest.importer import import_file
from mingdan.track.harassment import harassment_report

HEADER = ["record_id", "name", "event", "event_date", "harassment", "relation", "relation_of"]


def test_a_victim_dropped_by_a_new_version_of_the_list_leaves_the_families(case, write_rows):
    victims = [{"record_id": "7", "name": "王一", "event": "killed", "event_date": "1989-06-04"},
               {"record_id": "8", "name": "李二", "event": "killed", "event_date": "1989-06-04"}]
    import_file(case, write_rows(victims, name="v1.csv", header=HEADER), source_name="Victims")
    relatives = [{"record_id": "F1", "name": "王母", "event": "harassed", "event_date": "2019-06-04",
                  "harassment": "软禁", "relation": "母亲", "relation_of": "Victims:7"},
                 {"record_id": "F2", "name": "李母", "event": "harassed", "event_date": "2019-06-04",
                  "harassment": "软禁", "relation": "母亲", "relation_of": "Victims:8"}]
    import_file(case, write_rows(relatives, name="families.csv", header=HEADER), source_name="Families")
    before = harassment_report(case, as_of=dt.date(2019, 6, 4))
    assert [f["victim"] for f in before["families"]] == ["Victims:7", "Victims:8"]
    import_file(case, write_rows(victims[:1], name="v2.csv", header=HEADER), source_name="Victims")
    after = harassment_report(case, as_of=dt.date(2019, 6, 4))
    assert [(f["victim"], f["victim_name"]) for f in after["families"]] == [("Victims:7", "王一")]
    (year,) = after["years"]
    # Both mothers' harassment still counts; only one of them is still the relative of a named victim.
    assert (year["people"], year["relatives"], year["families"]) == (2, 1, 1)
