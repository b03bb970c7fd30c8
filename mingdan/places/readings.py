"""How a place name is read: pinyin of its characters (with place readings fixed), Latin text folded, generic words.

A place is written "北京市海淀区", "海淀區", "Haidian District", "Hoi Tin", "Mùxīdì" or
"T'ien-an-men Square". Everything here turns such text into plain keys that compare by equality:
characters folded to simplified, Latin folded to lower-case letters without tone marks,
apostrophes or hyphens, and English generic words ("District", "Avenue", "Gate") read as the
category they name, so "Chang'an Avenue" and 长安街 meet on the name and the kind of place.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mingdan.names.romanize import to_simplified
from mingdan.names.script import is_han

#: Place names pypinyin reads with the wrong sound of a polyphonic character (checked by hand
#: against the names of the divisions table; tests/places checks each). Longest first when applied.
PLACE_READINGS = {
    "重庆": "chong qing", "长安": "chang an", "长春": "chang chun", "长沙": "chang sha", "长治": "chang zhi",
    "朝阳": "chao yang", "单县": "shan xian", "洪洞": "hong tong", "枞阳": "cong yang", "郫都": "pi du",
    "郫县": "pi xian", "六合": "lu he", "浚县": "xun xian", "大栅栏": "da shi lan", "蚌埠": "beng bu",
    "厦门": "xia men", "番禺": "pan yu", "六安": "lu an", "乐亭": "lao ting", "铅山": "yan shan",
    "蔚县": "yu xian", "莘县": "shen xian", "尉氏": "wei shi", "东阿": "dong e", "荥经": "ying jing",
    "荥阳": "xing yang", "盱眙": "xu yi", "歙县": "she xian", "鄱阳": "po yang", "珲春": "hun chun",
    "犍为": "qian wei", "筠连": "jun lian", "涡阳": "guo yang", "莎车": "sha che", "黄陂": "huang pi",
    "天台": "tian tai", "台州": "tai zhou", "丽水": "li shui", "丽江": "li jiang", "长子": "zhang zi",
    "朝阳门": "chao yang men", "长安街": "chang an jie", "重庆市": "chong qing shi", "解放": "jie fang",
    "柏乡": "bai xiang", "会同": "hui tong", "行唐": "xing tang", "曲阜": "qu fu", "大城": "da cheng",
    "亳州": "bo zhou", "华县": "hua xian", "华阴": "hua yin", "华山": "hua shan", "乐清": "yue qing",
    "阿城": "a cheng", "汤阴": "tang yin", "濮阳": "pu yang", "屯留": "tun liu", "长乐": "chang le",
    "长汀": "chang ting", "长兴": "chang xing", "长宁": "chang ning", "长垣": "chang yuan", "长葛": "chang ge",
    "长岭": "chang ling", "长海": "chang hai", "长白": "chang bai", "长阳": "chang yang", "长泰": "chang tai",
    "长武": "chang wu", "长顺": "chang shun", "长丰": "chang feng", "长寿": "chang shou", "长清": "chang qing",
    "长岛": "chang dao", "长沙县": "chang sha xian", "长宁区": "chang ning qu", "长安区": "chang an qu",
    "巴音郭楞": "ba yin guo leng", "什邡": "shi fang", "綦江": "qi jiang",
    "长洲": "chang zhou", "天长": "tian chang", "子长": "zi chang", "漯河": "luo he", "蚌山": "beng shan",
    "南乐": "nan le", "民乐": "min le", "闵行": "min hang", "召陵": "shao ling",
    # In place names these characters have one reading (成都, 乌什).
    "都": "du", "什": "shi"
}
_READINGS_BY_LENGTH = sorted(PLACE_READINGS, key=len, reverse=True)

#: English (and pinyin) generic words, the kind of place they name, and how Chinese writes that kind.
GENERIC = {
    "province": ("province", "省"), "sheng": ("province", "省"),
    "municipality": ("province", "市"), "autonomous": ("region", ""), "region": ("region", "自治区"),
    "sar": ("region", "特别行政区"), "prefecture": ("prefecture", "地区"),
    "city": ("city", "市"), "shi": ("city", "市"), "district": ("district", "区"), "qu": ("district", "区"),
    "county": ("county", "县"), "xian": ("county", "县"), "banner": ("county", "旗"),
    "town": ("town", "镇"), "township": ("town", "乡"), "village": ("town", "村"), "subdistrict": ("town", "街道"),
    "street": ("street", "街"), "st": ("street", "街"), "jie": ("street", "街"), "avenue": ("street", "大街"),
    "ave": ("street", "大街"), "boulevard": ("street", "大街"), "dajie": ("street", "大街"),
    "road": ("road", "路"), "rd": ("road", "路"), "lu": ("road", "路"), "lane": ("street", "胡同"),
    "hutong": ("street", "胡同"), "alley": ("street", "胡同"),
    "square": ("square", "广场"), "plaza": ("square", "广场"), "guangchang": ("square", "广场"),
    "bridge": ("bridge", "桥"), "qiao": ("bridge", "桥"), "overpass": ("bridge", "桥"), "flyover": ("bridge", "桥"),
    "gate": ("gate", "门"), "men": ("gate", "门"), "intersection": ("junction", "口"), "crossing": ("junction", "口"),
    "junction": ("junction", "口"), "kou": ("junction", "口"),
    "hotel": ("building", "饭店"), "hospital": ("building", "医院"), "museum": ("building", "博物馆"),
    "university": ("building", "大学"), "palace": ("building", "宫"), "park": ("building", "公园"),
    "hall": ("building", "堂"),
}
#: Direction words English puts first where Chinese writes them into the name (West Chang'an Avenue).
DIRECTIONS = {"east": "dong", "west": "xi", "north": "bei", "south": "nan", "inner": "nei", "outer": "wai",
              "e": "dong", "w": "xi", "n": "bei", "s": "nan"}
#: Chinese generic endings, longest first: what stripping them leaves is the place's own name.
HAN_GENERIC = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "街道", "地区", "大街", "广场", "胡同",
               "饭店", "医院", "博物馆", "大学", "公园", "省", "市", "区", "县", "旗", "盟", "镇", "乡", "村",
               "街", "路", "桥", "门", "口", "宫")
#: The kind of place a Chinese ending names (as GENERIC's kinds).
HAN_KIND = {"特别行政区": "region", "自治区": "region", "自治州": "prefecture", "自治县": "county", "自治旗": "county",
            "街道": "town", "地区": "prefecture", "大街": "street", "广场": "square", "胡同": "street",
            "饭店": "building", "医院": "building", "博物馆": "building", "大学": "building", "公园": "building",
            "省": "province", "市": "city", "区": "district", "县": "county", "旗": "county", "盟": "prefecture",
            "镇": "town", "乡": "town", "村": "town", "街": "street", "路": "road", "桥": "bridge", "门": "gate",
            "口": "junction", "宫": "building"}
_APOSTROPHES = "'‘’ʻ`´"


def han_pinyin(text: str) -> list[str]:
    """Toneless pinyin syllables of Han text, with the place readings pypinyin gets wrong corrected."""
    from pypinyin import lazy_pinyin

    text = to_simplified(text)
    syllables: list[str] = []
    start = 0
    while start < len(text):
        fixed = next((key for key in _READINGS_BY_LENGTH if text.startswith(key, start)), None)
        if fixed:
            syllables += PLACE_READINGS[fixed].split()
            start += len(fixed)
            continue
        end = start + 1
        # Up to the next fixed reading, pypinyin reads the run as a phrase (its phrase table knows 长安街 too).
        while end < len(text) and not any(text.startswith(key, end) for key in _READINGS_BY_LENGTH):
            end += 1
        syllables += [s.replace("ü", "v").replace("v", "u") for s in lazy_pinyin(text[start:end], v_to_u=True)]
        start = end
    return [s for s in syllables if s.isalpha()]


def fold_latin(text: str) -> str:
    """Lower-case ASCII letters, digits and spaces: tone marks dropped with their letters kept (Mùxīdì -> muxidi),
    ü read u, apostrophes and periods removed, hyphens and other punctuation made spaces."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    kept = re.sub(f"[{_APOSTROPHES}.]", "", kept)
    kept = re.sub(r"[^a-z0-9]+", " ", kept)
    # Tone numbers written after a syllable (Mu4xi1di4).
    return re.sub(r"(?<=[a-z])[1-5](?=[a-z]|\b)", "", kept).strip()


def han_text(text: str) -> str:
    """The Han characters of a text, simplified, in order."""
    return to_simplified("".join(ch for ch in text if is_han(ch)))


def strip_generic(name: str) -> tuple[str, str | None]:
    """A Chinese place name without its generic ending, and the kind of place the ending named."""
    for ending in HAN_GENERIC:
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)], HAN_KIND[ending]
    return name, None


def short_name(name: str, nations: list[str] = ()) -> str:
    """The name people use without the generic ending: 海淀区 -> 海淀, 延边朝鲜族自治州 -> 延边 (never one character)."""
    for ending in ("特别行政区", "自治区", "自治州", "自治县", "自治旗"):
        if name.endswith(ending):
            core = name[: -len(ending)]
            changed = True
            while changed:
                changed = False
                for nation in sorted(nations, key=len, reverse=True):
                    for form in (nation, nation.removesuffix("族")):
                        if len(form) > 1 and core.endswith(form) and len(core) - len(form) >= 2:
                            core, changed = core[: -len(form)], True
                            break
                    if changed:
                        break
            return core if len(core) >= 2 else name
    for ending in ("地区", "林区", "特区", "矿区", "新区", "省", "市", "区", "县", "旗", "盟"):
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)]
    return name


@lru_cache(maxsize=20_000)
def cantonese_spellings(jyutping: str, limit: int = 8) -> tuple[str, ...]:
    """Hong Kong spellings of a name read in Jyutping (space-separated syllables), run together: 'tin on mun' ->
    'tinonmun'; the commonest spelling of each syllable first, at most `limit` forms."""
    from itertools import islice, product

    options = [_hk_syllable(syllable) for syllable in jyutping.split()]
    return tuple("".join(combination) for combination in islice(product(*options), limit))


@lru_cache(maxsize=4096)
def _hk_syllable(jyutping: str) -> tuple[str, ...]:
    from mingdan.names.tables import hk_spellings

    return tuple(sorted(hk_spellings(jyutping), key=lambda s: (len(s), s))[:3]) or (re.sub(r"\d", "", jyutping),)


def wade_giles(pinyin: str) -> str:
    """A pinyin reading (space-separated syllables) in Wade-Giles as typed on a plain keyboard, run together."""
    return "".join(_wade_giles_syllable(syllable) for syllable in pinyin.split())


@lru_cache(maxsize=4096)
def _wade_giles_syllable(syllable: str) -> str:
    from mingdan.names.romanize import pinyin_to_wade_giles
    from mingdan.names.tables import loosen

    return loosen(pinyin_to_wade_giles(syllable))
