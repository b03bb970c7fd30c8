"""Dates as lists write them, read in a fixed order: the mapping's formats, EDTF, then the Chinese,
English and all-numeric forms. Nothing ambiguous is guessed: the mapping says what the cells do not."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from functools import lru_cache

from .chinese import looks_chinese, read_chinese
from .core import DateError, UncertainDate, parse_edtf
from .english import looks_english, read_english
from .points import DATE_ORDERS, Context, Point, compose, full_year

_NUMERIC = re.compile(r"(\d{1,4})([./\- ])(\d{1,2})\2(\d{1,4})")
_MONTH_YEAR = re.compile(r"(?:(\d{1,2})[./\-](\d{4})|(\d{4})[./\-](\d{1,2}))")
_DAY_DIRECTIVES = ("%d", "%j")
_MONTH_DIRECTIVES = ("%m", "%b", "%B")
_YEAR_DIRECTIVES = ("%Y", "%y")


@lru_cache(maxsize=100_000)
def parse_date(text: str, date_format: str | tuple[str, ...] | None = None, *, default_year: int | None = None,
               two_digit_years_from: int | None = None, date_order: str | None = None,
               era: str | None = None) -> UncertainDate:
    """An EDTF date from any form a list writes, with its earliest and latest day; DateError says why not.

    `date_format` (one strptime format or several, tried first, in order), `default_year`,
    `two_digit_years_from`, `date_order` and `era` come from the mapping of the column.
    """
    context = Context(default_year, two_digit_years_from, date_order, era)
    formats = (date_format,) if isinstance(date_format, str) else tuple(date_format or ())
    if formats:
        found = by_formats(text, formats, context)
        if found is not None:
            return found
    try:
        return parse_edtf(text)
    except DateError as exc:
        edtf_error = exc
    value = " ".join(unicodedata.normalize("NFKC", text).split())
    if not value:
        raise edtf_error
    if looks_chinese(value):
        return read_chinese(value, text, context)
    if looks_english(value):
        return read_english(value, text, context)
    found = _numeric(value, text, context)
    if found is not None:
        return found
    tried = f"matches none of the date formats {', '.join(map(repr, formats))} and " if formats else ""
    if not tried and "not an EDTF" not in str(edtf_error):
        raise edtf_error  # an EDTF date, but an impossible one (1989-13): its own reason is the clearest
    raise DateError(f"{text!r} {tried}is not an EDTF date (1989-06-04, 1989-06, 1990~) nor a date as lists "
                    "write it (1989年6月4日, 4 June 1989)")


def by_formats(text: str, formats: tuple[str, ...], context: Context) -> UncertainDate | None:
    """The date the first matching format reads; None when none matches; DateError when two read it differently."""
    value = " ".join(text.split())
    readings = []
    for date_format in formats:
        parsed = _strptime(value, date_format, context, text)
        if parsed is not None and all(parsed.text != other.text for _, other in readings):
            readings.append((date_format, parsed))
    if len(readings) > 1:
        both = " and ".join(f"{fmt!r} ({parsed.text})" for fmt, parsed in readings)
        raise DateError(f"{text!r} is ambiguous: it matches the date formats {both}")
    return readings[0][1] if readings else None


def check_format(date_format: str) -> str | None:
    """Why a strptime format cannot be used as it is, or None."""
    try:
        dt.datetime.strptime("", date_format)
    except ValueError as exc:
        if "directive" in str(exc):
            return f"{date_format!r} is not a strptime format: {exc}"
    if not any(directive in date_format for directive in (*_DAY_DIRECTIVES, *_MONTH_DIRECTIVES, *_YEAR_DIRECTIVES)):
        return f"{date_format!r} has no day, month or year directive (%d, %m, %b, %B, %Y, %y)"
    return None


def _strptime(value: str, date_format: str, context: Context, original: str) -> UncertainDate | None:
    has_year = any(directive in date_format for directive in _YEAR_DIRECTIVES)
    if not has_year:
        if context.default_year is None:
            raise DateError(f"the date format {date_format!r} has no year; give default_year for this column")
        # Parsed with the year in front, so that 29 February of a leap default year is accepted.
        value, date_format = f"{context.default_year:04d} {value}", f"%Y {date_format}"
    try:
        day = dt.datetime.strptime(value, date_format).date()
    except ValueError:
        return None
    year = full_year(day.year % 100, True, context, original) if "%y" in date_format else day.year
    point = Point(year=year, month=day.month if any(d in date_format for d in _MONTH_DIRECTIVES) else None)
    if point.month is not None and any(d in date_format for d in _DAY_DIRECTIVES):
        point.day = day.day
    elif "%j" in date_format:
        point.month, point.day = day.month, day.day
    return compose(point, None, False, False, original, context)


def _numeric(value: str, original: str, context: Context) -> UncertainDate | None:
    """All-numeric dates: year first is read as y-m-d; any other order only as the mapping's date_order."""
    match = _MONTH_YEAR.fullmatch(value)
    if match:
        month, year = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        return compose(Point(year=int(year), month=int(month)), None, False, False, original, context)
    match = _NUMERIC.fullmatch(value)
    if not match:
        return None
    parts = match.group(1, 3, 4)
    order = context.date_order
    if order is None:
        if len(parts[0]) == 4:
            order = "ymd"
        else:
            raise DateError(f"{original!r}: the order of day, month and year is ambiguous; give date_order "
                            f"({', '.join(DATE_ORDERS)}) or date_format for this column in the mapping")
    numbers = dict(zip(order, parts))
    if len(numbers["y"]) not in (2, 4):
        raise DateError(f"{original!r} read as {order}: the year {numbers['y']!r} has neither two nor four digits")
    if any(len(numbers[key]) > 2 for key in "md"):
        raise DateError(f"{original!r} does not read as {order} (date_order in the mapping)")
    point = Point(year=int(numbers["y"]), month=int(numbers["m"]), day=int(numbers["d"]),
                  two_digit_year=len(numbers["y"]) == 2)
    return compose(point, None, False, False, original, context)
