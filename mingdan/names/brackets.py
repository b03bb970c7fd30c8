"""A name cell that holds more than the name: 张三（Zhang San）, 李八 / Li Ba, 王五（化名）, 刘十（Liu Shi，又名刘石）.

What can be read safely is read: a romanization that reads as the characters, the mark of a
pseudonym (化名), another name the person went by (又名 …, 原名 …). Anything else — a romanization
of other characters (张四 (Li Si)), a note this module does not know, several names in one cell —
leaves the cell whole, and `read_name` says why, so that the import can warn of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .keys import Level, compare_names
from .placeholders import name_number, without_number
from .script import classify_name, is_han

_HAN_SCRIPTS = ("hans", "hant", "hani")
_OPEN, _CLOSE = "(（[【", ")）]】"
_MARKS = frozenset(_OPEN + _CLOSE + "/／")
_MAIN = re.compile(r"^([^()（）\[\]【】]*?)\s*((?:[(（\[【][^()（）\[\]【】]*[)）\]】]\s*)*)$")
_GROUP = re.compile(r"[(（\[【]([^()（）\[\]【】]*)[)）\]】]")
_SLASH = re.compile(r"\s*[/／]\s*")
_ITEMS = re.compile(r"\s*[，,、；;]\s*")
#: Characters followed by their romanization with only a space between (张三 Zhang San), or the reverse.
_HAN_THEN_LATIN = re.compile(r"^([^\sA-Za-z]+)\s+([A-Za-z].*)$")
_LATIN_THEN_HAN = re.compile(r"^([A-Za-z][^\u3400-\u9fff]*?)\s+([^\sA-Za-z]+)$")
#: The name given is not the person's own (a list protecting someone, or not knowing the name).
PSEUDONYM = frozenset({"化名", "假名", "匿名", "化名字", "pseudonym", "alias", "not real name", "name changed"})
#: Another name the person went by, or a name they had before: 又名刘石, 原名李四, a.k.a. Liu Shi.
_OTHER_NAME = re.compile(
    r"^(?:(?P<alias>又名|别名|別名|亦名|一名|又叫|也叫|人称|人稱|外号|外號|绰号|綽號|a\.?k\.?a\.?|also known as|alias)"
    r"|(?P<former>原名|曾用名|曾名|formerly|née|nee|born))\s*[:：]?\s*(?P<name>.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class WrittenName:
    """What one name cell says: the name, whether it is a pseudonym, its romanizations, other names."""

    name: str
    pseudonym: bool = False
    romanizations: tuple[str, ...] = ()
    others: tuple[tuple[str, str], ...] = ()  # (name, "alias" or "former")


def read_name(text: str) -> tuple[WrittenName | None, str | None]:
    """(what the cell says, None) when it holds more than a name and can be read safely;
    (None, why it is kept whole) when it holds more but cannot; (None, None) for a plain name."""
    text = text.strip()
    if not any(char in _MARKS for char in text) and classify_name(text)[0] != "mixed":
        return None, None  # most names: no cache entry, no regular expression
    if name_number(text) and not any(char in _MARKS for char in without_number(text)):
        return None, None  # 唐亮（2）: a name and the number a list keeps namesakes apart by (placeholders.py)
    return _read(text)


def split_bracketed(text: str) -> tuple[str, str] | None:
    """(the name in characters, its romanization) for a cell that holds exactly those two, else None."""
    read, _ = read_name(text)
    if read is None or read.pseudonym or read.others or len(read.romanizations) != 1:
        return None
    return read.name, read.romanizations[0]


@lru_cache(maxsize=20_000)
def _read(text: str) -> tuple[WrittenName | None, str | None]:
    pieces = _pieces(text)
    if pieces is None:
        return None, ("its brackets, slash or commas hold more than a romanization, 化名, or 又名/原名 and one "
                      "other name")
    main, items = pieces
    if not items:
        return None, None
    pseudonym, latin, others = False, [], []
    characters = main if classify_name(main)[0] in _HAN_SCRIPTS else None
    if characters is None:
        if classify_name(main)[0] != "latin":
            return None, f"{main!r} is neither a name in characters nor one in Latin letters"
        latin.append(main)
    for item in items:
        other = _OTHER_NAME.match(item)
        script = classify_name(item)[0]
        if item.lower() in PSEUDONYM:
            pseudonym = True
        elif other is not None and classify_name(other["name"])[0] in (*_HAN_SCRIPTS, "latin"):
            others.append((other["name"].strip(), "alias" if other["alias"] else "former"))
        elif script in _HAN_SCRIPTS and characters is None:
            characters = item
        elif script == "latin":
            latin.append(item)
        else:
            return None, (f"{item!r} beside the name is neither its romanization, 化名, nor 又名 or 原名 and another "
                          "name")
    if characters is None:
        return None, "no part of it is the name in characters"
    for form in latin:
        if compare_names(characters, form) < Level.SAME_SOUND:
            return None, f"{form!r} does not read as {characters!r}"
    return WrittenName(characters, pseudonym, tuple(latin), tuple(others)), None


def _pieces(text: str) -> tuple[str, list[str]] | None:
    """The name and the items written beside it (in brackets, after a slash, or after a space in another script)."""
    first, *after = _SLASH.split(text)
    if any(char in _OPEN + _CLOSE for part in after for char in part) or not all(after):
        return None
    match = _MAIN.match(first)
    if match is None:
        return None
    main = match.group(1).strip()
    groups = [*_GROUP.findall(match.group(2)), *after]
    if classify_name(main)[0] == "mixed":
        spaced = _HAN_THEN_LATIN.match(main) or _LATIN_THEN_HAN.match(main)
        if spaced is None:
            return None
        han, other = spaced.groups() if is_han(spaced.group(1)[0]) else spaced.groups()[::-1]
        main, groups = han, [other, *groups]
    if not main:
        return None
    items = [item for group in groups for item in _ITEMS.split(group.strip()) if item]
    if len(groups) > len([g for g in groups if g.strip()]):
        return None  # an empty bracket: （）
    return main, items
