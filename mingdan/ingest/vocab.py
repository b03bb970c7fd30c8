"""Relations and harassment as lists write them: the vocabularies' codes, English labels and Chinese words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mingdan.dates import DateError, Duration, parse_duration
from mingdan.dates.numerals import NumeralError, digits, has_numerals

RELATION_KINDS = ("mother_of", "father_of", "spouse_of", "sibling_of", "child_of", "relative_of",
                  "witness_for", "lawyer_for")
HARASSMENT_KINDS = ("surveillance", "house_arrest", "administrative_detention", "criminal_detention",
                    "forced_travel", "travel_ban", "passport_refused", "loss_of_employment", "loss_of_pension",
                    "threats", "police_visit", "eviction", "pressure_on_relatives", "communication_cut", "other")
TIED_TO = ("anniversary", "visit", "trial", "other")

#: What the person of the row is to the person named in relation_of ("母亲": this person is the mother).
RELATION_WORDS = {
    "mother": "mother_of", "母亲": "mother_of", "母親": "mother_of", "妈妈": "mother_of", "媽媽": "mother_of",
    "father": "father_of", "父亲": "father_of", "父親": "father_of", "爸爸": "father_of",
    "spouse": "spouse_of", "wife": "spouse_of", "husband": "spouse_of", "妻子": "spouse_of", "丈夫": "spouse_of",
    "配偶": "spouse_of", "妻": "spouse_of", "夫": "spouse_of",
    "sibling": "sibling_of", "brother": "sibling_of", "sister": "sibling_of", "兄弟": "sibling_of",
    "姐妹": "sibling_of", "哥哥": "sibling_of", "弟弟": "sibling_of", "姐姐": "sibling_of", "妹妹": "sibling_of",
    "兄弟姐妹": "sibling_of",
    "child": "child_of", "son": "child_of", "daughter": "child_of", "儿子": "child_of", "兒子": "child_of",
    "女儿": "child_of", "女兒": "child_of", "子女": "child_of",
    "relative": "relative_of", "亲属": "relative_of", "親屬": "relative_of", "家属": "relative_of",
    "家屬": "relative_of", "亲戚": "relative_of", "親戚": "relative_of",
    "witness": "witness_for", "证人": "witness_for", "證人": "witness_for",
    "lawyer": "lawyer_for", "律师": "lawyer_for", "律師": "lawyer_for",
}
HARASSMENT_WORDS = {
    "监控": "surveillance", "监视": "surveillance", "監控": "surveillance", "監視": "surveillance",
    "软禁": "house_arrest", "軟禁": "house_arrest",
    "行政拘留": "administrative_detention", "刑事拘留": "criminal_detention",
    "被旅游": "forced_travel", "被旅遊": "forced_travel",
    "限制出境": "travel_ban", "禁止出境": "travel_ban", "边控": "travel_ban", "邊控": "travel_ban",
    "拒发护照": "passport_refused", "拒發護照": "passport_refused",
    "失业": "loss_of_employment", "失業": "loss_of_employment", "被开除": "loss_of_employment",
    "被開除": "loss_of_employment",
    "停发退休金": "loss_of_pension", "停發退休金": "loss_of_pension",
    "威胁": "threats", "威脅": "threats", "threat": "threats",
    "约谈": "police_visit", "約談": "police_visit", "上门": "police_visit", "上門": "police_visit",
    "警察上门": "police_visit", "警察上門": "police_visit", "police visit": "police_visit",
    "visit by police": "police_visit", "visits by police": "police_visit",
    "驱逐": "eviction", "驅逐": "eviction", "强拆": "eviction", "強拆": "eviction",
    "株连": "pressure_on_relatives", "株連": "pressure_on_relatives", "向家属施压": "pressure_on_relatives",
    "向家屬施壓": "pressure_on_relatives",
    "断网": "communication_cut", "斷網": "communication_cut", "断电话": "communication_cut",
    "斷電話": "communication_cut",
    "其他": "other",
}
TIED_WORDS = {
    "六四": "anniversary", "周年": "anniversary", "週年": "anniversary", "敏感日": "anniversary",
    "审判": "trial", "審判": "trial", "开庭": "trial", "開庭": "trial",
    "访问": "visit", "訪問": "visit", "来访": "visit", "來訪": "visit", "a visit": "visit",
    "其他": "other", "another date": "other",
}

_UNITS = {"年": "Y", "个月": "M", "個月": "M", "月": "M", "周": "W", "週": "W", "星期": "W", "天": "D", "日": "D",
          "year": "Y", "years": "Y", "month": "M", "months": "M", "week": "W", "weeks": "W", "day": "D", "days": "D"}
_PART = re.compile(r"(\d+)\s*(个月|個月|星期|years?|months?|weeks?|days?|[年月周週天日])")


class VocabularyError(ValueError):
    """A cell that is not a word of its vocabulary; str() is the reason, naming the allowed words."""


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split()).lower()


def _lookup(text: str, codes: tuple[str, ...], words: dict[str, str], what: str) -> str:
    key = _key(text)
    for candidate in (key, key.replace(" ", "_").replace("-", "_")):
        if candidate in codes:
            return candidate
    label = key.replace("_", " ")
    for code in codes:
        if label == code.replace("_", " "):
            return code
    if key in words:
        return words[key]
    raise VocabularyError(f"{what} {text!r} is not in the vocabulary; expected one of: {', '.join(codes)} "
                          f"(or the words in docs/harassment.md, e.g. {', '.join(list(words)[:6])})")


@lru_cache(maxsize=1024)
def parse_relation(text: str) -> str:
    """A RelationKind from a code, its English label (mother of, mother) or a Chinese word (母亲)."""
    key = _key(text)
    if key.endswith(" of") or key.endswith(" for"):
        key = key.rsplit(" ", 1)[0]
    return _lookup(key if key in RELATION_WORDS else text, RELATION_KINDS, RELATION_WORDS, "relation")


@lru_cache(maxsize=1024)
def parse_harassment(text: str) -> str:
    """A HarassmentKind from a code, its English label or a common Chinese term (被旅游, 软禁)."""
    return _lookup(text, HARASSMENT_KINDS, HARASSMENT_WORDS, "harassment")


@lru_cache(maxsize=256)
def parse_tied_to(text: str) -> str:
    """A TiedTo from a code or a word (六四, 周年, 敏感日: anniversary; 审判, 开庭: trial)."""
    return _lookup(text, TIED_TO, TIED_WORDS, "tied_to")


@lru_cache(maxsize=1024)
def parse_harassment_duration(text: str) -> str:
    """An ISO 8601 duration from P15D, 15天, 10日, 3个月, 十五天, 1年6个月 or 15 days."""
    value = "".join(unicodedata.normalize("NFKC", text).split()).lower()
    reason = (f"duration {text!r} is not a duration such as P15D, 15天, 10日, 3个月 or 15 days "
              "(years, months, weeks and days)")
    if value.upper().startswith("P"):
        try:
            return _not_zero(parse_duration(value), text)
        except DateError:
            raise VocabularyError(reason) from None
    spaced = " ".join(unicodedata.normalize("NFKC", text).split()).lower()
    if has_numerals(spaced):
        try:
            spaced = digits(spaced)
        except NumeralError:
            raise VocabularyError(reason) from None
    spaced = re.sub(r"\s*(?:and|,|零)\s*", " ", spaced)
    parts = _PART.findall(spaced)
    if not parts or _PART.sub("", spaced).strip():
        raise VocabularyError(reason)
    amounts = {"Y": 0, "M": 0, "W": 0, "D": 0}
    for number, unit in parts:
        code = _UNITS[unit]
        if amounts[code]:
            raise VocabularyError(reason)
        amounts[code] = int(number)
    # Weeks become days, as parse_duration reads P2W, so one duration has one written form.
    return _not_zero(Duration(amounts["Y"], amounts["M"], amounts["D"] + 7 * amounts["W"]), text)


def _not_zero(duration: Duration, text: str) -> str:
    """The ISO form of a duration that lasted; a restriction of no time (0天, P0D) is a typo or an empty cell."""
    if duration.years == duration.months == duration.days == 0:
        raise VocabularyError(f"duration {text!r} is zero; give how long it lasted (P15D, 15天), or leave the "
                              "cell empty when the source does not say")
    return duration.iso()
