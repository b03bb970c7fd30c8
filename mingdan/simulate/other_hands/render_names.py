"""How each hand writes a person's name: characters in either script, pinyin habits, Wade-Giles
with and without apostrophes, Hong Kong spellings, bracketed romanizations, typos."""

from __future__ import annotations

import random

from .population import Person
from .romanize import ascii_pinyin, cap, join_pinyin, strip_tones, wade_giles, wg_plain
from .tables import ENGLISH_NAMES, confusable, given_chars

_TO_HANT = {c.hans: c.hant for c in given_chars()}


def chars(person: Person, script: str) -> str:
    """The name in characters, simplified ('hans') or traditional ('hant')."""
    return person.hans if script == "hans" else person.hant


def _surname_pinyin(person: Person, naive: bool) -> list[str]:
    if naive and person.surname.naive:
        return [person.surname.naive]
    return list(person.surname.pinyin)


def pinyin(rng: random.Random, person: Person, habit: str, *, tones: bool = False, naive: bool = False) -> str:
    """Hanyu pinyin in one of the habits of English-language lists.

    habit: sg "Chen Dawen", gs "Dawen Chen", SG "CHEN Dawen", gS "Dawen CHEN", hyphen "Chen Da-wen",
    spaced "Chen Da Wen", comma "Chen, Dawen", upper "CHEN DAWEN".
    """
    sur = _surname_pinyin(person, naive)
    giv = [c.pinyin for c in person.given]
    if not tones:
        u = "u" if rng.random() < 0.7 else rng.choice(["v", "yu", "ü"])
        sur = [ascii_pinyin(s, u) for s in sur]
        giv = [ascii_pinyin(s, u) for s in giv]
    if len(sur) == 2:
        r = rng.random()
        s = cap(join_pinyin(sur)) if r < 0.75 else (f"{cap(sur[0])}-{sur[1]}" if r < 0.88 else f"{cap(sur[0])} {cap(sur[1])}")
    else:
        s = cap(sur[0])
    apostrophe = rng.random() < 0.8
    if habit == "hyphen":
        g = cap("-".join(giv))
    elif habit == "spaced":
        g = " ".join(cap(x) for x in giv)
    else:
        g = cap(join_pinyin(giv) if apostrophe else "".join(giv))
    if habit == "gs":
        return f"{g} {s}"
    if habit == "SG":
        return f"{s.upper()} {g}"
    if habit == "gS":
        return f"{g} {s.upper()}"
    if habit == "comma":
        return f"{s}, {g}"
    if habit == "upper":
        return f"{s} {g}".upper()
    return f"{s} {g}"


def wade_giles_name(rng: random.Random, person: Person, *, apostrophes: bool, umlauts: bool,
                    habit: str = "hyphen", taiwan: bool = False) -> str:
    """Wade-Giles: "Ch'en Ta-wen"; without marks "Chen Ta-wen"; habits hyphen, run, spaced, gs."""
    sur = [wade_giles(strip_tones(s)) for s in person.surname.pinyin]
    giv = [wade_giles(strip_tones(c.pinyin)) for c in person.given]
    s = cap("-".join(sur)) if len(sur) == 2 else cap(sur[0])
    if taiwan and person.surname.taiwan:
        s = person.surname.taiwan
    if habit == "run":
        g = cap("".join(giv))
    elif habit == "spaced":
        g = " ".join(cap(x) for x in giv)
    else:
        g = cap("-".join(giv))
    text = f"{g} {s}" if habit == "gs" else f"{s} {g}"
    if not apostrophes:
        text = text.replace("'", "")
    elif rng.random() < 0.15:       # typed from a word processor: curly or back quotes
        text = text.replace("'", rng.choice(["\u2018", "\u2019", "`"]))
    if not umlauts:
        text = text.replace("ü", "u")
    return text if apostrophes or umlauts else wg_plain(text)


def hong_kong(rng: random.Random, person: Person, habit: str = "hyphen", *, english_name: bool = False) -> str:
    """Hong Kong government spelling of the Cantonese: "Chan Tai-man", "CHAN Tai Man", "Tai-man Chan"."""
    sur = list(person.surname.hk)
    giv = [c.hk for c in person.given]
    if len(sur) == 2:
        s = rng.choice([" ".join(sur), "-".join(sur), "".join(sur).capitalize()])
        if person.surname.hans == "司徒" and rng.random() < 0.6:
            s = "Szeto"
    else:
        s = sur[0]
    if habit == "spaced":
        g = " ".join(giv)
    else:
        g = giv[0] + "".join("-" + x.lower() for x in giv[1:])
    if habit == "SG":
        text = f"{s.upper()} {g}"
    elif habit == "gs":
        text = f"{g} {s}"
    else:
        text = f"{s} {g}"
    if english_name:
        text = f"{rng.choice(ENGLISH_NAMES[person.sex])} {text}"
    return text


def bracketed(chinese: str, latin: str, rng: random.Random) -> str:
    """Characters with a romanization in brackets: "张三（Zhang San）" or "张三 (Zhang San)"."""
    return rng.choice([f"{chinese}（{latin}）", f"{chinese} ({latin})", f"{chinese}({latin})"])


_LATIN_CONFUSIONS = [("zh", "z"), ("ch", "c"), ("sh", "s"), ("ng", "n"), ("ie", "ei"), ("ao", "oa"),
                     ("x", "s"), ("q", "ch"), ("iu", "ou"), ("ui", "iu"), ("ei", "ie")]


def latin_typo(rng: random.Random, text: str) -> str:
    """One slip of the keyboard or the ear: a southern-accent confusion, a dropped, doubled or swapped letter."""
    letters = [i for i, c in enumerate(text) if c.isalpha() and i > 0 and text[i - 1].isalpha()]
    if len(letters) < 3:
        return text
    r = rng.random()
    if r < 0.35:
        found = [(a, b) for a, b in _LATIN_CONFUSIONS if a in text.lower()]
        if found:
            a, b = rng.choice(found)
            i = text.lower().index(a)
            piece = text[i:i + len(a)]
            repl = b.upper() if piece.isupper() else (b.capitalize() if piece[0].isupper() else b)
            return text[:i] + repl + text[i + len(a):]
    i = rng.choice(letters)
    if r < 0.6:
        return text[:i] + text[i + 1:]
    if r < 0.8:
        return text[:i] + text[i] + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha():
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text


def char_typo(rng: random.Random, text: str, script: str) -> str:
    """One mistyped character in the given name: a homophone or a look-alike."""
    table = confusable()
    sur_len = 2 if len(text) >= 4 else 1
    spots = [i for i in range(sur_len, len(text)) if _simp(text[i]) in table]
    if not spots:
        return text
    i = rng.choice(spots)
    options = [c for c in table[_simp(text[i])] if script == "hans" or c in _TO_HANT]
    if not options:
        return text
    new = rng.choice(options)
    if script == "hant":
        new = _TO_HANT[new]
    return text[:i] + new + text[i + 1:]


_TO_HANS = {c.hant: c.hans for c in given_chars()}


def _simp(ch: str) -> str:
    return _TO_HANS.get(ch, ch)
