"""An attacker reads whole releases and solves the linear program for every hidden cell (tests/release_attacker.py).

Outside testers derived hidden cells from what the old suppression published beside them: in
harassment_by_year, two hidden kinds whose events the year's total gave back as 2 (so one event,
one person each), and between two releases a kind that grew 20 -> 21 while one person was newly
named. The attacker is run on a hand-made case where the old code leaked both, and on a simulated
case with families and harassment released twice.
"""

from __future__ import annotations

import csv
import hashlib
import shutil

import pytest
from release_attacker import attack, cells

from mingdan.publish.release import publish

THRESHOLD = 5
H = "harassment_by_year"
HEADER = ["record_id", "name", "event", "event_date", "harassment", "consent_publish_name"]


def truth_of(case) -> dict:
    """Every count a release decides on, with its true value (before disclosure control), by the attacker's keys."""
    from mingdan.publish.account import accounting
    from mingdan.publish.release import _counts_by_place

    account = accounting(case)
    truth = {}
    for entry in account["categories"]:
        by = entry["named"]["by_sources"]
        truth.update({("accounting", entry["category"], "named_people"): entry["named"]["people"],
                      ("accounting", entry["category"], "named_by_1_source"): by["1"],
                      ("accounting", entry["category"], "named_by_2_sources"): by["2"],
                      ("accounting", entry["category"], "named_by_3_or_more_sources"): by["3+"]})
        if entry.get("possibly"):
            truth[("accounting", entry["category"], "status_unknown")] = entry["possibly"]["people"]
    for row in _counts_by_place():
        truth.update({("counts_by_place", row["place_id"], c): row[c]
                      for c in ("killed", "died_in_custody", "detained", "missing")})
    for year in account["harassment"]["years"]:
        y = str(year["year"])
        truth.update({(H, y, "all", "people"): year["people"], (H, y, "all", "events"): year["events"],
                      (H, y, "around_4_june", "people"): year["anniversary"]["people"],
                      (H, y, "around_4_june", "events"): year["anniversary"]["events"]})
        for kind, events in year["by_kind"].items():
            truth.update({(H, y, kind, "people"): year["people_by_kind"][kind], (H, y, kind, "events"): events})
    truth.update({("sources", s["source"], "records"): s["records"] for s in account["sources"]})
    return truth


def _harassed(prefix: str, kinds: dict[str, int]) -> list[dict]:
    rows = []
    for kind, people in kinds.items():
        rows += [{"record_id": f"{prefix}{kind}{i}", "name": f"模拟扰{prefix}{kind}{i}", "event": "harassed",
                  "event_date": "2019-03-01", "harassment": kind, "consent_publish_name": "同意"}
                 for i in range(people)]
    return rows


def test_a_hand_made_case_where_the_old_suppression_leaked(case, tmp_path, write_rows, no_pdf):
    from mingdan.ingest.importer import import_file

    # 2019: the year's events (30) less the published kinds (police visits 8, surveillance 20) left 2 for the two
    # hidden kinds, each a person with one event: the old release gave both back.
    import_file(case, write_rows(_harassed("A", {"police_visit": 8, "surveillance": 20, "threats": 1, "eviction": 1}),
                                 header=HEADER, name="a.csv"), source_name="Families a")
    publish(case, tmp_path / "r1")
    truth = truth_of(case)
    first = cells(tmp_path / "r1")
    assert first[(H, "2019", "threats", "people")] is None and first[(H, "2019", "threats", "events")] is None
    assert attack(tmp_path / "r1", truth, THRESHOLD) == []
    assert first[(H, "2019", "all", "events")] == 30  # the year's total is still published; a complement hides a kind
    assert [k for k, v in first.items() if v is None and k[0] == H and k[2] == "police_visit"]

    # The same release as the old code wrote it (only the small kinds hidden): the attacker finds the leak.
    old = tmp_path / "old"
    shutil.copytree(tmp_path / "r1", old)
    path = old / "data" / f"{H}.csv"
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    for row in rows:
        for column in ("people", "events"):
            if row[column] == "suppressed" and truth[(H, row["year"], row["kind"], "people")] >= THRESHOLD:
                row[column] = str(truth[(H, row["year"], row["kind"], column)])
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    found = attack(old, truth, THRESHOLD)
    assert any("'threats', 'events') (true 1) is pinned to [0, 2]" in p for p in found), found

    # A second list names one more person, detained in 2019 and under surveillance after: 20 -> 21 would say what
    # was done to them. (Only people of the accounting's categories are named, so the newcomer is also detained.)
    newcomer = _harassed("B", {"surveillance": 1})
    newcomer.insert(0, {**newcomer[0], "event": "detained", "event_date": "2019-01-10", "harassment": ""})
    import_file(case, write_rows(newcomer, header=HEADER, name="b.csv"), source_name="Families b")
    second = publish(case, tmp_path / "r2")
    assert second["changes"]["people_added"] == 1
    now = cells(tmp_path / "r2")
    assert now[(H, "2019", "surveillance", "people")] is None  # grew by 1 while a person was newly named
    assert attack(tmp_path / "r2", truth_of(case), THRESHOLD, previous=tmp_path / "r1", previous_truth=truth) == []


def _neutral(truth_id: str) -> str:
    return "P-" + hashlib.sha256(truth_id.encode()).hexdigest()[:10]


def _link_by_truth(folder) -> None:
    from mingdan.store.models import Person, Record

    truth = []
    for part in (folder, folder / "families"):
        with open(part / "truth.csv", encoding="utf-8") as handle:
            truth += [(r["source"], r["record_id"], r["person_id"]) for r in csv.DictReader(handle)]
    people = {p.person_id: p for p in Person.objects.all()}
    records = {(r.source.name, r.record_id): r for r in Record.objects.select_related("source")}
    changed = []
    for source, record_id, pid in truth:
        if (source, record_id) in records:
            if _neutral(pid) not in people:
                people[_neutral(pid)] = Person.objects.create(person_id=_neutral(pid))
            records[(source, record_id)].person = people[_neutral(pid)]
            changed.append(records[(source, record_id)])
    Record.objects.bulk_update(changed, ["person"])


@pytest.mark.django_db(databases="__all__")
def test_a_simulated_case_with_families_released_twice_gives_no_hidden_cell_back(case, tmp_path, write_rows, no_pdf):
    from mingdan.demo import demo_lists
    from mingdan.ingest.importer import import_file
    from mingdan.simulate import SimulationSettings, simulate_case, write_case

    simulated = simulate_case(SimulationSettings(seed=11, people=300))
    write_case(simulated, tmp_path / "sim")
    lists = demo_lists(tmp_path / "sim") + demo_lists(tmp_path / "sim" / "families")
    for path, mapping in lists[:-1]:
        import_file(case, path, mapping_path=mapping)
    _link_by_truth(tmp_path / "sim")
    publish(case, tmp_path / "r1")
    truth = truth_of(case)
    assert attack(tmp_path / "r1", truth, THRESHOLD) == []
    first = cells(tmp_path / "r1")
    assert any(v is None for k, v in first.items() if k[0] == H) and any(isinstance(v, int) for k, v in first.items()
                                                                          if k[0] == H and v)
    path, mapping = lists[-1]
    import_file(case, path, mapping_path=mapping)
    _link_by_truth(tmp_path / "sim")
    # Relatives harassed and nothing else are not named (only the accounting's categories are): a short list names
    # people detained and then watched, so that the release grows both by newly named people and by harassment.
    newcomers = [row for i in range(3) for row in _harassed(f"N{i}", {"surveillance": 1})]
    newcomers += [{**row, "event": "detained", "event_date": "2019-01-10", "harassment": ""} for row in newcomers]
    import_file(case, write_rows(newcomers, header=HEADER, name="n.csv"), source_name="Newcomers")
    second = publish(case, tmp_path / "r2")
    assert second["changes"]["people_added"] > 0 and second["previous_hidden_known"]
    assert attack(tmp_path / "r2", truth_of(case), THRESHOLD, previous=tmp_path / "r1", previous_truth=truth) == []


def test_a_place_count_that_grows_by_one_newly_named_person_is_not_published(case, tmp_path, write_rows, no_pdf):
    from mingdan.ingest.importer import import_file

    header = ["record_id", "name", "place", "event", "event_date", "consent_publish_name"]
    rows = lambda prefix, place, n: [{"record_id": f"{prefix}{i}", "name": f"模拟地{prefix}{i}", "place": place,  # noqa: E731
                                      "event": "detained", "event_date": "1989-06-10", "consent_publish_name": "同意"}
                                     for i in range(n)]
    import_file(case, write_rows(rows("A", "西城区", 10) + rows("C", "海淀区", 12), header=header, name="a.csv"),
                source_name="List a")
    publish(case, tmp_path / "r1")
    truth = truth_of(case)
    assert cells(tmp_path / "r1")[("counts_by_place", "110102", "detained")] == 10
    # One more person named, detained in Xicheng: 10 -> 11 beside their new id would say where they were held.
    import_file(case, write_rows(rows("B", "西城区", 1), header=header, name="b.csv"), source_name="List b")
    publish(case, tmp_path / "r2")
    now = cells(tmp_path / "r2")
    assert now[("counts_by_place", "110102", "detained")] is None
    assert attack(tmp_path / "r2", truth_of(case), THRESHOLD, previous=tmp_path / "r1", previous_truth=truth) == []
    report = (tmp_path / "r2" / "report" / "index.html").read_text("utf-8")
    places = report.split("<h2>People by place</h2>", 1)[1].split("</table>", 1)
    assert '<td class="num">—</td>' in places[0] and "suppressed to protect another cell" in places[1]
    assert "&lt;5" not in places[0]  # nothing small there: the hidden cells are not called "fewer than 5"


def test_a_source_that_grows_by_fewer_than_the_threshold_while_someone_is_newly_named_hides_its_size(tmp_path):
    from mingdan.publish.opendata import is_hidden
    from mingdan.publish.suppression import suppress_tables

    (tmp_path / "r1" / "data").mkdir(parents=True)
    (tmp_path / "r1" / "data" / "sources.csv").write_text("source,kind,records,versions\nList a,ngo,22,1\n"
                                                          "List c,ngo,40,1\n", "utf-8")
    tables = lambda: {"sources": [{"source": "List a", "kind": "ngo", "records": 23, "versions": 2},  # noqa: E731
                                  {"source": "List c", "kind": "ngo", "records": 40, "versions": 1}]}
    grown = tables()
    suppress_tables(grown, THRESHOLD, tmp_path / "r1", people_added=True)
    assert is_hidden(grown["sources"][0]["records"]) and grown["sources"][1]["records"] == 40
    nobody_new = tables()  # 22 -> 23 with nobody newly named: a record added, tied to no published id
    suppress_tables(nobody_new, THRESHOLD, tmp_path / "r1", people_added=False)
    assert nobody_new["sources"][0]["records"] == 23
