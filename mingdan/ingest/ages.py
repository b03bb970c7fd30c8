"""Ages as lists write them (19岁, 约40, 40多岁, 二十三, about 40, 40s, 30-35) as exact, approximate or range."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mingdan.dates.numerals import NumeralError, digits, has_numerals

MAX_AGE = 120
#: Cells that say the source does not know the age.
UNKNOWN_AGES = frozenset({"不详", "不詳", "不明", "未知", "不清楚", "unknown", "?", "n/k"})
_UNIT = r"(?:周岁|週歲|岁|歲|years?\s*old|years?|yrs?|y/o|yo)?"
_ABOUT_BEFORE = r"(?:约|約|大约|大約|大概|about|around|approximately|approx\.?|circa|ca\.?|c\.|roughly|~)?"
_ABOUT_AFTER = r"(?:左右|上下|前后|前後|\?)?"
_EXACT_OR_ABOUT = re.compile(rf"^(?:aged?\s*)?(?P<about>{_ABOUT_BEFORE})\s*(?P<n>\d{{1,3}})\s*{_UNIT}\s*(?P<after>{_ABOUT_AFTER})$")
#: 40多岁, 40余岁: forty-something (40-49); 40几岁: forty and a few (41-49); 40来岁: about forty.
_DECADE = re.compile(rf"^(?P<n>\d{{1,3}})\s*(?P<mark>多|余|餘|几|幾|来|來)\s*{_UNIT}$")
_DECADE_EN = re.compile(r"^(?:in\s+(?:his|her|their)\s+)?(?P<n>[1-9]\d?)0'?s$")
_RANGE = re.compile(rf"^(?P<low>\d{{1,3}})\s*(?:{_UNIT})\s*(?:-|–|—|~|至|到|to)\s*(?P<high>\d{{1,3}})\s*{_UNIT}$")
#: 虚岁 (nominal age: one at birth, one more each new year) is one or two years above the age in full years.
_NOMINAL = re.compile(r"^(?:虚岁|虛歲)\s*(?P<n>\d{1,3})\s*(?:岁|歲)?$|^(?P<m>\d{1,3})\s*(?:虚岁|虛歲)$")


class AgeError(ValueError):
    """An age cell that cannot be read; str() is the reason, for a user."""


@lru_cache(maxsize=4096)
def parse_age(text: str) -> tuple[str, str, float | None, float | None]:
    """(normalised age, kind exact/approximate/range/unknown, min, max)."""
    value = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    if value.isdigit() and len(value) <= 3:  # the common case first: a list of plain numbers
        return _exact(int(value), text)
    if value in UNKNOWN_AGES:
        return "", "unknown", None, None
    if has_numerals(value):
        try:
            value = digits(value)
        except NumeralError as exc:
            raise AgeError(f"age {text!r}: {exc}") from None
    match = _EXACT_OR_ABOUT.match(value)
    if match:
        age = int(match.group("n"))
        if match.group("about") or match.group("after"):
            _check(age, text)
            return f"~{age}", "approximate", float(age), float(age)
        return _exact(age, text)
    match = _DECADE_EN.match(value)
    if match:
        return _range(int(match.group("n")) * 10, int(match.group("n")) * 10 + 9, text)
    match = _DECADE.match(value)
    if match:
        age = int(match.group("n"))
        if match.group("mark") in ("来", "來"):
            _check(age, text)
            return f"~{age}", "approximate", float(age), float(age)
        if age % 10 or age == 0:
            raise AgeError(f"age {text!r}: 多, 余 and 几 follow a whole ten (40多岁 is 40-49, 十几岁 11-19)")
        if match.group("mark") in ("几", "幾"):
            # 几 counts a few more whole years (1 to 9): 十几岁 is 11-19, never ten itself. 多 and 余 say "over"
            # forty, which in whole years includes forty and some months: 40多岁 is 40-49.
            return _range(age + 1, age + 9, text)
        return _range(age, age + 9, text)
    match = _RANGE.match(value)
    if match:
        return _range(int(match.group("low")), int(match.group("high")), text)
    match = _NOMINAL.match(value)
    if match:
        nominal = int(match.group("n") or match.group("m"))
        if nominal < 1:
            raise AgeError(f"age {text!r}: a nominal age (虚岁) starts at 1")
        return _range(max(nominal - 2, 0), nominal - 1, text)
    raise AgeError(
        f"age {text!r} is not an age; expected a whole number 0-{MAX_AGE} (19, 19岁, 二十三), a range (30-35, "
        "40多岁, 40s), an approximate age (约40, about 40, ~30) or unknown (不详, unknown, ?)")


def _check(age: int, text: str) -> None:
    if age > MAX_AGE:
        raise AgeError(f"age {text!r} is above {MAX_AGE}")


def _exact(age: int, text: str) -> tuple[str, str, float, float]:
    _check(age, text)
    return str(age), "exact", float(age), float(age)


def _range(low: int, high: int, text: str) -> tuple[str, str, float, float]:
    if low > high:
        raise AgeError(f"age range {text!r} runs backwards")
    _check(high, text)
    return f"{low}-{high}", "range", float(low), float(high)
