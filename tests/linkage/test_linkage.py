"""Linkage on the real Splink and DuckDB: quality against the simulator's truth, decisions, stable ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from mingdan.demo import demo_lists
from mingdan.ingest.importer import import_file
from mingdan.linkage.evaluate import case_clusters, read_truth, scores
from mingdan.linkage.run import link_case

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
CHEN = ["陳大文", "陈大文", "Chen Dawen", "CHEN Da-wen", "Dawen Chen", "Ch'en Ta-wen", "Chan Tai Man"]


@pytest.fixture
def demo_case(case):
    for path, mapping in demo_lists(DEMO):
        import_file(case, path, mapping_path=mapping)
    return case


def person_of(source: str, record_id: str) -> str | None:
    from mingdan.store.models import Record

    return Record.objects.get(source__name=source, record_id=record_id).person.person_id


def test_quality_examples_decisions_and_stable_ids(demo_case, write_rows):
    from mingdan.store.models import Person, Record, ReviewDecision

    # The examples, one list each, with age and place that agree; and two pairs that must stay apart.
    for index, written in enumerate(CHEN):
        import_file(demo_case, write_rows([{"record_id": f"X{index}", "name": written, "age": "24", "sex": "male",
                                            "place": "西城区", "event": "killed", "event_date": "1989-06-04"}],
                                          name=f"chen{index}.csv"), source_name=f"Witness list {index}")
    import_file(demo_case, write_rows([
        {"record_id": "W1", "name": "王伟", "age": "19", "place": "海淀区", "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "W2", "name": "陈大文", "age": "24", "place": "西城区", "event": "killed", "event_date": "1989-06-04"},
    ], name="w1.csv"), source_name="Check list one")
    import_file(demo_case, write_rows([
        {"record_id": "W1", "name": "王伟", "age": "52", "place": "丰台区", "event": "detained", "event_date": "1989-07-20"},
        {"record_id": "W2", "name": "Chen Dawei", "age": "24", "place": "西城区", "event": "killed", "event_date": "1989-06-04"},
    ], name="w2.csv"), source_name="Check list two")

    first = link_case(demo_case)
    truth = read_truth(DEMO / "truth.csv")
    result = scores(case_clusters(), truth)
    assert result["pairwise"]["f1"] >= 0.95 and result["bcubed"]["f1"] >= 0.95, result
    chen = {person_of(f"Witness list {i}", f"X{i}") for i in range(len(CHEN))}
    assert len(chen) == 1, chen
    assert person_of("Check list one", "W1") != person_of("Check list two", "W1")
    assert person_of("Check list one", "W2") in chen and person_of("Check list two", "W2") not in chen

    # The raw strings: the same Splink model without the name keys links far less well.
    raw = link_case(demo_case, raw_names=True, store=False)
    key = dict((pk, (s, r)) for pk, s, r in Record.objects.values_list("pk", "source__name", "record_id"))
    raw_scores = scores({key[r]: root for r, (root, _) in raw.thresholds["clusters"].items()}, truth)
    assert result["pairwise"]["f1"] - raw_scores["pairwise"]["f1"] >= 0.40

    # A rerun keeps every person id; a "different" decision splits a pair, "same" joins one.
    before = dict(Record.objects.values_list("pk", "person__person_id"))
    again = link_case(demo_case)
    assert again.new_ids == 0 and dict(Record.objects.values_list("pk", "person__person_id")) == before
    a = Record.objects.get(source__name="Witness list 0", record_id="X0")
    b = Record.objects.get(source__name="Witness list 6", record_id="X6")
    c = Record.objects.get(source__name="Check list two", record_id="W2")
    ReviewDecision.objects.create(record_a_id=min(a.pk, b.pk), record_b_id=max(a.pk, b.pk), decision="different",
                                  decided_by="test")
    ReviewDecision.objects.create(record_a_id=min(a.pk, c.pk), record_b_id=max(a.pk, c.pk), decision="same",
                                  decided_by="test")
    third = link_case(demo_case)
    assert third.decisions_applied == 2
    a.refresh_from_db(), b.refresh_from_db(), c.refresh_from_db()
    assert a.person_id != b.person_id and a.person_id == c.person_id
    assert Person.objects.filter(records__isnull=True).count() == 0


def test_a_new_source_links_incrementally_keeping_every_person_id(case):
    from mingdan.store.models import LinkRun, Record

    lists = demo_lists(DEMO)
    for path, mapping in lists[:4]:
        import_file(case, path, mapping_path=mapping)
    link_case(case)
    before = dict(Record.objects.values_list("pk", "person__person_id"))
    path, mapping = lists[4]
    import_file(case, path, mapping_path=mapping)
    added = link_case(case, incremental=True)
    after = dict(Record.objects.values_list("pk", "person__person_id"))
    assert all(after[pk] == pid for pk, pid in before.items())
    assert LinkRun.objects.order_by("-id").first().mode == "incremental"
    assert Record.objects.filter(person__isnull=True).count() == 0
    incremental_f1 = scores(case_clusters(), read_truth(DEMO / "truth.csv"))["pairwise"]["f1"]
    link_case(case)
    full_f1 = scores(case_clusters(), read_truth(DEMO / "truth.csv"))["pairwise"]["f1"]
    # The issue asks for 0.01; it holds since the m probabilities are refreshed on the new pairs.
    assert incremental_f1 >= full_f1 - 0.01, (incremental_f1, full_f1)
    assert added.pairs_scored < LinkRun.objects.order_by("-id").first().pairs_scored


def test_no_restricted_value_is_stored_with_the_links(demo_case, tmp_path):
    import json

    from mingdan.linkage.explain import explain_pair
    from mingdan.store.models import LinkRun, PairLink, Record

    secret_name, secret_place = "机密名字甲", "秘密地点乙"
    for source, record_id in (("Protected list A", "S1"), ("Protected list B", "S2")):
        data = tmp_path / f"{record_id}.csv"
        data.write_text("id,name,sex,age,place,what,when\n"
                        f"{record_id},{secret_name},male,23,{secret_place},detained,1989-06-10\n", "utf-8")
        mapping = tmp_path / f"{record_id}.yaml"
        mapping.write_text(f"source: {{name: {source}}}\ncolumns:\n  id: record_id\n"
                           "  name: {field: name, sensitivity: secret}\n  sex: sex\n  age: age\n"
                           "  place: {field: place, sensitivity: restricted}\n  what: event\n  when: event_date\n",
                           "utf-8")
        import_file(demo_case, data, mapping_path=mapping)
    link_case(demo_case)
    s1 = Record.objects.get(source__name="Protected list A", record_id="S1")
    s2 = Record.objects.get(source__name="Protected list B", record_id="S2")
    assert s1.person_id == s2.person_id  # linked, so the pair and its explanation are stored
    stored = json.dumps([list(PairLink.objects.values_list("weights", flat=True)),
                         list(LinkRun.objects.values_list("settings", flat=True))], ensure_ascii=False)
    from mingdan.linkage.frame import record_frame

    compared = record_frame([s1.pk])[0]
    for value in (secret_name, secret_place, compared["pinyin_key"], compared["place_key"]):
        assert value and value not in stored, value
    # The explanation still shows the compared values to whoever holds the key.
    explained = explain_pair(s1, s2)
    assert {row["left"] for row in explained["fields"] if row["field"] == "name"} == {secret_name}
