"""Dates as Chinese lists write them: 1989年6月4日凌晨, 6月3日夜, 约1989年6月, 1989年6月上旬, 六月四日."""

from __future__ import annotations

import re

from .core import DateError, UncertainDate
from .numerals import NumeralError, digits, has_numerals
from .points import THIRDS, Context, Point, compose

_LUNAR = re.compile(r"农历|農曆|阴历|陰曆|旧历|舊曆|夏历|夏曆|初[一二三四五六七八九十]|正月|腊月|臘月")
#: 约 (about) says the date is near the one written; 可能 and 据说 (possibly, reportedly) say the date written
#: may be wrong. EDTF keeps the two apart: approximate '~' and uncertain '?' ('%' both).
_APPROXIMATE_BEFORE = re.compile(r"^(?:大约|大約|大概|约|約|估计|估計)")
_UNCERTAIN_BEFORE = re.compile(r"^(?:可能是?|也许|也許|或许|或許|据说|據說|据称|據稱|据报|據報|传说|傳說|疑似|似乎)")
_APPROXIMATE_AFTER = re.compile(r"(?:左右|前后|前後)$")
_UNCERTAIN_AFTER = re.compile(r"\s*[(（]?\s*(?:[?？]|待核实|待核實|待查|不确定|不確定)\s*[)）]?$")
_RANGE = re.compile(r"\s*(?:至|到|~|-|–|—|/)\s*")
_DAY_FIRST = re.compile(r"^\d{1,2}\s*[日号號]")
#: Parts of a day that stay within it, and parts of the night that run into the next day.
DAY_PARTS = ("凌晨", "清晨", "早晨", "早上", "上午", "中午", "午后", "午後", "下午", "傍晚", "黄昏", "黃昏",
             "晚上", "晚间", "晚間", "白天", "白日", "晚", "早", "晨")
NIGHT_PARTS = ("深夜", "半夜", "午夜", "夜间", "夜間", "夜里", "夜裡", "夜晚", "夜")
#: Parts of a month: 旬 are defined thirds; 初/中/底/末 are read as the same thirds, approximately.
MONTH_PARTS = {"上旬": ("first", False), "中旬": ("second", False), "下旬": ("third", False),
               "初": ("first", True), "中": ("second", True), "底": ("third", True), "末": ("third", True)}
SEASONS = {"春": 21, "夏": 22, "秋": 23, "冬": 24}
_CLOCK = r"(?:\d{1,2}\s*[时時点點](?:\s*\d{1,2}\s*分|半|多|许|許)?)?"
_POINT = re.compile(
    r"^(?:(?P<era>民国|民國|公元)?(?P<year>\d+)\s*年)?"
    r"(?:(?P<month>\d{1,2})\s*月份?)?"
    r"(?:(?P<day>\d{1,2})\s*[日号號])?"
    r"(?:[(（]?(?:星期|礼拜|禮拜|周|週)(?P<weekday>[1-7日天])[)）]?)?"
    r"(?P<part>上旬|中旬|下旬|初|中|底|末|[春夏秋冬](?:季|天)?)?"
    rf"(?P<time>{'|'.join(NIGHT_PARTS + DAY_PARTS)})?{_CLOCK}$"
)
#: The Republic of China calendar (民国, still used in Taiwan): year 1 is 1912.
MINGUO_OFFSET = 1911


def looks_chinese(text: str) -> bool:
    """True when the text has a character a Chinese date uses."""
    return any("\u3000" <= char <= "\u9fff" for char in text)


def read_chinese(text: str, original: str, context: Context) -> UncertainDate:
    """An EDTF date from a Chinese form; DateError with the reason otherwise."""
    if _LUNAR.search(text):
        raise DateError(f"{original!r} is a lunar-calendar date (农历), which mingdan does not convert; "
                        "give the Gregorian date (a values: entry in the mapping can translate it)")
    value = text.strip()
    uncertain = bool(_UNCERTAIN_AFTER.search(value) or _UNCERTAIN_BEFORE.search(value))
    value = _UNCERTAIN_BEFORE.sub("", _UNCERTAIN_AFTER.sub("", value)).strip()
    approximate = bool(_APPROXIMATE_BEFORE.search(value) or _APPROXIMATE_AFTER.search(value))
    value = _APPROXIMATE_AFTER.sub("", _APPROXIMATE_BEFORE.sub("", value)).strip()
    if not uncertain and _UNCERTAIN_BEFORE.search(value):  # 约可能… is unusual, 大约据说… too; read either order
        uncertain, value = True, _UNCERTAIN_BEFORE.sub("", value).strip()
    if has_numerals(value):
        try:
            value = digits(value)
        except NumeralError as exc:
            raise DateError(f"{original!r}: {exc}") from None
    ends = _RANGE.split(value)
    if len(ends) == 2 and ends[0][-1:].isdigit() and _DAY_FIRST.match(ends[1]):
        ends[0] += "日"  # 6月3-4日: the two days share the 日
    if len(ends) > 2 or not all(ends):
        raise DateError(f"{original!r} is not a date of the form 1989年6月4日 or a range 1989年6月3日至4日")
    points = [_point(end, original, context) for end in ends]
    return compose(points[0], points[1] if len(points) == 2 else None, approximate, uncertain, original, context)


def _point(text: str, original: str, context: Context) -> Point:
    match = _POINT.match(text.replace(" ", ""))
    if not match or not any(match.group(name) for name in ("year", "month", "day")):
        raise DateError(f"{original!r} is not a date of the form 1989年6月4日, 6月3日夜, 1989年6月上旬 or 约1989年6月")
    era, year, month, day, part, time = match.group("era", "year", "month", "day", "part", "time")
    point = Point(month=int(month) if month else None, day=int(day) if day else None)
    if year is not None:
        number = int(year)
        # With era: minguo, years of up to three digits are 民国 years (78年 is 1989); a four-digit year is
        # Gregorian, as no 民国 year has four digits before 2911.
        if era in ("民国", "民國") or (context.era == "minguo" and era is None and len(year) <= 3):
            if number == 0:
                raise DateError(f"{original!r}: there is no year 0 of the Republic (民国元年, year 1, is 1912)")
            point.year = number + MINGUO_OFFSET
        elif len(year) == 2:
            point.year, point.two_digit_year = number, True
        elif len(year) == 4:
            point.year = number
        else:
            raise DateError(f"{original!r}: a year of {len(year)} digits; write it with four")
    weekday = match.group("weekday")
    if weekday:
        _check_weekday(point, weekday, original)
    if part:
        _apply_part(point, part, original)
    if time:
        if point.day is None:
            raise DateError(f"{original!r}: {time} needs a day (e.g. 6月3日{time})")
        point.night = time in NIGHT_PARTS
    return point


def _apply_part(point: Point, part: str, original: str) -> None:
    if part[0] in SEASONS:
        if point.month is not None or point.year is None:
            raise DateError(f"{original!r}: a season ({part}) follows a year, e.g. 1989年夏")
        point.season = SEASONS[part[0]]
        return
    if point.day is not None or point.month is None:
        raise DateError(f"{original!r}: {part} follows a month, e.g. 1989年6月{part}"
                        + ("; 年初, 年中 and 年底 have no agreed span: give the months" if point.month is None else ""))
    third, approximate = MONTH_PARTS[part]
    point.span, point.span_approximate = THIRDS[third], approximate


_WEEKDAYS = "一二三四五六日"


def _check_weekday(point: Point, weekday: str, original: str) -> None:
    """A weekday written beside a date (星期日) must be that date's: a list's typo is not silently kept."""
    import datetime as dt

    if point.day is None:
        raise DateError(f"{original!r}: a weekday follows a day, e.g. 1989年6月4日星期日")
    if point.year is None or point.two_digit_year or point.month is None:
        return  # the year is settled later (default_year, two_digit_years_from); the weekday is not checked
    try:
        actual = dt.date(point.year, point.month, point.day).weekday()
    except ValueError:
        return  # the date itself is refused with its own reason
    stated = 6 if weekday in "日天7" else int(weekday) - 1
    if actual != stated:
        raise DateError(f"{original!r}: {point.year}-{point.month:02d}-{point.day:02d} was a 星期{_WEEKDAYS[actual]}, "
                        f"not a 星期{_WEEKDAYS[stated]}; correct the date or the weekday")
