"""Romanizations of Chinese names: pinyin, Wade-Giles and Hong Kong Cantonese spellings."""

from __future__ import annotations

from functools import lru_cache

import opencc
from pypinyin import Style, lazy_pinyin, pinyin

_T2S = opencc.OpenCC("t2s")
_S2T = opencc.OpenCC("s2t")

#: Surnames whose reading differs from the character's common reading.
SURNAME_READINGS = {
    "曾": "zeng", "单": "shan", "單": "shan", "区": "ou", "區": "ou", "解": "xie", "仇": "qiu",
    "查": "zha", "朴": "piao", "盖": "ge", "蓋": "ge", "乐": "yue", "樂": "yue", "召": "shao",
    "员": "yun", "員": "yun", "任": "ren", "覃": "qin", "缪": "miao", "繆": "miao", "翟": "zhai",
    "万": "wan", "萬": "wan", "尉": "yu", "沈": "shen", "秘": "bi", "隗": "wei", "宿": "su",
    "柏": "bai", "纪": "ji", "紀": "ji", "华": "hua", "華": "hua", "种": "chong", "種": "chong",
    "长": "zhang", "長": "zhang", "都": "du", "折": "she", "朝": "chao", "句": "gou",
}
#: Two-character surnames, in simplified characters, with their readings.
COMPOUND_SURNAMES = {
    "欧阳": "ouyang", "司徒": "situ", "诸葛": "zhuge", "上官": "shangguan", "皇甫": "huangfu",
    "司马": "sima", "夏侯": "xiahou", "东方": "dongfang", "慕容": "murong", "令狐": "linghu",
    "公孙": "gongsun", "尉迟": "yuchi", "宇文": "yuwen", "长孙": "zhangsun", "澹台": "tantai",
    "端木": "duanmu", "万俟": "moqi", "西门": "ximen", "南宫": "nangong", "独孤": "dugu",
}


def to_simplified(text: str) -> str:
    """Traditional characters as simplified."""
    return _T2S.convert(text)


def to_traditional(text: str) -> str:
    """Simplified characters as traditional."""
    return _S2T.convert(text)


def split_surname(name: str) -> tuple[str, str]:
    """(surname, given name) of a name in characters, knowing the compound surnames."""
    if len(name) > 2 and to_simplified(name[:2]) in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]


@lru_cache(maxsize=100_000)
def pinyin_syllables(name: str, tones: bool = False) -> tuple[str, ...]:
    """The pinyin syllables of a name in characters, surnames read as surnames."""
    surname, given = split_surname(name)
    simple = to_simplified(surname)
    style = Style.TONE if tones else Style.NORMAL
    if simple in COMPOUND_SURNAMES and not tones:
        reading = COMPOUND_SURNAMES[simple]
        head = _split_compound(reading)
    elif surname in SURNAME_READINGS and not tones:
        head = [SURNAME_READINGS[surname]]
    else:
        head = lazy_pinyin(surname, style=style, v_to_u=True)
    return tuple(head + lazy_pinyin(given, style=style, v_to_u=True))


def _split_compound(reading: str) -> list[str]:
    """A compound surname's reading cut into its two syllables (shangguan: shang guan, not sha ngguan)."""
    from .tables import pinyin_inventory

    syllables = pinyin_inventory()
    for index in range(len(reading) - 1, 0, -1):  # the longest first syllable: huang fu, not hu angfu
        if reading[:index] in syllables and reading[index:] in syllables:
            return [reading[:index], reading[index:]]
    return [reading]


#: Readings of a character kept beside its first: pypinyin lists rare ones too (朝 zhu, 重 tong), which no one writes.
OTHER_READINGS = 1


@lru_cache(maxsize=20_000)
def other_readings(character: str, surname: bool = False) -> tuple[str, ...]:
    """Readings of a character other than the one a name is read with, that romanized lists also write.

    A polyphonic given-name character is romanized either way (朝 zhao or chao, 强 qiang or jiang);
    a surname with a reading of its own (单 Shan, 曾 Zeng, 翟 Zhai) is often written as a converter
    reads the character alone (Dan, Ceng, Di).
    """
    if surname:
        if character not in SURNAME_READINGS:
            return ()
        careless = lazy_pinyin(character, style=Style.NORMAL, v_to_u=True)[0]
        return () if careless == SURNAME_READINGS[character] else (careless,)
    readings = pinyin(character, heteronym=True, style=Style.NORMAL, v_to_u=True)[0]
    return tuple(readings[:1 + OTHER_READINGS])


def pinyin_name(name: str, tones: bool = False) -> str:
    """'Chen Dawen' for 陈大文: surname, space, given name joined."""
    syllables = pinyin_syllables(name, tones)
    surname, _ = split_surname(name)
    cut = len(surname)
    return " ".join(part for part in ("".join(syllables[:cut]).capitalize(), "".join(syllables[cut:]).capitalize()) if part)


_WG_INITIALS = [("zh", "ch"), ("ch", "ch'"), ("sh", "sh"), ("z", "ts"), ("c", "ts'"), ("s", "s"),
                ("j", "ch"), ("q", "ch'"), ("x", "hs"), ("r", "j"), ("b", "p"), ("p", "p'"),
                ("d", "t"), ("t", "t'"), ("g", "k"), ("k", "k'"), ("h", "h"), ("m", "m"),
                ("n", "n"), ("l", "l"), ("f", "f"), ("y", "y"), ("w", "w")]
_WG_WHOLE = {"zhi": "chih", "chi": "ch'ih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tz'u",
             "si": "ssu", "er": "erh", "e": "o", "ye": "yeh", "you": "yu", "yan": "yen", "yu": "yü",
             "yue": "yüeh", "yuan": "yüan", "yun": "yün", "yong": "yung", "he": "ho", "ge": "ko",
             "ke": "k'o", "le": "le", "zhe": "che", "che": "ch'e", "she": "she", "re": "je",
             "ze": "tse", "ce": "ts'e", "se": "se", "me": "me", "de": "te", "te": "t'e", "ne": "ne",
             "lian": "lien", "jian": "chien", "qian": "ch'ien", "xian": "hsien", "tian": "t'ien",
             "dian": "tien", "bian": "pien", "pian": "p'ien", "mian": "mien", "nian": "nien"}
_WG_FINALS = [("iong", "iung"), ("ong", "ung"), ("ian", "ien"), ("ie", "ieh"), ("ui", "ui"),
              ("üe", "üeh"), ("ue", "üeh")]


@lru_cache(maxsize=4096)
def pinyin_to_wade_giles(syllable: str) -> str:
    """The Wade-Giles spelling of one toneless pinyin syllable."""
    syllable = syllable.lower().replace("v", "ü")
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    for initial, spelled in _WG_INITIALS:
        if syllable.startswith(initial):
            rest = syllable[len(initial):]
            break
    else:
        initial, spelled, rest = "", "", syllable
    if initial in ("j", "q", "x") and rest.startswith("u"):
        rest = "ü" + rest[1:]  # ju, qu, xu are jü, qü, xü
    if initial and rest == "uo":
        # guo, kuo, huo, shuo, zhuo, chuo keep the u; duo, tuo, luo, zuo ... drop it.
        return spelled + ("uo" if initial in ("g", "k", "h", "sh", "zh", "ch", "r") else "o")
    for final, spelled_final in _WG_FINALS:
        if rest.endswith(final):
            rest = rest[: len(rest) - len(final)] + spelled_final
            break
    return spelled + rest


def wade_giles_name(name: str) -> str:
    """"Ch'en Ta-wen" for 陈大文: surname, then the given syllables joined by hyphens."""
    syllables = pinyin_syllables(name)
    cut = len(split_surname(name)[0])
    surname = "".join(pinyin_to_wade_giles(s) for s in syllables[:cut]).capitalize()
    given = "-".join(pinyin_to_wade_giles(s) for s in syllables[cut:]).capitalize()
    return f"{surname} {given}".strip()
