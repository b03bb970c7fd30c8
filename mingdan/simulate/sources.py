"""Who each source records, and how each writes its list (layout, script, romanization, errors)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from mingdan.names.romanize import pinyin_name, to_traditional, wade_giles_name

from .pools import HOMOPHONES, PLACES
from .population import TruePerson


@dataclass(frozen=True)
class SourceStyle:
    """One documenting body's habits."""

    key: str
    name: str
    kind: str
    file_format: str  # csv, xlsx, json
    encoding: str
    capture: dict  # base capture probability per category
    strata_bias: tuple  # multiplier per stratum
    custody_rows: bool = False  # writes every custody step, not only the main event


STYLES = [
    SourceStyle("a", "Court judgments", "court", "csv", "utf-8",
                {"killed": 0.05, "detained": 0.55, "missing": 0.0}, (1.2, 1.0, 1.0, 0.8, 0.8, 0.6), True),
    SourceStyle("b", "Hong Kong list", "ngo", "csv", "big5",
                {"killed": 0.45, "detained": 0.25, "missing": 0.3}, (1.3, 1.2, 0.9, 0.8, 0.7, 0.7)),
    SourceStyle("c", "Press reports", "press", "xlsx", "",
                {"killed": 0.35, "detained": 0.15, "missing": 0.15}, (1.4, 1.2, 1.0, 0.6, 0.6, 0.5)),
    SourceStyle("d", "Diaspora list", "ngo", "json", "utf-8",
                {"killed": 0.3, "detained": 0.2, "missing": 0.2}, (1.0, 1.0, 1.0, 1.0, 1.0, 1.0)),
    SourceStyle("e", "Families' testimony", "family", "csv", "gb18030",
                {"killed": 0.4, "detained": 0.1, "missing": 0.45}, (0.8, 0.9, 1.0, 1.3, 1.3, 1.4)),
]


def captures(rng: np.random.Generator, people: list[TruePerson], styles: list[SourceStyle]) -> np.ndarray:
    """A people x sources 0/1 matrix: heterogeneous by stratum and propensity, with list dependence."""
    matrix = np.zeros((len(people), len(styles)), dtype=np.int8)
    for i, person in enumerate(people):
        for j, style in enumerate(styles):
            p = style.capture[person.category] * style.strata_bias[person.stratum] * person.propensity
            if style.key == "d" and matrix[i, 1]:
                p *= 1.8  # the diaspora list copies the Hong Kong list's informants
            if style.key == "e" and matrix[i, 0]:
                p *= 0.5  # families of those tried avoid testifying
            matrix[i, j] = rng.random() < min(p, 0.95)
    return matrix


def blur_date(rng: np.random.Generator, day: dt.date | None, style: str) -> str:
    """A date as a source writes it: exact, month only, unspecified day digit, or an interval."""
    if day is None:
        return ""
    roll = rng.random()
    if style == "b":
        return f"{day.year}年{day.month}月{day.day}日" if roll < 0.85 else f"{day.year}年{day.month}月"
    if style == "c":
        if roll < 0.6:
            return day.isoformat()
        if roll < 0.75:
            return f"{day.year}-{day.month:02d}"
        if roll < 0.9:
            return f"{day.year}-{day.month:02d}-{day.day // 10}X"
        return f"{(day - dt.timedelta(days=1)).isoformat()}/{(day + dt.timedelta(days=1)).isoformat()}"
    if style == "e" and roll < 0.2:
        return f"{day.year}-{day.month:02d}"
    return day.isoformat()


def written_name(rng: np.random.Generator, person: TruePerson, style: str) -> str:
    """The person's name as this source spells it."""
    if style == "b":
        return big5_safe(to_traditional(person.name), person.name)
    if style == "c":
        text = pinyin_name(person.name, tones=rng.random() < 0.3)
        if rng.random() < 0.2:
            surname, _, given = text.partition(" ")
            text = f"{given} {surname}"  # given name first, as in English-language press
        if rng.random() < 0.2:
            text = text.upper()
        return text
    if style == "d":
        return wade_giles_name(person.name)
    if style == "e":
        name = person.name
        if rng.random() < 0.1:
            spot = int(rng.integers(1, len(name)))
            name = name[:spot] + HOMOPHONES.get(name[spot], name[spot]) + name[spot + 1:]
        return name
    return person.name


def reported_age(rng: np.random.Generator, person: TruePerson, style: str) -> str:
    """Age as reported: sometimes missing, off by one, or approximate."""
    roll = rng.random()
    if roll < 0.1:
        return "不详" if style == "e" else ""
    if style == "e" and roll < 0.3:
        return f"约{round(person.age, -1)}"
    if roll < 0.2:
        return str(person.age + int(rng.choice([-1, 1])))
    return str(person.age)


def place_for(person: TruePerson, style: str) -> str:
    """The stratum's place, in characters or pinyin."""
    characters, pinyin = PLACES[person.stratum]
    if style == "b":
        return big5_safe(to_traditional(characters), characters)
    return pinyin if style in ("c", "d") else characters


def big5_safe(traditional: str, original: str) -> str:
    """Traditional text, keeping the original character where Big5 has no code for the variant."""
    chars = []
    for new, old in zip(traditional, original):
        try:
            new.encode("big5")
            chars.append(new)
        except UnicodeEncodeError:
            chars.append(old)
    return "".join(chars)
