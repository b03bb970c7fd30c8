"""Sentences as lists write them: ISO durations (P20Y), 有期徒刑20年, 无期徒刑, 死刑缓期二年执行, 减刑1年,
20 years, life, death with reprieve; normalised to the forms the custody arithmetic reads."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mingdan.dates import DateError, Duration, parse_duration
from mingdan.dates.numerals import NumeralError, digits, has_numerals

_DEATH_REPRIEVE = re.compile(r"^(?:死缓|死緩)$|^死刑[,，、]?缓期(\d+)年(?:执行)?$|^死刑[,，、]?緩期(\d+)年(?:執行)?$")
_LIFE = re.compile(r"^(?:无期徒刑|無期徒刑|无期|無期)$")
_DEATH = re.compile(r"^(?:死刑|死刑立即执行|死刑立即執行)$")
_TERM = re.compile(r"^(?:有期徒刑|徒刑|拘役)?(?:(\d+)年)?(?:零?(\d+)(?:个|個)?月)?$")
#: What a sentence cell may say before the sentence itself: 判处 (sentenced to), 减为 (commuted to),
#: 减刑 (reduced by). Which of them fits is checked against the row's event, not here.
_LEAD = re.compile(r"^(?:判处|判處|改判|减为|減為|改为|改為|减刑为|減刑為|减刑|減刑)")
#: Deprivation of political rights (剥夺政治权利, a supplementary penalty) is not custody: it stays in
#: the claim's text and is not counted in the term.
_POLITICAL_RIGHTS = re.compile(r"[,，;；、]?(?:并处|並處)?(?:剥夺|剝奪)政治(?:权利|權利).*$")
_ENGLISH_TERM = re.compile(r"^(?:(\d+)\s*(?:years?|yrs?|y))?\s*(?:and\s*)?(?:(\d+)\s*(?:months?|mos?|m))?"
                           r"(?:\s*(?:imprisonment|in prison|prison))?$")
_ENGLISH_LIFE = re.compile(r"^life(?:\s+(?:imprisonment|sentence|in prison))?$")
_ENGLISH_DEATH = re.compile(r"^(?:death|death penalty|death sentence|sentenced to death)$")
_ENGLISH_REPRIEVE = re.compile(
    r"^(?:death\s*(?:sentence\s*)?(?:with|,)\s*(?:a\s*)?(?:(\d+|two)[- ]year\s*)?reprieve|suspended death(?: sentence)?"
    r"|death-reprieve)(?:\s*(p\S+))?$")


_BECOMES = re.compile(r"^(?:改判|减为|減為|改为|改為|减刑为|減刑為)")
_REDUCED_BY = re.compile(r"^(?:减刑|減刑)(?!为|為)")


@lru_cache(maxsize=4096)
def stated_change(text: str) -> str | None:
    """'reduction' for 减刑1年 (reduced by), 'new sentence' for 减为有期徒刑20年 (commuted to), else None."""
    value = "".join(unicodedata.normalize("NFKC", text).split())
    if _BECOMES.match(value):
        return "new sentence"
    if _REDUCED_BY.match(value):
        return "reduction"
    return None


#: A cell that names a whole sentence (a punishment), not an amount by which one is cut: 有期徒刑15年,
#: 判处10年, 15 years imprisonment. In a 'reduced' row it is ambiguous: the term the sentence became, or a
#: reduction written carelessly? Neither is guessed.
_WHOLE_SENTENCE = re.compile(r"^(?:判处|判處|改判)|有期徒刑|無期|无期|徒刑|拘役|死刑|死缓|死緩"
                             r"|imprisonment|prison|\blife\b|death|sentenced")


@lru_cache(maxsize=4096)
def names_whole_sentence(text: str) -> bool:
    """True when the cell names a sentence (有期徒刑15年, 判处10年, 15 years imprisonment), not a reduction amount."""
    value = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    return stated_change(text) != "reduction" and bool(_WHOLE_SENTENCE.search(value))


class SentenceError(ValueError):
    """A sentence cell that cannot be read; str() is the reason, for a user."""


@lru_cache(maxsize=4096)
def parse_sentence(text: str) -> tuple[str, str, str, str]:
    """(normalised, sentence kind, term as ISO duration, reprieve as ISO duration)."""
    value = "".join(unicodedata.normalize("NFKC", text).split())
    if value.upper().startswith("P"):
        term = _duration(value, text).iso()
        return term, "fixed", term, ""
    if has_numerals(value):
        try:
            value = digits(value)
        except NumeralError as exc:
            raise SentenceError(f"sentence {text!r}: {exc}") from None
    value = _LEAD.sub("", _POLITICAL_RIGHTS.sub("", value))
    if _LIFE.match(value):
        return "life", "life", "", ""
    if _DEATH.match(value):
        return "death", "death", "", ""
    match = _DEATH_REPRIEVE.match(value)
    if match:
        years = match.group(1) or match.group(2)
        reprieve = _duration(f"P{years}Y", text).iso() if years else "P2Y"
        return f"death-reprieve {reprieve}", "death_reprieve", "", reprieve
    match = _TERM.match(value)
    if match and (match.group(1) or match.group(2)):
        return _fixed(match.group(1), match.group(2), text)
    return _english(" ".join(unicodedata.normalize("NFKC", text).lower().split()), text)


def _english(value: str, text: str) -> tuple[str, str, str, str]:
    if _ENGLISH_LIFE.match(value):
        return "life", "life", "", ""
    if _ENGLISH_DEATH.match(value):
        return "death", "death", "", ""
    match = _ENGLISH_REPRIEVE.match(value)
    if match:
        years, written = match.groups()
        if written:
            reprieve = _duration(written.upper(), text).iso()
        elif years:
            reprieve = f"P{2 if years == 'two' else int(years)}Y"
        else:
            return "death-reprieve", "death_reprieve", "", ""  # the jurisdiction's default reprieve applies
        return f"death-reprieve {reprieve}", "death_reprieve", "", reprieve
    match = _ENGLISH_TERM.match(value)
    if match and (match.group(1) or match.group(2)):
        return _fixed(match.group(1), match.group(2), text)
    raise SentenceError(
        f"sentence {text!r} is not a sentence mingdan reads: an ISO 8601 duration (P20Y, P13Y6M), 有期徒刑20年, "
        "12年6个月, 无期徒刑, 死刑缓期二年执行, 20 years, life, death or death-reprieve [P2Y]")


def _fixed(years: str | None, months: str | None, text: str) -> tuple[str, str, str, str]:
    term = _duration(f"P{years + 'Y' if years else ''}{months + 'M' if months else ''}", text).iso()
    return term, "fixed", term, ""


def _duration(value: str, original: str) -> Duration:
    try:
        duration = parse_duration(value)
    except DateError as exc:
        raise SentenceError(f"sentence {original!r}: {exc}") from None
    if duration.years == duration.months == duration.days == 0:
        raise SentenceError(f"sentence {original!r} is a term of zero")
    return duration
