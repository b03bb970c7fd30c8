"""Parsed tables: surnames, given-name characters, occupations, relations, English names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .given import GIVEN, LOOKALIKES
from .romanize import strip_tones
from .surnames import SURNAMES


@dataclass(frozen=True)
class Surname:
    """A surname, one or two characters, and how each system writes it."""

    hans: str
    hant: str
    pinyin: tuple[str, ...]      # syllables with tones
    hk: tuple[str, ...]          # Hong Kong spelling, per syllable
    weight: float
    taiwan: str                  # Taiwan passport habit, "" if plain Wade-Giles
    naive: str                   # a careless converter's reading of a polyphonic surname, "" if none


@dataclass(frozen=True)
class GivenChar:
    """One given-name character and how each system writes it."""

    hans: str
    hant: str
    pinyin: str
    hk: str
    sex: str                     # m, f or n
    weight: float


@lru_cache(maxsize=1)
def surnames() -> tuple[Surname, ...]:
    """Every surname of the hand-made table."""
    out = []
    for line in SURNAMES.strip().splitlines():
        hans, hant, py, hk, weight, tw, naive = line.split()
        out.append(Surname(hans, hant, tuple(py.split("|")), tuple(hk.split("|")), float(weight),
                           "" if tw == "-" else tw, "" if naive == "-" else naive))
    return tuple(out)


@lru_cache(maxsize=1)
def given_chars() -> tuple[GivenChar, ...]:
    """Every given-name character of the hand-made table (first entry wins on a repeat)."""
    out, seen = [], set()
    for line in GIVEN.strip().splitlines():
        hans, hant, py, hk, sex, weight = line.split()
        if hans not in seen:
            seen.add(hans)
            out.append(GivenChar(hans, hant, py, hk, sex, float(weight)))
    return tuple(out)


@lru_cache(maxsize=1)
def confusable() -> dict[str, tuple[str, ...]]:
    """Characters a clerk may type instead of each character: same toneless reading, or look-alike."""
    by_reading: dict[str, list[str]] = {}
    for c in given_chars():
        by_reading.setdefault(strip_tones(c.pinyin), []).append(c.hans)
    out: dict[str, set[str]] = {}
    for group in by_reading.values():
        for ch in group:
            out.setdefault(ch, set()).update(x for x in group if x != ch)
    for pair in LOOKALIKES.split():
        a, b = pair[0], pair[1]
        out.setdefault(a, set()).add(b)
        out.setdefault(b, set()).add(a)
    return {k: tuple(sorted(v)) for k, v in out.items() if v}


# id: (simplified, traditional, English, weight for killed, weight for detained)
OCCUPATIONS = {
    "student": ("学生", "學生", "student", 30, 30),
    "worker": ("工人", "工人", "worker", 30, 35),
    "teacher": ("教师", "教師", "teacher", 4, 5),
    "cadre": ("干部", "幹部", "cadre", 4, 3),
    "doctor": ("医生", "醫生", "doctor", 2, 1),
    "driver": ("司机", "司機", "driver", 4, 3),
    "selfemployed": ("个体户", "個體戶", "self-employed", 6, 6),
    "retired": ("退休工人", "退休工人", "retired worker", 3, 1),
    "researcher": ("科研人员", "研究人員", "researcher", 2, 2),
    "engineer": ("工程师", "工程師", "engineer", 2, 2),
    "unemployed": ("待业青年", "待業青年", "unemployed", 4, 6),
    "soldier": ("军人", "軍人", "soldier", 1, 0.2),
    "farmer": ("农民", "農民", "farmer", 1, 2),
    "journalist": ("记者", "記者", "journalist", 1, 2),
    "technician": ("技术员", "技術員", "technician", 2, 2),
    "clerk": ("职员", "職員", "office clerk", 3, 2),
}

UNIVERSITIES = [  # (simplified, traditional, English)
    ("北京大学", "北京大學", "Peking University"),
    ("中国人民大学", "中國人民大學", "Renmin University"),
    ("清华大学", "清華大學", "Tsinghua University"),
    ("北京师范大学", "北京師範大學", "Beijing Normal University"),
    ("中国政法大学", "中國政法大學", "China University of Political Science and Law"),
    ("北京理工大学", "北京理工大學", "Beijing Institute of Technology"),
]

# relation id: (simplified, traditional, English, sex of the relative)
RELATIONS = {
    "mother": ("母亲", "母親", "mother", "f"),
    "father": ("父亲", "父親", "father", "m"),
    "wife": ("妻子", "妻子", "wife", "f"),
    "husband": ("丈夫", "丈夫", "husband", "m"),
    "brother": ("哥哥", "哥哥", "brother", "m"),
    "sister": ("姐姐", "姐姐", "sister", "f"),
}

ENGLISH_NAMES = {
    "m": "Peter John David Michael Paul Joseph Raymond Kenneth Vincent Wilson Stephen Patrick Tony Alan Eric".split(),
    "f": "Mary Anna Alice Susan Grace Helen Winnie Connie Kitty Betty Irene Rebecca".split(),
}
