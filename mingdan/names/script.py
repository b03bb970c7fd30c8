"""Tell the script and romanization system of a written name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")

_TONE_MARKS = re.compile("[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", re.IGNORECASE)
# Spellings that exist in Wade-Giles but never in pinyin: aspirate apostrophes, hs-, tz-, ssu, -ih.
_WADE_GILES = re.compile(
    r"(?i)\b(?:ch|ts|tz|k|p|t)['‘’ʻ]|\bhs[a-zü]|\btz[uŭ]|\bss[uŭ]\b|\b(?:ch|sh|j)ih\b|ŭ"
)
# Hong Kong government spellings of Cantonese sounds that pinyin cannot produce.
_HK = re.compile(
    r"(?i)\b(?:chan|wong|cheung|leung|lau|ng|chau|tse|szeto|auyeung|yeung|kwok|tsang|"
    r"tsui|fung|mak|yip|kwan|lai|chow|choi|yuen|siu|wai|man|kit|ying|fai|hing)\b"
)


def is_han(char: str) -> bool:
    """True for a CJK ideograph."""
    return "CJK UNIFIED IDEOGRAPH" in unicodedata.name(char, "") or "\u3400" <= char <= "\u9fff"


@lru_cache(maxsize=200_000)
def classify_name(text: str) -> tuple[str, str]:
    """The script (hans/hant/hani/latin/mixed/other) and romanization of a name."""
    han = sum(1 for char in text if is_han(char))
    latin = sum(1 for char in text if char.isalpha() and not is_han(char) and ord(char) < 0x2B0)
    if han and latin:
        return "mixed", "none"
    if han:
        if _T2S.convert(text) != text:
            return "hant", "none"
        if _S2T.convert(text) != text:
            return "hans", "none"
        return "hani", "none"
    if not latin:
        return "other", "none"
    if _TONE_MARKS.search(text):
        return "latin", "pinyin_tones"
    if re.search(r"[a-z][1-6]\b", text):
        return "latin", "pinyin_tones" if _numbered_pinyin(text) else "jyutping"
    if _WADE_GILES.search(text):
        return "latin", "wade_giles"
    if _HK.search(text):
        return "latin", "hk"
    return "latin", "unknown"


#: Letters and finals Jyutping never writes (it has c, s, z where pinyin has ch, sh, zh, q, x).
_NOT_JYUTPING = re.compile(r"zh|ch|sh|[qxrvü]|iao|ian|ie|uo")


def _numbered_pinyin(text: str) -> bool:
    """True when a name with tone numbers is pinyin (Zhang1 Ping2, Wang3 Xiao3ping2), not Jyutping: every numbered
    syllable is toned 1 to 5 and one is spelt as Jyutping never spells (an outside tester's Zhang1 Ping2 was read
    as Cantonese and joined 张兵, rt42)."""
    numbered = re.findall(r"([a-zü:]+?)([1-6])", text.lower())
    return bool(numbered) and all(tone != "6" for _, tone in numbered) and \
        any(_NOT_JYUTPING.search(syllable) for syllable, _ in numbered)
