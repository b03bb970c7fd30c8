"""Dates as English lists write them: 3 June 1989, June 3, 1989, 3-4 June 1989, early June 1989."""

from __future__ import annotations

import calendar
import re

from .core import DateError, UncertainDate
from .points import THIRDS, Context, Point, compose

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name} | {"sept": 9}
WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}
WEEKDAYS |= {name.lower(): number for number, name in enumerate(calendar.day_abbr)}
WEEKDAYS |= {"tues": 1, "weds": 2, "thur": 3, "thurs": 3}
SEASONS = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
#: early/mid/late are read as the thirds of the month (1-10, 11-20, 21-end), approximately.
PARTS = {"early": "first", "beginning": "first", "start": "first", "mid": "second", "middle": "second",
         "late": "third", "end": "third"}
_APPROXIMATE = {"about", "around", "approximately", "approx", "circa", "c", "ca", "roughly", "~"}
#: Words that say the date may be wrong, not that it is near: EDTF's uncertain '?', not approximate '~'.
_UNCERTAIN = {"reportedly", "possibly", "probably", "perhaps", "maybe", "allegedly", "supposedly", "presumably",
              "uncertain", "unconfirmed"}
_RANGE_WORDS = {"-", "–", "—", "/", "to", "until", "till", "and", "or", "through", "thru"}
_SKIP = {"the", "of", "on", "in", "sometime", "some", "time", "between", "from", "date", ","}
_NIGHT = {"night", "overnight", "nighttime", "night-time"}
_WORDS = frozenset({*MONTHS, *SEASONS, *WEEKDAYS, *PARTS, *_APPROXIMATE, *_UNCERTAIN, *_NIGHT})
#: Times of day keep their day ("early hours of 4 June 1989" is 4 June); a late night runs into the next.
_TIME_OF_DAY = re.compile(r"\b(?:(?:in|during)\s+the\s+)?(?:(?:early|small|wee)\s+hours|(?:early\s+|late\s+)?"
                          r"(?:morning|afternoon|evening|dawn|daybreak|midday|noon))(?:\s+of)?\b")
_LATE_NIGHT = re.compile(r"\blate\s+night\b|\bmidnight\b")
_TOKEN = re.compile(r"\d+(?:st|nd|rd|th)?|'\d\d|[a-z]+(?:-time)?|[-–—/~?,]")


def looks_english(text: str) -> bool:
    """True when the text has a month, season, weekday or qualifier word."""
    return any(word in _WORDS for word in re.findall(r"[a-z]+", text.lower()))


def read_english(text: str, original: str, context: Context) -> UncertainDate:
    """An EDTF date from an English form; DateError with the reason otherwise."""
    value = re.sub(r"\bmid-", "mid ", text.lower().replace(".", " "))
    night = bool(_LATE_NIGHT.search(value))
    value = _TIME_OF_DAY.sub(" ", _LATE_NIGHT.sub(" night ", value))
    tokens = _TOKEN.findall(value)
    if "".join(tokens) != re.sub(r"[\s.]", "", value):
        raise DateError(f"{original!r} has characters an English date does not use")
    uncertain = approximate = False
    while tokens and tokens[-1] == "?":
        uncertain, tokens = True, tokens[:-1]
    sides: list[list[str]] = [[]]
    joins: list[str] = []
    for token in tokens:
        if token in _APPROXIMATE:
            approximate = True
        elif token in _UNCERTAIN:
            uncertain = True
        elif token in _NIGHT:
            night = True
        elif token in _RANGE_WORDS:
            sides.append([])
            joins.append(token)
        elif token not in _SKIP:
            sides[-1].append(token)
    # Spreadsheets write a date's parts joined by hyphens (Jun-89, 4-Jun-89, June-1990, 3 June-89): a hyphen
    # before a lone year, on a side that has none, joins that year to its date; it does not start a range.
    index = 1
    while index < len(sides):
        if (joins[index - 1] in ("-", "–") and len(sides[index]) == 1 and _yearish(sides[index][0])
                and not any(_yearish(token) for token in sides[index - 1])):
            sides[index - 1].extend(sides.pop(index))
            joins.pop(index - 1)
        elif (joins[index - 1] == "-" and index + 1 < len(sides) and sides[index - 1][-1:] and sides[index - 1][-1].isdigit()
              and len(sides[index]) == 1 and sides[index][0] in MONTHS and joins[index] == "-"):
            sides[index - 1].extend(sides.pop(index))  # 4-Jun-89: the day joined to its month
            joins.pop(index - 1)
        else:
            index += 1
    if len(sides) > 2 or not all(sides):
        raise DateError(f"{original!r} is not a date like 3 June 1989, June 3, 1989, 3-4 June 1989 or early June 1989")
    points = [_point(side, original) for side in sides]
    if night and len(points) == 1:
        if points[0].day is None:
            raise DateError(f"{original!r}: a night needs a day (e.g. the night of 3 June 1989)")
        points[0].night = True
    return compose(points[0], points[1] if len(points) == 2 else None, approximate, uncertain, original, context)


def _yearish(token: str) -> bool:
    """A token that can only be a year: four digits, '89, or two digits above 31."""
    return (token.isdigit() and (len(token) == 4 or (len(token) == 2 and int(token) > 31))) or \
        (token.startswith("'") and token[1:].isdigit())


def _point(tokens: list[str], original: str) -> Point:
    point = Point()
    numbers = []
    for token in tokens:
        if token in MONTHS:
            _set(point, "month", MONTHS[token], original)
        elif token in SEASONS:
            _set(point, "season", SEASONS[token], original)
        elif token in PARTS:
            point.span, point.span_approximate = THIRDS[PARTS[token]], True
        elif token in WEEKDAYS:
            _set(point, "weekday", WEEKDAYS[token], original)
        elif token.startswith("'"):
            _set(point, "year", int(token[1:]), original)
            point.two_digit_year = True
        elif token[0].isdigit():
            numbers.append(token)
        else:
            raise DateError(f"{original!r}: {token!r} is not a part of a date")
    for token in numbers:
        digits = token.rstrip("stndrh")
        if token != digits or (len(digits) <= 2 and point.day is None and int(digits) <= 31):
            _set(point, "day", int(digits), original)
        elif len(digits) == 4:
            _set(point, "year", int(digits), original)
        elif len(digits) == 2:
            _set(point, "year", int(digits), original)
            point.two_digit_year = True
        else:
            raise DateError(f"{original!r}: cannot tell what {token!r} is (a year has four digits)")
    if point.span is not None and (point.day is not None or point.month is None):
        raise DateError(f"{original!r}: early, mid and late go with a month, e.g. early June 1989")
    if point.season is not None and (point.month is not None or point.day is not None):
        raise DateError(f"{original!r}: a season goes with a year only, e.g. summer 1989")
    return point


def _set(point: Point, name: str, value: int, original: str) -> None:
    if getattr(point, name) is not None:
        raise DateError(f"{original!r} gives two {name}s in one date")
    setattr(point, name, value)
