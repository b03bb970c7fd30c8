"""Romanization tables built from character dictionaries: pinyin, Wade-Giles and Hong Kong spellings.

Built from the ~3,750 common characters (GB 2312 level 1) with pypinyin for Mandarin and
ToJyutping for Cantonese (table_build.py) and shipped as data/romanization_tables.json. The Hong
Kong government spelling of a Jyutping syllable follows the published conventions (ch/ts for
z/c, k for g, p for b, t for d, y for j, eung for oeng, ui for eoi, ...). No name list is used:
the tables are about sounds, not people.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from .romanize import pinyin_to_wade_giles

#: Common Han surnames (by published frequency); the compound ones are in romanize.COMPOUND_SURNAMES.
COMMON_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫"
    "孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童"
    "凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项"
    "连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲"
    "虞敖巩明佘池查麻苑迟邝区朴"
)

_JYUTPING = re.compile(r"^(gw|kw|ng|[bpmfdtnlgkhwzcsj])?([a-z]+?)([1-6])$")
_FINALS = {
    "aa": "a", "aai": "ai", "aau": "au", "aam": "am", "aan": "an", "aang": "ang", "aap": "ap", "aat": "at",
    "aak": "ak", "ai": "ai", "au": "au", "am": "am", "an": "an", "ang": "ang", "ap": "ap", "at": "at",
    "ak": "ak", "e": "e", "ei": "ei", "eu": "eu", "em": "em", "eng": "eng", "ep": "ep", "ek": "ek",
    "i": "i", "iu": "iu", "im": "im", "in": "in", "ing": "ing", "ip": "ip", "it": "it", "ik": "ik",
    "o": "o", "oi": "oi", "ou": "o", "on": "on", "ong": "ong", "ot": "ot", "ok": "ok", "oe": "oe",
    "oeng": "eung", "oek": "euk", "eoi": "ui", "eon": "un", "eot": "ut", "u": "u", "ui": "ui", "un": "un",
    "ung": "ung", "ut": "ut", "uk": "uk", "yu": "u", "yun": "uen", "yut": "uet", "m": "m", "ng": "ng",
}
_INITIALS = {"b": "p", "p": "p", "m": "m", "f": "f", "d": "t", "t": "t", "n": "n", "l": "l", "g": "k",
             "k": "k", "ng": "ng", "h": "h", "gw": "kw", "kw": "kw", "w": "w", "z": "ch", "c": "ch",
             "s": "s", "j": "y", "": ""}


def hk_spellings(jyutping: str) -> set[str]:
    """Hong Kong government spellings of one Jyutping syllable (ch and ts variants, yu/u, ...)."""
    match = _JYUTPING.match(jyutping)
    if not match:
        return set()
    initial, final, _ = match.groups()
    initial = initial or ""
    if final == "yu" and initial in ("j", ""):
        return {"yu", "u"}
    if initial == "j" and final.startswith("yu"):
        return {"y" + _FINALS.get(final, final)[0:] if _FINALS.get(final, final).startswith("u") else "yu"}
    spelled_final = _FINALS.get(final, final)
    if initial in ("z", "c") and final == "i":
        return {"chi", "tsz", "tze", "tsze"}
    if initial == "s" and final == "i":
        return {"si", "sze", "see", "shi"}
    if initial == "j" and final == "i":
        return {"yi", "yee"}
    base = _INITIALS[initial] + spelled_final
    spellings = {base}
    if initial in ("z", "c"):
        spellings.add("ts" + spelled_final)
    if initial == "" and final in ("aa", "ai", "au", "am", "an", "ang", "ak", "o", "oi", "on", "ong", "ou"):
        spellings.add("ng" + spelled_final)  # the initial ng- that many speakers drop (Ngai, Ngan, Ngo)
    if spelled_final == "u" and initial == "":
        spellings.add("wu")
    # Spellings common in Hong Kong names beside the government's: Wah, Law, Lum, Bun, Chun, Dung ...
    voiced = {"b": "b", "d": "d", "g": "g"}.get(initial)
    variants = {"aa": ["ah"], "o": ["aw", "oh"], "am": ["um"], "an": ["un"], "ap": ["up"], "at": ["ut"],
                "aang": ["ang"], "ang": ["eng"]}.get(final, [])
    for variant in variants:
        spellings.add(_INITIALS[initial] + variant)
    if voiced:
        spellings |= {voiced + spelling[len(_INITIALS[initial]):] for spelling in list(spellings)}
    if final == "ei":
        spellings.add(_INITIALS[initial] + "ee")  # Lee, Hee: the usual spelling of lei, hei
    if final == "i":
        spellings.add(_INITIALS[initial] + "ee")
    if final == "ou":
        spellings |= {_INITIALS[initial] + "ou", _INITIALS[initial] + "oo"}  # Lo, Lou, Loo
    # Older and family spellings beside the government's: Chow, Poon, Shum, Choy, Koo, Woo, Loong.
    older = {"au": ["ow"], "un": ["oon"], "am": ["um"], "oi": ["oy"], "u": ["oo"], "ung": ["oong"],
             "ut": ["oot"], "uk": ["ook"]}.get(final, [])
    for variant in older:
        spellings.add(_INITIALS[initial] + variant)
    if initial == "s":
        # Shing, Shek, Shun, Sheung, Shum: sh- for s- is as common in Hong Kong names as the government's s-.
        spellings |= {"sh" + spelling[1:] for spelling in list(spellings) if spelling.startswith("s")
                      and not spelling.startswith("sh")}
    return spellings


#: The tables built from the dictionaries (table_build.py), as shipped.
SHIPPED = Path(__file__).parent / "data" / "romanization_tables.json"


def dictionary_versions() -> dict[str, str]:
    """The installed versions of the two dictionaries the tables are built from."""
    from importlib.metadata import version

    return {"pypinyin": version("pypinyin"), "ToJyutping": version("ToJyutping")}


@lru_cache(maxsize=1)
def _shipped() -> dict:
    # Built afresh when the installed dictionaries are not the ones the shipped file was built from: a table of
    # another dictionary's readings would key names one way here and another way in the stored keys of its run.
    try:
        tables = json.loads(SHIPPED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        tables = None
    if tables is None or tables.get("versions") != dictionary_versions():
        from .table_build import build

        tables = build()
    return tables


@lru_cache(maxsize=1)
def pinyin_inventory() -> frozenset[str]:
    """Every toneless pinyin syllable of the common characters."""
    return frozenset(_shipped()["pinyin_inventory"])


@lru_cache(maxsize=1)
def pinyin_surnames() -> frozenset[str]:
    """Every toneless pinyin reading of a common surname (each reading of a polyphonic one), compounds joined."""
    return frozenset(_shipped()["pinyin_surnames"])


@lru_cache(maxsize=1)
def wade_giles_to_pinyin() -> dict[str, tuple[str, ...]]:
    """Wade-Giles syllable (apostrophes and umlauts kept, and also dropped) -> pinyin syllables."""
    table: dict[str, set[str]] = defaultdict(set)
    for syllable in pinyin_inventory():
        spelled = pinyin_to_wade_giles(syllable)
        for form in {spelled, loosen(spelled)}:
            table[form].add(syllable)
    return {k: tuple(sorted(v)) for k, v in table.items()}


def loosen(spelled: str) -> str:
    """A Wade-Giles spelling as typed on a plain keyboard: no apostrophes, u for ü."""
    return re.sub(r"['‘’ʻ`]", "", spelled).replace("ü", "u").replace("ŭ", "u")


#: A common surname's second Cantonese reading in ToJyutping that is another word written with the character, never
#: a name: read as one, Hong Kong "Fu" was 许 (許 fu2, as in 或許) and "Fu Jiaming" joined 许家明 at 0.99 (an outside
#: tester, rt40). Surnames whose two readings are both spellings of the name (吴 Ng, 柯 O or Ngo, 郑 Cheng or Ching,
#: 甄 Yan or Chun) keep both.
NOT_A_NAMES_CANTONESE = {
    "赵": ("tiu5",), "许": ("fu2",), "冯": ("pang4",), "彭": ("bong1",), "蔡": ("saat3",), "余": ("ceoi4",),
    "叶": ("hip3",), "丁": ("zaang1",), "石": ("daam3",), "夏": ("gaa2",), "陶": ("jiu4",), "汤": ("soeng1",),
    "牛": ("au2",), "庞": ("lung4",), "俞": ("syu3",), "祝": ("zau3",), "包": ("bau6",), "宁": ("cyu5",),
    "涂": ("ceoi4",), "谷": ("juk6",), "柴": ("zaai6",), "蒲": ("bok6",), "牟": ("muk6",), "农": ("lung4",),
    "车": ("geoi1",), "费": ("bei3",), "卜": ("baak6",), "瞿": ("geoi2",), "臧": ("cong4",), "苟": ("gik1",),
    "隋": ("do6",), "池": ("to4",), "迟": ("zi3",), "贾": ("gu2",), "朱": ("syu4",),
}


@lru_cache(maxsize=1)
def hk_to_pinyin() -> dict[str, tuple[str, ...]]:
    """Hong Kong spelling of a syllable -> its likeliest pinyin syllables (at most 8, commonest first)."""
    return {spelling: tuple(readings) for spelling, readings in _shipped()["hk_to_pinyin"].items()}


@lru_cache(maxsize=1)
def pinyin_to_hk() -> dict[str, tuple[str, ...]]:
    """Pinyin syllable -> the Hong Kong spellings that read as it first or second (hk_to_pinyin the other way):
    `qiang` is Keung or Geung, not every spelling some rare character of that sound has."""
    table: dict[str, set[str]] = defaultdict(set)
    for spelling, readings in hk_to_pinyin().items():
        for reading in readings[:2]:
            table[reading].add(spelling)
    return {reading: tuple(sorted(spellings)) for reading, spellings in table.items()}


@lru_cache(maxsize=1)
def surname_spellings() -> dict[str, tuple[str, ...]]:
    """Pinyin reading of a common surname -> its spellings of one word (surname_romanizations the other way): 卢 lu is
    Lu, Lo, Lou, Luk..., for spelling a name as another romanization writes it."""
    table: dict[str, set[str]] = defaultdict(set)
    for spelling, readings in surname_romanizations().items():
        if " " not in spelling and "-" not in spelling and "'" not in spelling:
            for reading in readings:
                table[reading].add(spelling)
    return {reading: tuple(sorted(spellings)) for reading, spellings in table.items()}


def _primary_hk(jyutping: str) -> str:
    """One spelling per Jyutping syllable (ch- rather than ts-), for keys."""
    spellings = hk_spellings(jyutping)
    match = _JYUTPING.match(jyutping)
    if match:
        initial, final, _ = match.groups()
        base = _INITIALS[initial or ""] + _FINALS.get(final, final)
        if base in spellings:
            return base
    return sorted(spellings)[0] if spellings else jyutping


@lru_cache(maxsize=1)
def surname_sounds() -> dict[str, str]:
    """Pinyin of a common surname -> its Hong Kong spelling (of the commonest surname with that pinyin)."""
    return dict(_shipped()["surname_sounds"])


#: Spellings of compound surnames that no table derives: overseas (Seto, Owyang) and the older Szu of Wade-Giles's
#: Ssu (Szu-tu, Szu-ma). An outside tester (rt40) found `Szu-tu` and `Seto` never read as 司徒.
OTHER_COMPOUND_SPELLINGS = {
    "司徒": ("seto", "szutu", "szu-tu", "szu tu"),
    "司马": ("szema", "szuma", "szu-ma", "szu ma"),
    "欧阳": ("owyang", "auyang", "ow-yang"),
}


@lru_cache(maxsize=1)
def surname_romanizations() -> dict[str, tuple[str, ...]]:
    """Any spelling of a common surname (pinyin, Wade-Giles, Hong Kong) -> its pinyin readings."""
    return {spelling: tuple(readings) for spelling, readings in _shipped()["surname_romanizations"].items()}
