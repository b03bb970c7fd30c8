"""Chinese numerals written inside dates, ages and sentences, as Arabic digits (via cn2an)."""

from __future__ import annotations

import re
from functools import lru_cache

#: Runs of numeral characters: 一九八九, 二十三, 三十一, 〇五, 两, 廿三.
_RUN = re.compile(r"[零〇一二三四五六七八九十百千两兩廿卅]+")
#: Contractions cn2an does not read all of: 廿 (twenty), 卅 (thirty), and the traditional 兩.
_CONTRACTED = str.maketrans({"廿": "二十", "卅": "三十", "兩": "两"})


class NumeralError(ValueError):
    """A run of numeral characters that is not a number; str() is the reason."""


def has_numerals(text: str) -> bool:
    """True when the text holds a Chinese numeral character."""
    return _RUN.search(text) is not None


def digits(text: str) -> str:
    """The text with every run of Chinese numerals replaced by its value in Arabic digits.

    A run reads as a number the way people write it: 一九八九 is 1989 (digit by digit), 二十三
    is 23, 三十一 is 31, 〇五 is 05 (its leading zero kept, so 〇四年 is a two-digit year). Raises NumeralError for a run that is not a number (百 alone).
    """
    return _RUN.sub(lambda match: _spelled(match.group()) or str(number(match.group())), text)


_DIGITS = {char: str(value) for value, chars in enumerate(("零〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"))
           for char in chars}


def _spelled(run: str) -> str | None:
    """A run written digit by digit with a leading zero keeps its length: 〇四 is 04 (a two-digit year), not 4."""
    if len(run) > 1 and run[0] in "零〇" and all(char in _DIGITS for char in run):
        return "".join(_DIGITS[char] for char in run)
    return None


@lru_cache(maxsize=4096)
def number(run: str) -> int:
    """The value of one run of Chinese numerals."""
    import cn2an  # imported on first use: it costs ~0.1 s, and most lists write Arabic digits

    try:
        value = cn2an.cn2an(run.translate(_CONTRACTED), "normal")
    except Exception as exc:  # cn2an raises ValueError, and others on odd input
        raise NumeralError(f"{run!r} is not a Chinese number") from exc
    if value != int(value) or value < 0:
        raise NumeralError(f"{run!r} is not a whole number")
    return int(value)
