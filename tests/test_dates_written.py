"""Dates as lists write them (Chinese, English, numeric, with a mapping's formats): table and property tests."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.dates import DateError, parse_date

D = dt.date
Y89 = {"default_year": 1989}

# (written, what the mapping says, EDTF, earliest, latest, approximate, uncertain)
WRITTEN = [
    # Chinese
    ("1989年6月4日凌晨", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1989年6月4日凌晨1时许", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1989年6月4日下午3点", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("6月3日夜", Y89, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("6月3日深夜", Y89, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("6月3日晚", Y89, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("6月3日晚至4日凌晨", Y89, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("1989年6月3日至4日", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("1989年6月3日-6月5日", {}, "1989-06-03/1989-06-05", D(1989, 6, 3), D(1989, 6, 5), False, False),
    ("1989年6月3-4日", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("78年6月3-4日", {"era": "minguo"}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("78年6月4日凌晨", {"era": "minguo"}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1990年5月22日", {"era": "minguo"}, "1990-05-22", D(1990, 5, 22), D(1990, 5, 22), False, False),
    ("约1989年6月", {}, "1989-06~", D(1989, 6, 1), D(1989, 6, 30), True, False),
    ("1990年左右", {}, "1990~", D(1990, 1, 1), D(1990, 12, 31), True, False),
    ("1989年6月4日?", {}, "1989-06-04?", D(1989, 6, 4), D(1989, 6, 4), False, True),
    ("1989年6月4日（待核实）", {}, "1989-06-04?", D(1989, 6, 4), D(1989, 6, 4), False, True),
    ("六月四日", Y89, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("一九八九年六月四日", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("一九八九年六月三十日", {}, "1989-06-30", D(1989, 6, 30), D(1989, 6, 30), False, False),
    ("二〇〇八年三月十四日", {}, "2008-03-14", D(2008, 3, 14), D(2008, 3, 14), False, False),
    ("1989年6月4日星期日", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("一九八九年六月四日（星期日）", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("6月4日周日", Y89, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1989年6月4日晨", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("〇四年6月4日", {"two_digit_years_from": 1920}, "2004-06-04", D(2004, 6, 4), D(2004, 6, 4), False, False),
    ("六月〇五日", Y89, "1989-06-05", D(1989, 6, 5), D(1989, 6, 5), False, False),
    ("民国七十八年六月四日", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("民國36年2月28日", {}, "1947-02-28", D(1947, 2, 28), D(1947, 2, 28), False, False),
    ("1989年6月上旬", {}, "1989-06-01/1989-06-10", D(1989, 6, 1), D(1989, 6, 10), False, False),
    ("1989年6月中旬", {}, "1989-06-11/1989-06-20", D(1989, 6, 11), D(1989, 6, 20), False, False),
    ("1989年6月下旬", {}, "1989-06-21/1989-06-30", D(1989, 6, 21), D(1989, 6, 30), False, False),
    ("1988年2月下旬", {}, "1988-02-21/1988-02-29", D(1988, 2, 21), D(1988, 2, 29), False, False),
    ("约1989年6月上旬", {}, "1989-06-01~/1989-06-10~", D(1989, 6, 1), D(1989, 6, 10), True, False),
    ("1989年6月初", {}, "1989-06-01~/1989-06-10~", D(1989, 6, 1), D(1989, 6, 10), True, False),
    ("1989年6月底", {}, "1989-06-21~/1989-06-30~", D(1989, 6, 21), D(1989, 6, 30), True, False),
    ("1989年6月份", {}, "1989-06", D(1989, 6, 1), D(1989, 6, 30), False, False),
    ("1989年夏", {}, "1989-22", D(1989, 6, 1), D(1989, 8, 31), False, False),
    ("1989年6月4号", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("89年6月4日", {"two_digit_years_from": 1920}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1989年6月4日", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("１９８９年６月４日", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    # numeric
    ("1989.6.4", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1989-6-4", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("1989/6", {}, "1989-06", D(1989, 6, 1), D(1989, 6, 30), False, False),
    ("6/1989", {}, "1989-06", D(1989, 6, 1), D(1989, 6, 30), False, False),
    ("89.6.4", {"two_digit_years_from": 1920, "date_order": "ymd"}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("03/06/1989", {"date_order": "dmy"}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("03/06/1989", {"date_order": "mdy"}, "1989-03-06", D(1989, 3, 6), D(1989, 3, 6), False, False),
    ("4.6.05", {"date_order": "dmy", "two_digit_years_from": 1930}, "2005-06-04", D(2005, 6, 4), D(2005, 6, 4), False, False),
    # English
    ("3 June 1989", {}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    # Spreadsheet forms join a date's parts with hyphens: not ranges to the end of the year (outside tester, 2026-12-02).
    ("Jun-89", {"two_digit_years_from": 1920}, "1989-06", D(1989, 6, 1), D(1989, 6, 30), False, False),
    ("4-Jun-89", {"two_digit_years_from": 1920}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("June-1990", {}, "1990-06", D(1990, 6, 1), D(1990, 6, 30), False, False),
    ("3 June-89", {"two_digit_years_from": 1920}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("June 3-89", {"two_digit_years_from": 1920}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("June 3-4", Y89, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("Jun-1989 to Jul-1989", {}, "1989-06/1989-07", D(1989, 6, 1), D(1989, 7, 31), False, False),
    ("3rd June 1989", {}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("the 3rd of June, 1989", {}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("June 3, 1989", {}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("Jun. 3 1989", {}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("Sunday, June 4, 1989", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("3-4 June 1989", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("June 3-4, 1989", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("between 3 and 5 June 1989", {}, "1989-06-03/1989-06-05", D(1989, 6, 3), D(1989, 6, 5), False, False),
    ("30 May - 4 June 1989", {}, "1989-05-30/1989-06-04", D(1989, 5, 30), D(1989, 6, 4), False, False),
    ("night of 3 June 1989", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("night of June 3-4, 1989", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("early hours of 4 June 1989", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("in the early morning of June 4, 1989", {}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("evening of 3 June 1989", {}, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("late night of 3 June 1989", {}, "1989-06-03/1989-06-04", D(1989, 6, 3), D(1989, 6, 4), False, False),
    ("June 1989", {}, "1989-06", D(1989, 6, 1), D(1989, 6, 30), False, False),
    ("early June 1989", {}, "1989-06-01~/1989-06-10~", D(1989, 6, 1), D(1989, 6, 10), True, False),
    ("mid-June 1989", {}, "1989-06-11~/1989-06-20~", D(1989, 6, 11), D(1989, 6, 20), True, False),
    ("late February 1988", {}, "1988-02-21~/1988-02-29~", D(1988, 2, 21), D(1988, 2, 29), True, False),
    ("about June 1989", {}, "1989-06~", D(1989, 6, 1), D(1989, 6, 30), True, False),
    ("c. 1990", {}, "1990~", D(1990, 1, 1), D(1990, 12, 31), True, False),
    ("June 1989?", {}, "1989-06?", D(1989, 6, 1), D(1989, 6, 30), False, True),
    ("summer 1989", {}, "1989-22", D(1989, 6, 1), D(1989, 8, 31), False, False),
    ("3 June", Y89, "1989-06-03", D(1989, 6, 3), D(1989, 6, 3), False, False),
    ("4 June '89", {"two_digit_years_from": 1920}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    # a mapping's formats, tried first and in order; a year-less format takes default_year
    ("04/06/1989", {"date_format": ("%d/%m/%Y",)}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("24/06/1989", {"date_format": ("%d/%m/%Y", "%m/%d/%Y")}, "1989-06-24", D(1989, 6, 24), D(1989, 6, 24), False, False),
    ("06/1989", {"date_format": ("%m/%Y",)}, "1989-06", D(1989, 6, 1), D(1989, 6, 30), False, False),
    ("4/6/89", {"date_format": ("%d/%m/%y",), "two_digit_years_from": 1930}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
    ("29.02", {"date_format": ("%d.%m",), "default_year": 1988}, "1988-02-29", D(1988, 2, 29), D(1988, 2, 29), False, False),
    ("6月4日", {"date_format": ("%m月%d日",), "default_year": 1989}, "1989-06-04", D(1989, 6, 4), D(1989, 6, 4), False, False),
]


def _parse(text, said):
    said = dict(said)
    return parse_date(text, said.pop("date_format", None), **said)


@pytest.mark.parametrize("text, said, edtf, earliest, latest, approximate, uncertain", WRITTEN)
def test_written_dates_read_as_edtf_with_their_bounds(text, said, edtf, earliest, latest, approximate, uncertain):
    parsed = _parse(text, said)
    assert (parsed.text, parsed.earliest, parsed.latest) == (edtf, earliest, latest)
    assert (parsed.approximate, parsed.uncertain) == (approximate, uncertain)
    assert parse_date(edtf) == parsed  # the stored EDTF reads back to the same bounds


@pytest.mark.parametrize("text, said, reason", [
    ("6月3日夜", {}, "has no year; give default_year"),
    ("3 June", {}, "has no year; give default_year"),
    ("89.6.4", {}, "ambiguous; give date_order"),
    ("89.6.4", {"date_order": "ymd"}, "two-digit year (89); give two_digit_years_from"),
    ("89年6月4日", {}, "two-digit year"),
    ("78年6月4日", {}, "or era: minguo if its years are 民国 years"),
    ("民国0年6月", {}, "no year 0 of the Republic"),
    ("4 June '89", {}, "two-digit year"),
    ("03/06/1989", {}, "ambiguous"),
    ("03-06-1989", {}, "ambiguous"),
    ("03/06/1989", {"date_format": ("%d/%m/%Y", "%m/%d/%Y")}, "ambiguous: it matches the date formats '%d/%m/%Y' (1989-06-03) and '%m/%d/%Y' (1989-03-06)"),
    ("4/6/89", {"date_format": ("%d/%m/%y",)}, "two-digit year"),
    ("6月4日", {"date_format": ("%m月%d日",)}, "has no year; give default_year"),
    ("农历五月初一", {}, "lunar-calendar date"),
    ("1989年农历五月初四", {}, "lunar-calendar date"),
    ("正月十五", Y89, "lunar-calendar date"),
    ("1989年2月30日", {}, "February 1989 has 28 days"),
    ("1989年13月", {}, "no month 13"),
    ("1989年底", {}, "年底 have no agreed span"),
    ("1989年6月凌晨", {}, "凌晨 needs a day"),
    ("989年6月4日", {}, "a year of 3 digits"),
    ("Monday, June 4, 1989", {}, "was a Sunday, not a Monday"),
    ("31 June 1989", {}, "June 1989 has 30 days"),
    ("June 3 July 1989", {}, "two months"),
    ("early 3 June 1989", {}, "early, mid and late go with a month"),
    ("5-3 June 1989", {}, "ends before it starts"),
    ("yesterday", {}, "is not an EDTF date"),
    ("二〇二四年整理 北京名单", {}, "is not a date of the form 1989年6月4日"),
    ("1989年6月4日星期一", {}, "1989-06-04 was a 星期日, not a 星期一"),
    ("〇四年6月4日", {}, "has a two-digit year (04)"),
])
def test_what_cannot_be_read_says_why_and_guesses_nothing(text, said, reason):
    with pytest.raises(DateError, match=_escape(reason)):
        _parse(text, said)


def _escape(text: str) -> str:
    import re

    return re.escape(text)


@given(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_one_day_reads_the_same_in_every_form(day):
    iso = parse_date(day.isoformat())
    month = calendar.month_name[day.month]
    forms = [f"{day.year}年{day.month}月{day.day}日", f"{day.day} {month} {day.year}", f"{month} {day.day}, {day.year}",
             f"{day.day}{_suffix(day.day)} {calendar.month_abbr[day.month]} {day.year}", f"{day.year}.{day.month}.{day.day}",
             f"{day.year}年{day.month}月{day.day}日凌晨", _chinese_numerals(day)]
    for form in forms:
        assert parse_date(form) == iso, form
    assert parse_date(f"{day.day:02d}/{day.month:02d}/{day.year}", date_order="dmy") == iso
    assert parse_date(f"{day.month}/{day.day}/{day.year}", date_order="mdy") == iso


def _suffix(day: int) -> str:
    return "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _chinese_numerals(day: dt.date) -> str:
    digits = "〇一二三四五六七八九"

    def small(n: int) -> str:  # 1-31 as written: 四, 十, 十四, 二十, 三十一
        tens, ones = divmod(n, 10)
        return (("" if tens == 1 else digits[tens]) + "十" if tens else "") + (digits[ones] if ones else "")

    return "".join(digits[int(c)] for c in str(day.year)) + f"年{small(day.month)}月{small(day.day)}日"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_a_night_is_its_day_and_the_next(day):
    parsed = parse_date(f"{day.month}月{day.day}日夜", default_year=day.year)
    assert (parsed.earliest, parsed.latest) == (day, day + dt.timedelta(days=1))
    english = parse_date(f"night of {day.day} {calendar.month_name[day.month]} {day.year}")
    assert (english.earliest, english.latest) == (parsed.earliest, parsed.latest)


@given(st.integers(1900, 2099), st.integers(1, 12), st.sampled_from([("上旬", "early", 1, 10), ("中旬", "mid", 11, 20),
                                                                      ("下旬", "late", 21, 31)]))
def test_thirds_of_a_month_cover_its_days(year, month, third):
    chinese, english, low, high = third
    last = calendar.monthrange(year, month)[1]
    xun = parse_date(f"{year}年{month}月{chinese}")
    assert (xun.earliest, xun.latest) == (dt.date(year, month, low), dt.date(year, month, min(high, last)))
    assert not xun.approximate  # 旬 are defined; early/mid/late are the same days, approximately
    loose = parse_date(f"{english} {calendar.month_name[month]} {year}")
    assert (loose.earliest, loose.latest, loose.approximate) == (xun.earliest, xun.latest, True)


@given(st.integers(0, 99), st.integers(1000, 9800))
def test_two_digit_years_fall_in_the_mapping_window(yy, start):
    parsed = parse_date(f"{yy:02d}年6月4日", two_digit_years_from=start)
    assert start <= parsed.earliest.year < start + 100 and parsed.earliest.year % 100 == yy


writtenish = st.lists(st.sampled_from(list("0123456789年月日号夜晨上中下旬约至-/. ,?~早晚初底季春夏民国农历一二三四五六七八九十〇")
                                     + ["June ", "Jun ", "early ", "night of ", "the ", "3rd ", "1989 "]),
                      max_size=14).map("".join)


@settings(max_examples=600, deadline=None)
@given(st.one_of(writtenish, st.text(max_size=16)), st.sampled_from([{}, Y89, {"two_digit_years_from": 1920},
                                                                      {"date_order": "dmy"}]))
def test_any_text_is_a_date_or_a_clear_reason(text, said):
    try:
        parsed = parse_date(text, **said)
    except DateError as error:
        assert str(error)
    else:
        assert parsed.earliest <= parsed.latest
        assert parse_date(parsed.text) == parsed
