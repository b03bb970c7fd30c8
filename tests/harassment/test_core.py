"""The harassment core: counts per year and kind, spells of restriction, status on a day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.harassment import Harassment, distinct, families_of_named, longest_restrictions, per_year, restricted_on
from mingdan.harassment.restrictions import spells
from mingdan.simulate import SimulationSettings, simulate_case
from mingdan.simulate.harassment_lists import by_year, restricted_on as true_restricted_on, recorded_events


def h(person, kind, date, duration="", source="x.csv:2"):
    return Harassment(person, kind, date, duration, sources=(source,))


@pytest.mark.parametrize("event, first, last", [
    (h("a", "administrative_detention", "2019-05-28", "P15D"), "2019-05-28", "2019-06-11"),
    (h("a", "house_arrest", "2019-05-28/2019-06-06"), "2019-05-28", "2019-06-06"),
    (h("a", "criminal_detention", "2019-01-31", "P1M"), "2019-01-31", "2019-02-27"),
    (h("a", "police_visit", "2019-06-03"), "2019-06-03", "2019-06-03"),
])
def test_span_of_an_event(event, first, last):
    assert (event.start.earliest, event.end.earliest) == (dt.date.fromisoformat(first), dt.date.fromisoformat(last))


def test_the_same_event_from_two_sources_counts_once_and_keeps_both_sources():
    events = [h("a", "house_arrest", "2019-05-28/2019-06-06", source="f.csv:3"),
              h("a", "house_arrest", "2019-05-28/2019-06-06", source="g.csv:9"),
              h("a", "house_arrest", "2020-05-28/2020-06-06")]
    merged = distinct(events)
    assert len(merged) == 2 and merged[0].sources == ("f.csv:3", "g.csv:9")


def test_per_year_counts_people_events_kinds_window_and_families():
    events = [h("a", "house_arrest", "2019-05-28/2019-06-06"), h("a", "police_visit", "2019-11-02"),
              h("b", "house_arrest", "2019-06-01/2019-06-05"), h("c", "travel_ban", "2017-03-01/.."),
              h("d", "threats", "2019"),  # year certain, day not: counted in 2019, not around 4 June
              h("e", "threats", "201X")]  # year uncertain: set apart, never guessed
    years, undated = per_year(events, 2017, 2019, relatives={"a": ["v1"], "b": ["v1", "v2"]})
    assert [y.year for y in years] == [2017, 2018, 2019]
    y2019 = years[2].as_dict()
    assert (y2019["people"], y2019["events"]) == (3, 4)
    assert y2019["by_kind"] == {"house_arrest": 2, "police_visit": 1, "threats": 1}
    # the open travel ban of 2017 still runs on 4 June 2019 but was not done around it
    assert y2019["anniversary"] == {"people": 2, "events": 2}
    assert (y2019["relatives"], y2019["families"]) == (2, 2)
    assert years[1].as_dict()["events"] == 0 and [e.person for e in undated] == ["e"]


@pytest.mark.parametrize("date, duration, counted", [
    ("2019-05-28/2019-06-06", "", True), ("2019-06-19", "", True), ("2019-06-20", "", False),
    ("2019-05-01/2019-06-10", "", True),  # began earlier that year, surely ran on 4 June
    ("2019-05-01", "P30D", False),  # ended 30 May
    ("2019-06", "", False),  # some day in June: not surely within the window
    ("2018-12-01/..", "", False),  # running since the year before
])
def test_around_the_anniversary(date, duration, counted):
    assert h("a", "house_arrest", date, duration).around(dt.date(2019, 6, 4), 15) is counted


def test_families_of_named_victims():
    events = [h("m", "house_arrest", "2019-05-28/2019-06-06"), h("m", "threats", "2021-06-01")]
    families = families_of_named(events, [("m", "mother_of", "v"), ("z", "father_of", "v")])
    assert families == [{"victim": "v", "relatives": [{"person": "m", "relation": "mother_of", "events": 2,
                                                        "first_year": 2019, "last_year": 2021}]}]


def test_overlapping_and_adjacent_restrictions_merge_into_one_spell():
    events = [h("a", "house_arrest", "2019-05-20/2019-05-31"),
              h("a", "administrative_detention", "2019-06-01", "P10D"),  # adjacent: from the next day
              h("a", "forced_travel", "2019-06-05/2019-06-15"),  # overlapping
              h("a", "house_arrest", "2019-06-17/2019-06-20"),  # a day free between: a new spell
              h("a", "police_visit", "2019-06-16")]  # not a restriction of liberty
    found = spells(events)
    assert [(s.first.isoformat(), s.last.isoformat(), s.events) for s in found] == [
        ("2019-05-20", "2019-06-15", 3), ("2019-06-17", "2019-06-20", 1)]
    longest = longest_restrictions(events, dt.date(2020, 1, 1))[0]
    assert longest.days(dt.date(2020, 1, 1)) == 27 and longest.kinds == (
        "administrative_detention", "forced_travel", "house_arrest")


def test_an_open_travel_ban_runs_to_the_day_reported_on():
    events = [h("a", "travel_ban", "2015-03-01/.."), h("b", "house_arrest", "2019-05-28/2019-06-06")]
    assert longest_restrictions(events, dt.date(2020, 3, 1))[0].days(dt.date(2020, 3, 1)) == 1828


def test_restricted_on_uses_bounds_like_custody_status():
    events = [h("sure", "house_arrest", "2019-05-28/2019-06-06"),
              h("maybe", "administrative_detention", "2019-05", "P10D"),  # some day in May, ten days
              h("before", "house_arrest", "2019-05-01/2019-05-10"),
              h("ban", "travel_ban", "2010-01-01/.."),
              h("visit", "police_visit", "2019-06-04")]
    result = {r.person: r for r in restricted_on(events, dt.date(2019, 6, 4))}
    assert set(result) == {"sure", "maybe", "ban"}
    assert result["sure"].status == "restricted" and result["maybe"].status == "unknown"
    assert str(result["maybe"].until) == "2019-05-10/2019-06-09"
    # a ban nobody has confirmed for more than five years is still listed, and flagged
    assert result["ban"].status == "restricted" and result["ban"].until is None
    assert result["ban"].flags[0]["code"] == "unconfirmed" and not result["sure"].flags


dates = st.dates(dt.date(1990, 1, 1), dt.date(2025, 12, 31))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["a", "b"]), dates, st.integers(0, 60)), max_size=12), dates)
def test_spells_never_overlap_and_cover_every_restricted_day(spans, day):
    events = [h(p, "house_arrest", f"{s.isoformat()}/{(s + dt.timedelta(days=n)).isoformat()}") for p, s, n in spans]
    found = spells(events)
    for person in ("a", "b"):
        mine = sorted((s.first, s.last) for s in found if s.person == person)
        assert all(later[0] > earlier[1] + dt.timedelta(days=1) for earlier, later in zip(mine, mine[1:]))
        covered = any(first <= day <= last for first, last in mine)
        assert covered == any(p == person and s <= day <= s + dt.timedelta(days=n) for p, s, n in spans)
        restricted = {r.person for r in restricted_on(events, day) if r.status == "restricted"}
        assert (person in restricted) == covered


@settings(max_examples=5, deadline=None)
@given(st.integers(0, 10_000))
def test_on_the_simulators_recorded_events_counts_and_restrictions_equal_its_truth(seed):
    case = simulate_case(SimulationSettings(seed=seed, people=500))
    events = [h(pid, e.kind, e.edtf, e.duration) for pid, evs in recorded_events(case.harassment).items() for e in evs]
    years, undated = per_year(events)
    assert not undated
    assert {str(y.year): {"people": y.people, "events": y.events, "by_kind": y.by_kind}
            for y in years if y.events} == by_year(case.harassment)
    for day in (dt.date(2009, 6, 4), dt.date(2019, 6, 1), dt.date(2024, 12, 31)):
        found = restricted_on(events, day)
        assert all(r.status == "restricted" for r in found)  # the simulator's dates are exact
        assert [r.person for r in found] == true_restricted_on(case.harassment, day)


@pytest.mark.parametrize("date, day, status", [
    ("/2019-06-04", "2019-06-04", "restricted"),  # unknown start: surely on its last day
    ("/2019-06-04", "2019-06-01", "unknown"),  # and possibly on any day before
    ("../2019-06-10", "2019-06-05", "unknown"),
    ("../2019-06-10", "2019-06-10", "restricted"),
    ("../2019-06-10", "2019-06-11", None),
    ("2019-06-01/..", "2019-06-04", "restricted"),  # still running
    ("2019-06-01/..", "2019-05-31", None),
    ("2019-06-01/", "2019-06-01", "restricted"),  # unknown end: surely its first day, possibly after
    ("2019-06-01/", "2019-06-04", "unknown"),
    ("2019-06/..", "2019-06-04", "unknown"),  # began some day in June
])
def test_open_and_unknown_ends_count_as_restricted_or_possibly(date, day, status):
    found = restricted_on([h("a", "travel_ban", date)], dt.date.fromisoformat(day))
    assert [r.status for r in found] == ([status] if status else [])


def test_an_open_start_is_written_as_open_not_as_year_one():
    (found,) = restricted_on([h("a", "house_arrest", "../2019-06-10")], dt.date(2019, 6, 5))
    assert found.as_dict()["since"] == "../2019-06-10"
    (found,) = restricted_on([h("a", "house_arrest", "2019-06-01/")], dt.date(2019, 6, 5))
    assert found.as_dict()["until"] == "2019-06-01/.."


def test_an_unknown_start_with_a_duration_begins_that_long_before_its_end():
    event = h("a", "administrative_detention", "/2019-06-10", "P10D")
    assert (event.start.earliest, event.end.earliest) == (dt.date(2019, 6, 1), dt.date(2019, 6, 10))


def test_uncertain_years_are_counted_apart_never_in_the_year():
    events = [h("a", "threats", "2019"), h("b", "threats", "2019?"), h("c", "police_visit", "2019-06?"),
              h("c", "threats", "2018~"), h("d", "threats", "201X")]
    years, undated = per_year(events)
    assert [y.year for y in years] == [2018, 2019]
    y2018, y2019 = (y.as_dict() for y in years)
    assert (y2019["people"], y2019["events"], y2019["by_kind"]) == (1, 1, {"threats": 1})
    assert y2019["uncertain_date"] == {"people": 2, "events": 2}
    assert (y2018["events"], y2018["uncertain_date"]) == (0, {"people": 1, "events": 1})
    assert [e.person for e in undated] == ["d"]
