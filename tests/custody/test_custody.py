"""Custody: expected release, status on a date, flags — with uncertain dates as bounds."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.custody import PRC_RULES, Step, analyse
from mingdan.dates import parse_date, parse_duration


def step(event: str, date: str | None, kind: str = "", term: str | None = None, reprieve: str | None = None) -> Step:
    return Step(event=event, date=parse_date(date) if date else None, sentence_kind=kind,
                term=parse_duration(term) if term else None, reprieve=parse_duration(reprieve) if reprieve else None)


COMPOSITE = [
    step("detained", "1989-06-10"),
    step("sentenced", "1989-08-07", "death_reprieve", reprieve="P2Y"),
    step("commuted", "1991", "life"),
    step("commuted", "1998-09-15", "fixed", "P20Y"),
    step("reduced", "2012-06-12", "reduction", "P1Y"),
    step("reduced", "2016-03-07", "reduction", "P11M"),
]


def test_the_composite_example_is_released_on_2016_10_15():
    view = analyse(COMPOSITE)
    assert (view.expected_release.earliest, view.expected_release.latest) == (dt.date(2016, 10, 15),) * 2
    assert view.sentence == "P20Y"
    assert view.status_on(dt.date(2012, 6, 4)) == "held"
    assert view.status_on(dt.date(2016, 10, 14)) == "held"
    assert view.status_on(dt.date(2017, 1, 1)) == "unknown"  # the release was never confirmed
    assert view.status_on(dt.date(1989, 6, 1)) == "not_detained"


def test_an_uncertain_ruling_date_gives_bounds_not_one_invented_date():
    steps = [*COMPOSITE[:3], step("commuted", "1998-09", "fixed", "P20Y"), *COMPOSITE[4:]]
    release = analyse(steps).expected_release
    assert (release.earliest, release.latest) == (dt.date(2016, 10, 1), dt.date(2016, 10, 30))
    assert analyse(steps).status_on(dt.date(2016, 10, 10)) == "unknown"


def test_pre_trial_detention_is_credited_under_prc_rules():
    steps = [step("detained", "1989-06-10"), step("sentenced", "1990-01-20", "fixed", "P13Y")]
    assert analyse(steps).expected_release.earliest == dt.date(2002, 6, 10)
    from dataclasses import replace

    no_credit = replace(PRC_RULES, name="no credit", credit_pretrial_detention=False)
    assert analyse(steps, no_credit).expected_release.earliest == dt.date(2003, 1, 20)


def test_a_vaguer_source_does_not_push_the_release_past_what_an_exact_one_allows():
    # One list says "June 1989", another "10 June 1989": custody began by 10 June at the latest.
    steps = [step("detained", "1989-06"), step("arrested", "1989-06-10"), step("sentenced", "1990-01-20", "fixed", "P13Y")]
    view = analyse(steps)
    assert (view.custody_start.earliest, view.custody_start.latest) == (dt.date(1989, 6, 1), dt.date(1989, 6, 10))
    assert (view.expected_release.earliest, view.expected_release.latest) == (dt.date(2002, 6, 1), dt.date(2002, 6, 10))
    # A later start that is not earlier changes nothing.
    later = analyse([step("detained", "1989-06-10"), step("arrested", "1989-07"), steps[2]])
    assert (later.custody_start.earliest, later.custody_start.latest) == (dt.date(1989, 6, 10),) * 2


def test_a_term_commuted_from_a_reprieve_runs_from_the_end_of_the_reprieve():
    steps = [step("sentenced", "1990-03-01", "death_reprieve"), step("commuted", "1992-05-20", "fixed", "P25Y")]
    assert analyse(steps).expected_release.earliest == dt.date(2017, 3, 1)


def test_a_confirmed_release_ends_custody_and_no_flag_is_raised():
    steps = [*COMPOSITE, step("released", "2016-10-15")]
    view = analyse(steps)
    assert view.status_on(dt.date(2016, 10, 14)) == "held"
    assert view.status_on(dt.date(2016, 10, 15)) == "released"
    assert view.flags(dt.date(2026, 1, 1)) == []


def test_an_overdue_release_and_an_old_status_are_flagged():
    flags = analyse(COMPOSITE).flags(dt.date(2026, 11, 24))
    assert flags[0].startswith("expected release 2016-10-15 passed 3692 days before 2026-11-24")
    assert flags[1] == "status not confirmed for more than 5 years before 2026-11-24 (last event 2016-03-07)"
    # Counted from the day asked about, not from the real today.
    assert analyse(COMPOSITE).flags(dt.date(2017, 1, 13)) == []  # 90 days: not yet overdue
    assert analyse(COMPOSITE).flags(dt.date(2017, 1, 14)) == [
        "expected release 2016-10-15 passed 91 days before 2017-01-14 with no confirmed release"]
    assert analyse(COMPOSITE).flag_details(dt.date(2017, 1, 14)) == [
        {"code": "overdue", "expected_release": "2016-10-15", "days": 91, "day": "2017-01-14"}]


def test_a_release_after_the_day_shows_the_person_was_held():
    steps = [step("detained", "1989-06"), step("released", "2016")]
    view = analyse(steps)
    assert view.status_on(dt.date(2012, 6, 4)) == "held"
    assert view.status_on(dt.date(1989, 6, 15)) == "unknown"  # detained some day in June
    assert view.status_on(dt.date(2016, 6, 1)) == "unknown"  # released some day in 2016
    assert view.status_on(dt.date(2017, 1, 1)) == "released"


def test_death_in_custody():
    view = analyse([step("detained", "1989-06-05"), step("died_in_custody", "1990-02-01")])
    assert view.status_on(dt.date(1990, 1, 31)) == "held"
    assert view.status_on(dt.date(1990, 2, 1)) == "deceased"


dates = st.dates(min_value=dt.date(1980, 1, 1), max_value=dt.date(2000, 12, 31))
durations = st.builds(lambda y, m: f"P{y}Y{m}M" if m else f"P{y}Y", st.integers(1, 20), st.integers(0, 11))
reductions = st.builds(lambda m: f"P{m}M", st.integers(1, 24))


@settings(max_examples=300, deadline=None)
@given(start=dates, gap=st.integers(0, 400), term=durations, cuts=st.lists(reductions, max_size=4), extra=reductions)
def test_adding_a_reduction_never_moves_the_release_later(start, gap, term, cuts, extra):
    sentenced = start + dt.timedelta(days=gap)
    steps = [step("detained", start.isoformat()), step("sentenced", sentenced.isoformat(), "fixed", term)]
    day = sentenced
    for cut in cuts:
        day += dt.timedelta(days=200)
        steps.append(step("reduced", day.isoformat(), "reduction", cut))
    before = analyse(steps).expected_release
    after = analyse([*steps, step("reduced", (day + dt.timedelta(days=30)).isoformat(), "reduction", extra)]).expected_release
    assert after.earliest < before.earliest and after.latest < before.latest


@settings(max_examples=300, deadline=None)
@given(start=dates, held_days=st.integers(1, 5000), probe=st.integers(-100, 6000))
def test_status_agrees_with_the_events(start, held_days, probe):
    release = start + dt.timedelta(days=held_days)
    view = analyse([step("detained", start.isoformat()), step("released", release.isoformat())])
    day = start + dt.timedelta(days=probe)
    expected = "not_detained" if day < start else ("held" if day < release else "released")
    assert view.status_on(day) == expected


def test_a_release_dated_before_a_reduction_is_flagged_not_computed_silently():
    released = Step(event="released", date=parse_date("2010-05-01"), source="Families list.csv:4")
    reduced = Step(event="reduced", date=parse_date("2012-06-12"), sentence_kind="reduction",
                   term=parse_duration("P1Y"), source="Court court.csv:6")
    view = analyse([step("detained", "1989-06-10"), step("sentenced", "1989-09-01", "fixed", "P20Y"), released, reduced])
    details = view.flag_details(dt.date(2026, 1, 1))
    assert [d["code"] for d in details] == ["release_before_reduction"]
    assert details[0]["release_date"] == "2010-05-01" and details[0]["reduction_date"] == "2012-06-12"
    assert "Families list.csv:4" in view.flags(dt.date(2026, 1, 1))[0]
    assert view.expected_release.earliest == dt.date(2009, 6, 10)  # the reduction was not subtracted
    assert view.status_on(dt.date(2011, 1, 1)) == "released"
    # A release whose date may fall after the reduction (some day of 2012) is no contradiction.
    vague = analyse([step("detained", "1989-06-10"), step("released", "2012"), reduced])
    assert vague.flag_details(dt.date(2026, 1, 1)) == []


def test_the_sentence_on_a_day_is_the_one_in_force_then_not_the_last_known():
    view = analyse(COMPOSITE)
    assert view.sentence == "P20Y"
    assert [view.sentence_on(dt.date(year, 7, 1)) for year in (1989, 1990, 1991, 1995, 2000)] == \
        [None, "death_reprieve", "unknown", "life", "P20Y"]  # 1991: commuted some day of that year
    assert view.sentence_on(dt.date(1989, 8, 7)) == "death_reprieve"
