"""Uncertain dates: EDTF levels 0-1 checked against the `edtf` package, Chinese forms, durations."""

from __future__ import annotations

import calendar
import datetime as dt
import time

import pytest
from edtf import parse_edtf
from hypothesis import assume, given
from hypothesis import strategies as st

from mingdan.dates import DateError, Duration, parse_date, parse_duration

years = st.integers(min_value=1000, max_value=2099)
months = st.integers(min_value=1, max_value=12)
qualifiers = st.sampled_from(["", "?", "~", "%"])


@st.composite
def edtf_dates(draw, forms=("day", "month", "year", "X-year", "XX-year", "XX-month", "XX-day", "season")) -> str:
    """A valid EDTF level 0-1 date that the edtf package also understands."""
    year, month = draw(years), draw(months)
    day = draw(st.integers(min_value=1, max_value=calendar.monthrange(year, month)[1]))
    form = draw(st.sampled_from(forms))
    text = {
        "day": f"{year:04d}-{month:02d}-{day:02d}",
        "month": f"{year:04d}-{month:02d}",
        "year": f"{year:04d}",
        "X-year": f"{year // 10:03d}X",
        "XX-year": f"{year // 100:02d}XX",
        "XX-month": f"{year:04d}-XX",
        "XX-day": f"{year:04d}-{month:02d}-XX",
        # Winter (24) crosses the new year; the edtf package ends it on 31 December, so it is checked apart.
        "season": f"{year:04d}-{draw(st.integers(21, 23))}",
    }[form]
    # The edtf package reads qualified seasons as level 2; ours accepts them, checked elsewhere.
    return text + (draw(qualifiers) if form != "season" else "")


def _day(struct: time.struct_time) -> dt.date:
    return dt.date(struct.tm_year, struct.tm_mon, struct.tm_mday)


@given(edtf_dates())
def test_bounds_agree_with_the_edtf_package(text):
    ours, theirs = parse_date(text), parse_edtf(text)
    assert (ours.earliest, ours.latest) == (_day(theirs.lower_strict()), _day(theirs.upper_strict()))
    assert ours.uncertain == (text[-1] in "?%")
    assert ours.approximate == (text[-1] in "~%")


# Level-1 interval ends are dates with qualifiers; the edtf package refuses unspecified digits there.
interval_ends = edtf_dates(forms=("day", "month", "year"))


@given(interval_ends, interval_ends)
def test_intervals_span_from_the_start_of_one_to_the_end_of_the_other(first, second):
    a, b = parse_date(first), parse_date(second)
    text = f"{first}/{second}"
    if b.latest < a.earliest:
        with pytest.raises(DateError, match="ends before it starts"):
            parse_date(text)
        return
    interval = parse_date(text)
    assert (interval.earliest, interval.latest) == (a.earliest, b.latest)
    theirs = parse_edtf(text)
    assert (interval.earliest, interval.latest) == (_day(theirs.lower_strict()), _day(theirs.upper_strict()))


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_chinese_full_width_and_iso_forms_of_one_day_agree(day):
    iso = parse_date(day.isoformat())
    chinese = parse_date(f"{day.year}年{day.month}月{day.day}日")
    full_width = parse_date(day.isoformat().translate(str.maketrans("0123456789-", "０１２３４５６７８９－")))
    slashed = parse_date(f"{day.year}/{day.month}/{day.day}")
    assert iso.earliest == iso.latest == day
    assert chinese == full_width == slashed == iso


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_unspecified_day_digit_covers_exactly_the_days_it_could_be(day):
    text = f"{day.year:04d}-{day.month:02d}-{day.day // 10}X"
    parsed = parse_date(text)
    assert parsed.earliest <= day <= parsed.latest
    candidates = [d for d in range(day.day // 10 * 10, day.day // 10 * 10 + 10)
                  if 1 <= d <= calendar.monthrange(day.year, day.month)[1]]
    assert (parsed.earliest.day, parsed.latest.day) == (min(candidates), max(candidates))


@given(st.text(max_size=20))
def test_any_text_parses_or_gives_a_date_error(text):
    try:
        parsed = parse_date(text)
    except DateError as error:
        assert str(error)
    else:
        assert parsed.earliest <= parsed.latest


@pytest.mark.parametrize("text, reason", [
    ("1989-02-30", "February 1989 has 28 days"),
    ("1989-13", "no month 13"),
    ("0000", "year 0"),
    ("04/06/1989", "ambiguous"),
    ("1989-06-04/1989-06-01", "ends before it starts"),
    ("yesterday", "not an EDTF date"),
    ("1989年13月", "no month 13"),
    ("", "empty"),
])
def test_impossible_dates_say_why(text, reason):
    with pytest.raises(DateError, match=reason):
        parse_date(text)


def test_winter_crosses_the_new_year_and_open_ends_reach_the_calendar_limits():
    winter = parse_date("1989-24")
    assert (winter.earliest, winter.latest) == (dt.date(1989, 12, 1), dt.date(1990, 2, 28))
    assert parse_date("1989-06-04/..").latest == dt.date.max
    assert parse_date("../1989-06-04").earliest == dt.date.min
    assert parse_date("/1989-06-04").uncertain  # an unknown start, unlike an open one
    leap = parse_date("198X-02-29")
    assert (leap.earliest, leap.latest) == (dt.date(1980, 2, 29), dt.date(1988, 2, 29))


def test_date_format_from_a_mapping_resolves_day_month_order():
    assert parse_date("04/06/1989", "%d/%m/%Y").earliest == dt.date(1989, 6, 4)
    assert parse_date("06/04/1989", "%m/%d/%Y").earliest == dt.date(1989, 6, 4)
    # A format adds a form; an unambiguous date in another form still reads as itself.
    assert parse_date("1989-06-04", "%d/%m/%Y").earliest == dt.date(1989, 6, 4)
    with pytest.raises(DateError, match="matches none of the date formats '%d/%m/%Y'"):
        parse_date("1989/06/04/x", "%d/%m/%Y")


@given(st.integers(0, 40), st.integers(0, 11), st.integers(0, 60))
def test_durations_round_trip_and_add_then_subtract_stays_within_month_end_clamping(y, m, d):
    duration = Duration(y, m, d)
    assert parse_duration(duration.iso()) == duration
    start = dt.date(1989, 8, 7)
    assert duration.subtract_from(duration.add_to(start)) == start


def test_durations_clamp_month_ends_and_refuse_nonsense():
    assert Duration(0, 1, 0).add_to(dt.date(1990, 1, 31)) == dt.date(1990, 2, 28)
    assert parse_duration("P13Y6M") == Duration(13, 6, 0)
    assert parse_duration("p2w") == Duration(0, 0, 14)
    for bad in ("P", "20Y", "P1.5Y", "P-1Y", "life"):
        with pytest.raises(DateError, match="ISO 8601 duration"):
            parse_duration(bad)


@given(edtf_dates(), edtf_dates())
def test_overlap_is_symmetric_and_means_a_shared_day(first, second):
    a, b = parse_date(first), parse_date(second)
    assume(a.latest < dt.date.max)
    assert a.overlaps(b) == b.overlaps(a) == (max(a.earliest, b.earliest) <= min(a.latest, b.latest))
