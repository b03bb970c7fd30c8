"""Custody status from a case: checked against the simulator's truth and the issue's example."""

from __future__ import annotations

import datetime as dt

import pytest

from mingdan.simulate import SimulationSettings, simulate_case, write_case
from mingdan.track import custody_people, held_on, person_status

DAYS = [dt.date(1989, 7, 1), dt.date(1991, 1, 1), dt.date(1995, 6, 4), dt.date(2002, 3, 1),
        dt.date(2012, 6, 4), dt.date(2020, 1, 1)]


def true_status(events, day: dt.date) -> str:
    """What really was the case on day, from the simulated person's exact history."""
    if any(e.event == "died_in_custody" and e.date <= day for e in events):
        return "deceased"
    if events[0].event != "detained" or events[0].date > day:
        return "not_detained"
    if any(e.event in ("released", "paroled") and e.date <= day for e in events):
        return "released"
    return "held"


@pytest.fixture
def court_case(case, tmp_path):
    """A case holding the simulated court judgments: full custody histories with exact dates."""
    from mingdan.ingest.importer import import_file

    simulated = simulate_case(SimulationSettings(seed=3, people=1200))
    write_case(simulated, tmp_path / "sim")
    import_file(case, tmp_path / "sim" / "list_a.csv", source_name="Court judgments")
    truth = {}
    people = {p.person_id: p for p in simulated.people}
    for row in simulated.rows["a"]:
        truth[f"Court judgments:{row.record_id}"] = people[row.person_id]
    return case, truth


def test_status_on_any_day_matches_the_truth_for_complete_histories(court_case):
    case, truth = court_case
    people = custody_people(case)
    assert len(people) > 200
    checked = 0
    for person in people:
        events = truth[person.person_id].events
        for day in DAYS:
            assert person.view.status_on(day) == true_status(events, day), (person.person_id, day, events)
            checked += 1
    assert checked == len(people) * len(DAYS)


def test_expected_release_is_the_true_release_day_for_served_fixed_terms(court_case):
    case, truth = court_case
    served = 0
    for person in custody_people(case):
        events = truth[person.person_id].events
        sentenced = [e for e in events if e.event in ("sentenced", "commuted")]
        if events[-1].event != "released" or not sentenced:
            continue
        release = person.view.expected_release
        assert release is not None, (person.person_id, events)
        assert release.earliest == release.latest == events[-1].date, (person.person_id, events, person.view.notes)
        served += 1
    assert served > 50


def test_held_on_lists_the_held_and_possibly_held_with_the_json_fields(court_case):
    case, truth = court_case
    rows = held_on(case, dt.date(2012, 6, 4), today=dt.date(2026, 11, 24))
    expected = {key for key, person in truth.items() if true_status(person.events, dt.date(2012, 6, 4)) == "held"}
    assert {row["person_id"] for row in rows} == expected
    for row in rows:
        assert set(row) >= {"person_id", "record_ids", "name", "status", "expected_release_earliest",
                            "expected_release_latest", "flags"}
        assert row["status"] in ("held", "unknown")
        assert row["linked"] is False and row["record_ids"] == [row["person_id"]]


def test_the_composite_example_from_two_sources(case, write_rows):
    from mingdan.ingest.importer import import_file

    court = write_rows([
        {"record_id": "X1", "name": "林小平", "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "X1", "event": "sentenced", "event_date": "1989-08-07", "sentence": "death-reprieve P2Y"},
        {"record_id": "X1", "event": "commuted", "event_date": "1991", "sentence": "life"},
        {"record_id": "X1", "event": "commuted", "event_date": "1998-09-15", "sentence": "P20Y"},
        {"record_id": "X1", "event": "reduced", "event_date": "2012-06-12", "sentence": "P1Y"},
    ], name="court.csv")
    ngo = write_rows([
        {"record_id": "N7", "name": "林小平", "event": "reduced", "event_date": "2016-03-07", "sentence": "P11M"},
        {"record_id": "N7", "event": "sentenced", "event_date": "1989-09-02", "sentence": "death-reprieve"},
    ], name="ngo.csv")
    import_file(case, court, source_name="Court")
    import_file(case, ngo, source_name="NGO")
    # Unlinked, the reduction alone says little; linked into one person the example is complete.
    from mingdan.store.models import Person, Record

    person = Person.objects.create(person_id="P-000001")
    Record.objects.update(person=person)
    result = person_status(case, "P-000001", dt.date(2012, 6, 4), today=dt.date(2026, 11, 24))
    assert result["status"] == "held"
    assert (result["expected_release_earliest"], result["expected_release_latest"]) == ("2016-10-15", "2016-10-15")
    assert result["record_ids"] == ["Court:X1", "NGO:N7"]
    assert any("sources disagree on the sentenced date" in flag for flag in result["flags"])
    assert any("passed" in flag and "no confirmed release" in flag for flag in result["flags"])
    assert [step["event"] for step in result["timeline"]][:3] == ["detained", "sentenced", "sentenced"]
    assert result["timeline"][0]["sources"] == ["Court court.csv:2"]


def test_an_unknown_person_is_a_clear_error(case):
    with pytest.raises(LookupError, match="no custody events"):
        person_status(case, "P-999999")



def test_a_record_id_finds_its_person_after_linking_and_flags_count_from_the_day_asked(case, write_rows):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Person, Record

    court = write_rows([
        {"record_id": "C7", "name": "周文", "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "C7", "event": "arrested", "event_date": "1989-07-01"},
        {"record_id": "C7", "event": "sentenced", "event_date": "1989-09-01", "sentence": "P10Y"},
    ], name="court.csv")
    families = write_rows([{"record_id": "F2", "name": "周文", "event": "detained", "event_date": "1989-06"}],
                          name="families.csv")
    import_file(case, court, source_name="Court judgments")
    import_file(case, families, source_name="Families: Beijing")  # a colon in the source's name too
    unlinked = person_status(case, "Court judgments:C7", dt.date(2000, 1, 1))
    assert unlinked["person_id"] == "Court judgments:C7" and len(unlinked["timeline"]) == 3
    # Expected release 1999-06-10 (ten years from the first day in custody), none confirmed: counted from the day.
    assert unlinked["flags"][0] == ("expected release 1999-06-10 passed 205 days before 2000-01-01 "
                                    "with no confirmed release")
    assert unlinked["flag_details"][0]["days"] == 205
    later = person_status(case, "Court judgments:C7", dt.date(2000, 1, 1), today=dt.date(2001, 1, 1))
    assert later["flag_details"][0]["days"] == 571 and later["status"] == "unknown"
    person = Person.objects.create(person_id="P-000042")
    Record.objects.update(person=person)
    for asked in ("Court judgments:C7", "Families: Beijing:F2", "P-000042"):
        found = person_status(case, asked, dt.date(2000, 1, 1))
        assert found["person_id"] == "P-000042" and found["record_ids"] == ["Court judgments:C7", "Families: Beijing:F2"]
        assert [step["event"] for step in found["timeline"]] == ["detained", "detained", "arrested", "sentenced"]
        assert found.get("asked_for") == (None if asked == "P-000042" else asked)
    with pytest.raises(LookupError, match="no custody events"):
        person_status(case, "Court judgments:NOPE")


def test_a_release_with_no_date_is_kept_with_its_date_unknown(case, write_rows):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Claim

    path = write_rows([
        {"record_id": "R1", "name": "陈大文", "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "R1", "event": "sentenced", "event_date": "1989-09-01", "sentence": "P5Y"},
        {"record_id": "R1", "event": "released"},
    ])
    import_file(case, path, source_name="Families")
    date = Claim.objects.get(field="event_date", row=4)
    assert (date.kind, date.value, date.column, date.event.event_type) == ("unknown", "", "event_date", "released")
    before = person_status(case, "Families:R1", dt.date(1992, 1, 1))
    assert before["status"] == "held" and before["ended_by"] == "released" and before["ended_on"] == "unknown"
    released = [step for step in before["timeline"] if step["event"] == "released"]
    assert len(released) == 1 and released[0]["date"] is None
    # Released on a day nobody stated: never 'released' from a guessed day, never overdue.
    later = person_status(case, "Families:R1", dt.date(2026, 1, 1))
    assert later["status"] == "unknown" and later["flags"] == []


def test_figures_without_names_give_the_same_histories(court_case):
    # The web's and the accounting's figures read no name, and choosing names was half their time.
    case, _ = court_case
    named, plain = custody_people(case), custody_people(case, named=False)
    assert [(p.person_id, p.record_ids, p.view) for p in named] == [(p.person_id, p.record_ids, p.view) for p in plain]
    assert any(p.name for p in named) and not any(p.name for p in plain)
