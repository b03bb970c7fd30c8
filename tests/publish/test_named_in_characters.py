"""The release names in characters everyone some source wrote in characters (the demo's lists, linked by their truth)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from mingdan.demo import demo_lists
from mingdan.publish.release import publish

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


@pytest.mark.slow
def test_everyone_written_in_characters_by_some_source_is_published_in_characters(case, tmp_path, monkeypatch):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Name, Person, Record

    for path, mapping in demo_lists(DEMO):
        import_file(case, path, mapping_path=mapping)
    with open(DEMO / "truth.csv", encoding="utf-8") as handle:  # linked as the simulation's truth says
        truth = [(row["source"], row["record_id"], row["person_id"]) for row in csv.DictReader(handle)]
    people = {pid: Person.objects.create(person_id=pid) for pid in sorted({pid for _, _, pid in truth})}
    records = {(r.source.name, r.record_id): r for r in Record.objects.select_related("source")}
    for source, record_id, pid in truth:
        records[(source, record_id)].person = people[pid]
    Record.objects.bulk_update(records.values(), ["person"])
    # One spelling of a consented person becomes restricted: it must appear nowhere in the release.
    from django.db.models import Count

    from mingdan.store.models import Consent

    consented = Consent.objects.filter(purpose="publish_name", status="granted").values("record__person")
    unique = {text for text, n in Name.objects.values_list("text").annotate(n=Count("id")) if n == 1}
    restricted = next(n for n in Name.objects.filter(script="latin", record__person__in=consented)
                      .select_related("claim").order_by("id") if n.text in unique)
    restricted.claim.sensitivity = "restricted"
    restricted.claim.save()
    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
    publish(case, tmp_path / "release", find_previous=False)

    written: dict[str, set[str]] = {}
    for person, text in (Name.objects.filter(script__in=("hans", "hant", "hani"), claim__sensitivity="public",
                                             claim__superseded_in__isnull=True, record__person__isnull=False)
                         .values_list("record__person__person_id", "text")):
        written.setdefault(person, set()).add(text)
    with open(tmp_path / "release" / "data" / "named_people.csv", encoding="utf-8") as handle:
        named = list(csv.DictReader(handle))
    in_characters = [row for row in named if row["person_id"] in written]
    assert len(named) > 100 and len(in_characters) > 100
    for row in in_characters:
        assert row["name"] in written[row["person_id"]], row
        assert set(row["name_characters"].split(" | ")) == written[row["person_id"]], row
    romanized = [row for row in in_characters if row["name_pinyin"] != "none" or row["name_wade_giles"] != "none"
                 or row["name_cantonese"] != "none"]
    assert len(romanized) > 50  # the other lists' spellings are kept, each in its own column
    assert restricted.record.person.person_id in {row["person_id"] for row in named}
    everything = b"".join(p.read_bytes() for p in (tmp_path / "release").rglob("*") if p.is_file())
    assert restricted.text.encode("utf-8") not in everything
