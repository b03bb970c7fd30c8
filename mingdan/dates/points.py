"""A date as a list writes it, read into parts (year, month, day, a third of a month, a night),
then turned into one EDTF date or interval; shared by the Chinese, English and numeric readers."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, replace

from .core import DateError, UncertainDate, from_edtf

#: Thirds of a month by their days; 31 stands for the month's last day.
THIRDS = {"first": (1, 10), "second": (11, 20), "third": (21, 31)}
DATE_ORDERS = ("ymd", "dmy", "mdy")
ERAS = ("minguo",)


@dataclass(frozen=True, slots=True)
class Context:
    """What a mapping says about a date column that the cells themselves do not."""

    default_year: int | None = None  # for dates written without a year (6月3日夜, 3 June)
    two_digit_years_from: int | None = None  # 89 means the year of the 100 from this one that ends in 89
    date_order: str | None = None  # ymd, dmy or mdy: the order of all-numeric dates like 03/06/1989
    era: str | None = None  # "minguo": years written in Chinese dates are 民国 years (78年 is 1989)


NO_CONTEXT = Context()


@dataclass(slots=True)
class Point:
    """One end of a date as written: what it names, and nothing it does not."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    two_digit_year: bool = False
    span: tuple[int, int] | None = None  # days of the month (上旬, early June); 31 = the last day
    span_approximate: bool = False  # early/mid/late, 月初/月底: thirds by convention, not by definition
    season: int | None = None  # EDTF 21-24
    night: bool = False  # the night after the day: the day and the next
    weekday: int | None = None  # Monday = 0, as written beside the day; checked

    def empty(self) -> bool:
        """True when the point names no part of a date."""
        return self.year is None and self.month is None and self.day is None and self.season is None \
            and self.span is None


def full_year(year: int, two_digits: bool, context: Context, original: str) -> int:
    """A written year as a full year; two-digit years only with the mapping's window."""
    if not two_digits:
        return year
    start = context.two_digit_years_from
    if start is None:
        raise DateError(f"{original!r} has a two-digit year ({year:02d}); give two_digit_years_from "
                        "for this column in the mapping (e.g. 1920: 20-99 are 1920-1999, 00-19 are 2000-2019), "
                        "or era: minguo if its years are 民国 years (78年 is 1989)")
    return start + (year - start % 100) % 100


def compose(left: Point, right: Point | None, approximate: bool, uncertain: bool, original: str,
            context: Context) -> UncertainDate:
    """The EDTF date or interval of one point or of two ends, with its bounds."""
    if right is not None:
        left, right = _share(left, right), _share(right, left)
    left = _with_year(left, context, original)
    start, end = _ends(left, original)
    if right is not None:
        right = _with_year(right, context, original)
        end = _ends(right, original)[1]
    qualifier = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    inner = "~" if left.span_approximate or (right is not None and right.span_approximate) else ""
    if start == end and not inner:
        edtf = start + qualifier
    else:
        mark = "%" if uncertain and (approximate or inner) else qualifier or inner
        edtf = f"{start}{mark}/{end}{mark}"
    result = from_edtf(edtf, original)
    if left.weekday is not None and right is None and left.day is not None:
        actual = result.earliest.weekday()
        if actual != left.weekday:
            raise DateError(f"{original!r}: {result.earliest:%d %B %Y} was a {calendar.day_name[actual]}, "
                            f"not a {calendar.day_name[left.weekday]}")
    return result


def _share(point: Point, other: Point) -> Point:
    """The parts one end of a range leaves out, taken from the other end (3-4 June 1989)."""
    if point.year is None and other.year is not None:
        point = replace(point, year=other.year, two_digit_year=other.two_digit_year)
    if point.month is None and other.month is not None and (point.day is not None or point.span is not None):
        point = replace(point, month=other.month)
    return point


def _with_year(point: Point, context: Context, original: str) -> Point:
    if point.year is None:
        if context.default_year is None:
            raise DateError(f"{original!r} has no year; give default_year for this column in the mapping")
        return replace(point, year=context.default_year, two_digit_year=False)
    return replace(point, year=full_year(point.year, point.two_digit_year, context, original), two_digit_year=False)


def _ends(point: Point, original: str) -> tuple[str, str]:
    """The first and last EDTF day, month or year a point can mean."""
    year = f"{point.year:04d}"
    if point.season is not None:
        return f"{year}-{point.season}", f"{year}-{point.season}"
    if point.month is None:
        if point.day is not None or point.span is not None:
            raise DateError(f"{original!r}: a day needs a month")
        return year, year
    if not 1 <= point.month <= 12:
        raise DateError(f"{original!r}: there is no month {point.month}")
    month = f"{year}-{point.month:02d}"
    last = calendar.monthrange(point.year, point.month)[1]
    if point.day is not None:
        if not 1 <= point.day <= last:
            raise DateError(f"{original!r}: {calendar.month_name[point.month]} {point.year} has {last} days")
        day = dt.date(point.year, point.month, point.day)
        after = day + dt.timedelta(days=1) if point.night else day
        return day.isoformat(), after.isoformat()
    if point.span is not None:
        low, high = point.span
        return f"{month}-{low:02d}", f"{month}-{min(high, last):02d}"
    return month, month
