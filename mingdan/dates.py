"""Uncertain dates (EDTF levels 0-1, Chinese forms) and ISO 8601 durations; a pure core."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CHINESE = re.compile(r"^(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?$")
_PART = re.compile(r"^(\d{4}|\d{3}X|\d{2}XX)(?:-(\d\d|XX))?(?:-(\d\d|\dX|XX))?$")
_DURATION = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


class DateError(ValueError):
    """A date that cannot be parsed; str() is a user-facing reason."""


@dataclass(frozen=True, slots=True)
class UncertainDate:
    """An EDTF date with the earliest and latest day it can mean."""

    text: str
    earliest: dt.date
    latest: dt.date
    uncertain: bool = False
    approximate: bool = False

    def overlaps(self, other: UncertainDate) -> bool:
        """True when the two could be the same day."""
        return self.earliest <= other.latest and other.earliest <= self.latest

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True, slots=True)
class Duration:
    """A calendar duration: years, months, days."""

    years: int
    months: int
    days: int

    def iso(self) -> str:
        """ISO 8601 form, e.g. P13Y6M."""
        text = "P" + (f"{self.years}Y" if self.years else "") + (f"{self.months}M" if self.months else "")
        text += f"{self.days}D" if self.days else ""
        return text if text != "P" else "P0D"

    def add_to(self, day: dt.date) -> dt.date:
        """The date this long after day (month ends clamped: Jan 31 + P1M = end of February)."""
        return _shift(day, self, 1)

    def subtract_from(self, day: dt.date) -> dt.date:
        """The date this long before day."""
        return _shift(day, self, -1)


def normalize_digits(text: str) -> str:
    """Full-width digits and punctuation, and Chinese numeral digits, as ASCII."""
    return text.translate(_FULL_WIDTH)


@lru_cache(maxsize=100_000)
def parse_date(text: str, date_format: str | None = None) -> UncertainDate:
    """Parse an EDTF level 0-1 date, a Chinese-form date, or a strptime-formatted date."""
    value = normalize_digits(text.strip())
    if not value:
        raise DateError("the date is empty")
    if date_format:
        try:
            day = dt.datetime.strptime(value, date_format).date()
        except ValueError as exc:
            raise DateError(f"does not match the date format {date_format!r}: {exc}") from None
        return UncertainDate(day.isoformat(), day, day)
    if "年" in value:
        value = _from_chinese(value)
    if re.fullmatch(r"\d{1,2}[/.]\d{1,2}[/.]\d{4}", value):
        raise DateError("day and month order is ambiguous; give date_format in the mapping file")
    match = re.fullmatch(r"(\d{4})[./](\d{1,2})[./](\d{1,2})", value)
    if match:
        value = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
    qualifier = value[-1] if value[-1] in "?~%" else ""
    core = value[:-1] if qualifier else value
    if "/" in core:
        if core.count("/") != 1:
            raise DateError(f"{text!r} is not an EDTF date or interval")
        start, end = core.split("/")
        earliest, _ = _part(start, text)
        _, latest = _part(end, text)
        if latest < earliest:
            raise DateError(f"the interval {text!r} ends before it starts")
    else:
        earliest, latest = _part(core, text)
    return UncertainDate(value, earliest, latest, qualifier in "?%" and bool(qualifier),
                         qualifier in "~%" and bool(qualifier))


def parse_duration(text: str) -> Duration:
    """An ISO 8601 duration of years, months, weeks and days (P20Y, P13Y6M, P11M, P2W)."""
    value = text.strip().upper()
    match = _DURATION.match(value)
    if not match or value == "P":
        raise DateError(f"{text!r} is not an ISO 8601 duration such as P20Y, P13Y6M or P11M")
    years, months, weeks, days = (int(group or 0) for group in match.groups())
    return Duration(years, months, days + 7 * weeks)


def _from_chinese(value: str) -> str:
    value = value.translate(_CHINESE_DIGITS)
    match = _CHINESE.match(value)
    if not match:
        raise DateError(f"{value!r} is not a date of the form 1989年6月4日")
    year, month, day = match.groups()
    return year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")


def _part(value: str, original: str) -> tuple[dt.date, dt.date]:
    match = _PART.match(value)
    if not match:
        raise DateError(f"{original!r} is not an EDTF date (e.g. 1989-06-04, 1989-06, 1989-06-0X, 1990~)")
    year, month, day = match.groups()
    first_year, last_year = int(year.replace("X", "0")), int(year.replace("X", "9"))
    if first_year < 1:
        raise DateError(f"{original!r}: year 0 does not exist")
    if month is None or month == "XX":
        if day is not None and day != "XX":
            raise DateError(f"{original!r}: a day needs a month")
        return dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    number = int(month)
    if not 1 <= number <= 12:
        raise DateError(f"{original!r}: there is no month {number}")
    last_day = calendar.monthrange(last_year, number)[1]
    if day is None or day == "XX":
        return dt.date(first_year, number, 1), dt.date(last_year, number, last_day)
    if "X" in day:
        low, high = int(day.replace("X", "0")), min(int(day.replace("X", "9")), last_day)
        return dt.date(first_year, number, max(low, 1)), dt.date(last_year, number, high)
    if not 1 <= int(day) <= last_day:
        raise DateError(f"{original!r}: {calendar.month_name[number]} {first_year} has {last_day} days")
    return dt.date(first_year, number, int(day)), dt.date(first_year, number, int(day))


def _shift(day: dt.date, duration: Duration, sign: int) -> dt.date:
    month = day.month - 1 + sign * (duration.years * 12 + duration.months)
    year, month = day.year + month // 12, month % 12 + 1
    shifted = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return shifted + dt.timedelta(days=sign * duration.days)
