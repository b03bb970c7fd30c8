"""A relative's harassment record links to the relative's person, never to the victim's: relations are not match evidence."""

from __future__ import annotations

from pathlib import Path

from mingdan.demo import demo_lists
from mingdan.ingest.importer import import_file
from mingdan.linkage.run import link_case

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"
HEADER = ["record_id", "name", "sex", "age", "place", "event", "event_date", "harassment", "tied_to", "relation",
          "relation_of"]


def person_of(source: str, record_id: str):
    from mingdan.store.models import Record

    return Record.objects.get(source__name=source, record_id=record_id).person_id


def test_a_relatives_harassment_links_to_the_relative_not_to_the_victim(case, write_rows):
    from mingdan.store.models import Relation

    for path, mapping in demo_lists(DEMO):  # enough lists for Splink to learn its weights, as in the demo
        import_file(case, path, mapping_path=mapping)
    for source, age in (("Victims one", "21"), ("Victims two", "21岁")):  # two files: a copy would be skipped
        import_file(case, write_rows([
            {"record_id": "V1", "name": "王建国", "sex": "male", "age": age, "place": "西城区", "event": "killed",
             "event_date": "1989-06-04"}], name=f"{source}.csv", header=HEADER), source_name=source)
    # The victim's mother, in two lists of relatives, each tying her to the victim's record; a third
    # list ties an unrelated woman to the victim too (as a witness): the tie must not pull her in.
    for source, when, place in (("Relatives one", "2019-05-28/2019-06-06", "西城区"),
                                ("Relatives two", "2018-06-01", "西城区")):
        import_file(case, write_rows([
            {"record_id": "M1", "name": "张秀英", "sex": "female", "age": "", "place": place, "event": "harassed",
             "event_date": when, "harassment": "被旅游", "tied_to": "六四", "relation": "母亲",
             "relation_of": "Victims one:V1"}], name=f"{source}.csv", header=HEADER), source_name=source)
    import_file(case, write_rows([
        {"record_id": "W1", "name": "李淑华", "sex": "female", "age": "", "place": "西城区", "event": "harassed",
         "event_date": "2019-06-03", "harassment": "监控", "relation": "证人", "relation_of": "Victims two:V1"}],
        name="witnesses.csv", header=HEADER), source_name="Witnesses")
    assert Relation.objects.count() == 3
    link_case(case)
    victim, mother = person_of("Victims one", "V1"), person_of("Relatives one", "M1")
    assert victim is not None and person_of("Victims two", "V1") == victim
    assert mother is not None and person_of("Relatives two", "M1") == mother
    assert mother != victim
    assert person_of("Witnesses", "W1") not in (victim, mother)
