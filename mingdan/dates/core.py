"""EDTF levels 0-1 with the earliest and latest day each date can mean, and ISO 8601 durations."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_FULL_WIDTH = str.maketrans("０１２３４５６７８９／－．", "0123456789/-.")
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
    """Full-width digits and date punctuation as ASCII."""
    return text.translate(_FULL_WIDTH)


@lru_cache(maxsize=100_000)
def parse_edtf(text: str) -> UncertainDate:
    """Parse an EDTF level 0-1 date or interval (also 1989/6/4, 1989.6.4 and full-width digits)."""
    return from_edtf(normalize_digits(text.strip()), text)


def from_edtf(value: str, original: str) -> UncertainDate:
    """The bounds of an EDTF value; errors quote `original`, the text as the source wrote it."""
    text = original
    if not value:
        raise DateError("the date is empty")
    match = _YEAR_FIRST.fullmatch(value)
    if match:
        value = f"{match.group(1)}-{int(match.group(3)):02d}-{int(match.group(4)):02d}"
    if "/" in value:
        if value.count("/") != 1:
            raise DateError(f"{text!r} is not an EDTF date or interval")
        start, end = value.split("/")
        (earliest, _), start_flags = _open_end(start, text, _OPEN_START)
        (_, latest), end_flags = _open_end(end, text, _OPEN_END)
        if latest < earliest:
            raise DateError(f"the interval {text!r} ends before it starts")
        flags = (start_flags[0] or end_flags[0], start_flags[1] or end_flags[1])
    else:
        (earliest, latest), flags = _qualified(value, text)
    return UncertainDate(value, earliest, latest, *flags)


#: A year-first day with any of the separators lists use: 1989/6/4, 1989.6.4, 1989-6-4.
_YEAR_FIRST = re.compile(r"(\d{4})([./-])(\d{1,2})\2(\d{1,2})")


#: Open ("..") and unknown ("") interval ends stretch to the limits of the calendar.
_OPEN_START = (dt.date.min, dt.date.min)
_OPEN_END = (dt.date.max, dt.date.max)


def _open_end(value: str, original: str, limit: tuple[dt.date, dt.date]):
    if value in ("", ".."):
        return limit, (value == "", False)
    return _qualified(value, original)


def _qualified(value: str, original: str) -> tuple[tuple[dt.date, dt.date], tuple[bool, bool]]:
    qualifier = value[-1] if value and value[-1] in "?~%" else ""
    core = value[:-1] if qualifier else value
    return _part(core, original), (qualifier in ("?", "%"), qualifier in ("~", "%"))


def parse_duration(text: str) -> Duration:
    """An ISO 8601 duration of years, months, weeks and days (P20Y, P13Y6M, P11M, P2W)."""
    value = text.strip().upper()
    match = _DURATION.match(value)
    if not match or value == "P":
        raise DateError(f"{text!r} is not an ISO 8601 duration such as P20Y, P13Y6M or P11M")
    years, months, weeks, days = (int(group or 0) for group in match.groups())
    return Duration(years, months, days + 7 * weeks)


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
    if 21 <= number <= 24 and day is None:
        return _season(first_year, last_year, number)
    if not 1 <= number <= 12:
        raise DateError(f"{original!r}: there is no month {number}")
    last_day = calendar.monthrange(last_year, number)[1]
    if day is None or day == "XX":
        return dt.date(first_year, number, 1), dt.date(last_year, number, last_day)
    low, high = int(day.replace("X", "0")), int(day.replace("X", "9"))
    # The latest year may be a leap year when the earliest is not (19X2-02-29 is 1912..1992).
    longest = max(calendar.monthrange(year, number)[1] for year in range(first_year, last_year + 1))
    if low > longest or ("X" not in day and not 1 <= low):
        raise DateError(f"{original!r}: {calendar.month_name[number]} {first_year} has {longest} days")
    high = min(high, longest)
    low = max(low, 1)
    earliest = latest = None
    for year in range(first_year, last_year + 1):
        if low <= calendar.monthrange(year, number)[1]:
            earliest = dt.date(year, number, low)
            break
    for year in range(last_year, first_year - 1, -1):
        last_day = calendar.monthrange(year, number)[1]
        if low <= last_day:
            latest = dt.date(year, number, min(high, last_day))
            break
    if earliest is None or latest is None:
        raise DateError(f"{original!r}: {calendar.month_name[number]} {first_year} has "
                        f"{calendar.monthrange(first_year, number)[1]} days")
    return earliest, latest


def _season(first_year: int, last_year: int, code: int) -> tuple[dt.date, dt.date]:
    """EDTF level-1 seasons 21-24 (spring, summer, autumn, winter), northern hemisphere."""
    start_month = {21: 3, 22: 6, 23: 9, 24: 12}[code]
    end = dt.date(last_year + (code == 24), (start_month + 2 - 1) % 12 + 1, 1)
    end = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    return dt.date(first_year, start_month, 1), end


def _shift(day: dt.date, duration: Duration, sign: int) -> dt.date:
    # Subtraction undoes addition step by step in reverse order (days, then months), so that
    # a release date minus a reduction mirrors a start date plus a term.
    if sign < 0:
        day -= dt.timedelta(days=duration.days)
    month = day.month - 1 + sign * (duration.years * 12 + duration.months)
    year, month = day.year + month // 12, month % 12 + 1
    shifted = dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
    return shifted + dt.timedelta(days=duration.days) if sign > 0 else shifted
