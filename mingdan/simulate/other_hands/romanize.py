"""Romanizations written from the rules of each system: pinyin (with and without tones) and
Wade-Giles (with and without apostrophes and umlauts). Hong Kong spellings come from the tables.

Nothing here calls a conversion library; the Wade-Giles rules are the textbook correspondences.
"""

from __future__ import annotations

import unicodedata

_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}  # grave, acute, macron, caron

_WG_WHOLE = {
    "zi": "tzu", "ci": "tz'u", "si": "ssu", "zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih",
    "er": "erh", "yi": "i", "you": "yu", "yan": "yen", "ye": "yeh", "yu": "yü", "yue": "yüeh",
    "yuan": "yüan", "yun": "yün", "yong": "yung", "e": "o",
    "ge": "ko", "ke": "k'o", "he": "ho",
    "duo": "to", "tuo": "t'o", "nuo": "no", "luo": "lo", "zuo": "tso", "cuo": "ts'o", "suo": "so",
    "zhuo": "cho", "chuo": "ch'o", "ruo": "jo",
    "ju": "chü", "qu": "ch'ü", "xu": "hsü", "jue": "chüeh", "que": "ch'üeh", "xue": "hsüeh",
    "juan": "chüan", "quan": "ch'üan", "xuan": "hsüan", "jun": "chün", "qun": "ch'ün", "xun": "hsün",
    "lüe": "lüeh", "nüe": "nüeh", "jiong": "chiung", "qiong": "ch'iung", "xiong": "hsiung",
    "gui": "kuei", "kui": "k'uei",
}
_WG_INITIALS = [  # longest first
    ("zh", "ch"), ("ch", "ch'"), ("sh", "sh"), ("b", "p"), ("p", "p'"), ("m", "m"), ("f", "f"),
    ("d", "t"), ("t", "t'"), ("n", "n"), ("l", "l"), ("g", "k"), ("k", "k'"), ("h", "h"),
    ("j", "ch"), ("q", "ch'"), ("x", "hs"), ("r", "j"), ("z", "ts"), ("c", "ts'"), ("s", "s"),
    ("y", "y"), ("w", "w"),
]
_WG_FINALS = {"ong": "ung", "iong": "iung", "ian": "ien", "ie": "ieh", "üe": "üeh"}


def strip_tones(text: str) -> str:
    """Pinyin without tone marks, keeping ü (and ê)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))


def ascii_pinyin(text: str, u_umlaut: str = "u") -> str:
    """Toneless pinyin with ü written as `u_umlaut` ('u', 'v' or 'yu'), as keyboards force it."""
    return strip_tones(text).replace("ü", u_umlaut).replace("Ü", u_umlaut.upper())


def wade_giles(syllable: str) -> str:
    """One toneless pinyin syllable (with ü) in Wade-Giles, with apostrophes and umlauts."""
    s = syllable.lower()
    if s in _WG_WHOLE:
        return _WG_WHOLE[s]
    for ini, wg_ini in _WG_INITIALS:
        if s.startswith(ini):
            rest = s[len(ini):]
            return wg_ini + _WG_FINALS.get(rest, rest)
    return _WG_FINALS.get(s, s)


def wg_plain(text: str) -> str:
    """Wade-Giles as most passports and newspapers print it: no apostrophes, no umlauts."""
    return text.replace("'", "").replace("ü", "u").replace("Ü", "U")


def join_pinyin(syllables: list[str]) -> str:
    """Syllables of one word run together, with the apostrophe before a, o, e (Xi'an, Jian'an)."""
    out = syllables[0]
    for syl in syllables[1:]:
        if strip_tones(syl)[:1].lower() in ("a", "o", "e"):
            out += "'"
        out += syl
    return out


def cap(word: str) -> str:
    """First letter capitalised, the rest as is (keeps tone marks and apostrophes)."""
    return word[:1].upper() + word[1:]
