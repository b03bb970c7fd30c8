"""A name written with its romanization in brackets: 张三（Zhang San）, 张三 (Zhang San), Zhang San (张三)."""

from __future__ import annotations

import re
from functools import lru_cache

from .keys import Level, compare_names
from .script import classify_name

_BRACKETED = re.compile(r"^\s*([^()（）\[\]【】]+?)\s*[(（\[【]\s*([^()（）\[\]【】]+?)\s*[)）\]】]\s*$")
_HAN_SCRIPTS = ("hans", "hant", "hani")


def split_bracketed(text: str) -> tuple[str, str] | None:
    """(the name in characters, its romanization) when one is written in brackets after the other, else None.

    Only when the Latin part reads as the characters (pinyin, Wade-Giles, Hong Kong spellings):
    a bracketed note such as 王五（化名） or 张三 (alias) is not a romanization, and stays as written.
    """
    if "(" not in text and "（" not in text and "[" not in text and "【" not in text:
        return None  # most names: no cache entry, no regular expression
    return _split(text)


@lru_cache(maxsize=20_000)
def _split(text: str) -> tuple[str, str] | None:
    match = _BRACKETED.match(text)
    if not match:
        return None
    first, second = match.groups()
    scripts = classify_name(first)[0], classify_name(second)[0]
    if scripts[0] in _HAN_SCRIPTS and scripts[1] == "latin":
        characters, latin = first, second
    elif scripts[0] == "latin" and scripts[1] in _HAN_SCRIPTS:
        characters, latin = second, first
    else:
        return None
    if compare_names(characters, latin) < Level.SAME_SOUND:
        return None
    return characters, latin
