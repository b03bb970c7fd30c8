"""Names that say the name is not known (无名氏, 男尸3号, Unknown male, 王某, 张**) and numbers that tell namesakes apart.

Lists of the dead number the bodies they cannot name ("无名男尸1号", "Unidentified 2") and lists of many
people number the namesakes they keep apart ("Li Ming 1", "李明2", "林涛一号", "Liang Hui II"). Read as
names, both lose what they say: two placeholders are not one person because both say "unknown", and
"Li Ming 1" is not "Li Ming 2". A surname alone (王, "Wang", "Mr. Chan") is not a name either.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .romanize import to_simplified

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMERAL = "[〇零一二两三四五六七八九十]+"
# A number written in a name: digits not glued to a letter (a glued digit is a tone: "Li3 Ming2", "Chan4"), digits
# after "No" ("No1", "No. 2"), Chinese numerals marked as numbers (一号, 第二, (三)), Roman numerals after a name
# (Liang Hui II, 胡斌Ⅰ), Senior and Junior.
_DIGITS = re.compile(r"(?i)(?<![A-Za-z\u00C0-\u024F\d])(\d+)|\bno\.?\s*(\d+)")
_CN_MARKED = re.compile(f"第({_CN_NUMERAL})[号號]?|({_CN_NUMERAL})[号號]|[(（]({_CN_NUMERAL})[)）]")
_ROMAN = re.compile(r"(?:(?<=[\u3400-\u9fff])|(?<=\w\s))(I{1,3}|IV|VI{0,3}|IX|X)(?=\s*$|\s*[(（])")
_GENERATION = re.compile(r"(?i)(?:,\s*|\s+)(sr|jr|senior|junior)\.?\s*$")
_ROMAN_VALUES = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9, "X": 10}
# What only marks a number: "#3", "No. 3", "3号", "第3", "(3)".
_NUMBER_MARKS = re.compile(r"(?i)(?:\bno\.?\s*(?=\d)|#|＃|第(?=\d)|(?<=\d)[号號]|[(（]\s*(?=\d+\s*[)）])|(?<=\d)\s*[)）])")
_BARE_NUMBER = re.compile(f"(?i)\\s*(?:no\\.?\\s*|#|第)?(?:\\d+|{_CN_NUMERAL})\\s*[号號]?\\s*")
# An age, a year, a date beside a name: 23岁, 40多岁, 1965年(生), 6月4日, 1989-06-04, aged 23, b. 1965, 23 years old.
_DATED = re.compile(
    r"(?i)\d{4}[-./]\d{1,2}(?:[-./]\d{1,2})?|\d+\s*(?:周岁|多岁|余岁|岁|歲|年生|年|月|日|号生)(?:\s*\d+\s*[月日])*"
    r"|\b(?:aged?|b\.|born|d\.|died|dob)\s*:?\s*\d+|\d+\s*(?:years?|yrs?)(?:\s*old)?\b")
_TITLE = re.compile(r"(?<=[\u3400-\u9fff]{2})(?:先生|女士|小姐|太太|同志|同学|老师|师傅)$")
_BRACKETED = re.compile(r"[(（\[【]([^()（）\[\]【】]*)[)）\]】]")

_PEOPLE = ("男子|女子|男性|女性|男孩|女孩|男童|女童|青年|少年|学生|大学生|中学生|工人|市民|居民|群众|老人|儿童|孩子|人士|"
           "烈士|英雄|死者|伤者|遇难者|遇害者|受害者|职工|干部|军人|士兵|战士|司机|农民|小贩|妇女|老太太|老大爷|教师|医生|"
           "护士|人|者|男|女|性")
_BODY = "尸|尸体|遗体|骸骨|遗骸"
_UNKNOWN = "无名氏|无名|佚名|匿名|无姓名|不知名|未具名|未知|不详|不明|待查|待核实|待确认|身份不明|姓名不详|姓名不明|名字不详|身元不明|名無し"
_CHINESE_UNKNOWN = re.compile(
    "^(?:"
    f"(?:{_UNKNOWN})(?:的)?(?:{_PEOPLE}|{_BODY})*|"  # 无名氏, 不明男子, 无名烈士, 身份不明者
    f"(?:一具|一名|一位|一个|某个|某位|某名|一)?(?:{_UNKNOWN})?[男女]?(?:{_BODY})|"  # 男尸, 一具男尸, 无名女尸
    f"(?:一名|一位|一个|某个|某位|某名|一)(?:{_PEOPLE})+|"  # 一名学生
    f"(?:{_PEOPLE})|"  # 学生, 男子
    "无|某.*|[男女]某+|"  # 某某, 某大学学生
    f"[\u3400-\u9fff]{{1,2}}姓(?:{_PEOPLE})*"  # 孙姓男子
    ")$"
)
# A surname alone with the rest withheld: 王某, 欧阳某某, 张**, 李X, 陈○○.
_MASKED = re.compile(r"^[\u3400-\u9fff]{0,2}(?:某+|[*＊×xX○〇□◯●■?？_]+)[\u3400-\u9fff]{0,2}$")
_MASK_CHARACTERS = re.compile(r"[*＊×○〇□◯●■?？_]")
_UNKNOWN_WORDS = frozenset({
    "unknown", "unidentified", "unnamed", "anonymous", "anon", "withheld", "redacted", "none", "null", "nil", "nn",
    "unk", "tbd", "tba", "wumingshi", "buxiang", "niming", "nanshi", "nvshi", "nüshi", "moumou",
    # other languages' "unknown" and "unnamed"
    "inconnu", "inconnue", "anonyme", "desconocido", "desconocida", "anónimo", "anonimo", "desconhecido",
    "desconhecida", "unbekannt", "unbekannte", "sconosciuto", "sconosciuta", "ignoto", "onbekend", "okänd",
    "неизвестный", "неизвестная", "неизвестно", "неопознанный", "безымянный", "不明", "미상", "무명", "신원미상",
})
_FILLER_WORDS = frozenset({
    "male", "female", "man", "woman", "men", "women", "boy", "girl", "person", "people", "body", "bodies", "corpse",
    "remains", "victim", "deceased", "dead", "student", "worker", "citizen", "child", "adult", "youth", "old",
    "elderly", "young", "name", "names", "not", "known", "given", "no", "john", "jane", "a", "an", "the", "of", "is",
    "about", "aged", "age", "years", "year", "yrs", "yr", "approx", "approximately", "circa", "ca",
})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "madam", "madame", "mme", "sir", "herr", "frau"})
#: Spellings that say "no value" as spreadsheets and statistics packages write it, punctuation taken out (N/A, n.a.).
_MISSING = frozenset({"na", "nan", "null", "none", "nil", "unk", "tbd", "tba", "?"})


def _chinese_number(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 三十五 -> 35 (what a list numbers namesakes with)."""
    if "十" not in text:
        return int("".join(str(_CN_DIGITS[ch]) for ch in text))
    tens, _, units = text.partition("十")
    return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0)


@lru_cache(maxsize=200_000)
def name_number(text: str) -> str | None:
    """The number a name is written with ("无名氏2" -> "2", "Li Ming #3" -> "3", "林涛一号" -> "1", "Liang Hui II" ->
    "2", "Li Qiang Jr." -> "jr"), or None; tone digits ("Li3 Ming2") are not numbers."""
    cleaned = without_notes(text)
    found = [int(a or b) for a, b in _DIGITS.findall(cleaned)]
    found += [_chinese_number(next(g for g in groups if g)) for groups in _CN_MARKED.findall(cleaned)]
    found += [_ROMAN_VALUES[m] for m in _ROMAN.findall(cleaned)]
    generation = _GENERATION.search(cleaned)
    parts = [str(n) for n in found] + ([generation.group(1).lower()[0] + "r"] if generation else [])
    return "-".join(parts) or None


@lru_cache(maxsize=200_000)
def without_number(text: str) -> str:
    """The name with its number and the marks around it taken out ("男尸3号" -> "男尸", "冯刚(一)" -> "冯刚")."""
    cleaned = without_notes(text)
    if name_number(cleaned) is None:
        return cleaned
    cleaned = _GENERATION.sub("", cleaned)
    cleaned = _CN_MARKED.sub(" ", cleaned)
    cleaned = _ROMAN.sub(" ", cleaned)
    cleaned = _DIGITS.sub(" ", _NUMBER_MARKS.sub(" ", cleaned))
    cleaned = re.sub(r"[(（\[【]\s*[)）\]】]", " ", cleaned)  # brackets the number stood in
    return re.sub(r"\s+", " ", cleaned).strip(" -.,，、:：")


@lru_cache(maxsize=200_000)
def without_notes(text: str) -> str:
    """The name with notes taken out: an age, a date or a birth year beside it ("周强(23岁)", "周强 23岁", "曹勇
    1989-06-04", "Li Ming, aged 23"), a placeholder's word or another name in characters in brackets (李明（男）,
    孙立（孙小立）), a title after characters (黄强先生). A bracket holding a romanization ("张三（Zhang San）") is kept,
    and so is the number a list writes namesakes with (李明（2）)."""
    cleaned = unicodedata.normalize("NFKC", text or "")
    han_name = bool(re.match(r"^[\u3400-\u9fff]{2,4}(?![\u3400-\u9fff])", cleaned))

    def note(match: re.Match) -> str:
        inside = match.group(1)
        if _BARE_NUMBER.fullmatch(inside):
            return match.group(0)  # 李明（2）: the number it is written with
        alias = han_name and re.fullmatch(r"[\u3400-\u9fff]+", inside.strip() or "-")
        return " " if (re.search(r"\d", inside) or alias or _placeholder_text(inside) or not inside.strip()) \
            else match.group(0)

    cleaned = _BRACKETED.sub(note, cleaned)
    cleaned = _DATED.sub(" ", cleaned)
    if han_name:
        parts = re.split(r"([\s,，、;；]+)", cleaned.strip(), maxsplit=1)
        head, separator, tail = parts if len(parts) == 3 else (cleaned, "", "")
        number = _BARE_NUMBER.fullmatch(tail.strip("()（）[]【】"))
        about_the_person = not tail.strip() or re.search(r"\d", tail) or _placeholder_text(tail)
        if separator and not number and not re.search(r"[A-Za-z]", tail) and about_the_person:
            cleaned = head  # 刘军 19岁 学生: the name, then notes on the person
        cleaned = _TITLE.sub("", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip(" ,，、;；")


@lru_cache(maxsize=200_000)
def is_placeholder(text: str) -> bool:
    """Whether a name says the name is not known (无名氏, 男尸3号, Unknown male, 王某, 张**) or gives a surname alone
    (王, Wang, Mr. Chan): not a name to compare."""
    if not text or not text.strip():
        return False  # no name at all is missing, not a placeholder
    cleaned = without_number(text)  # and without notes
    if not cleaned:
        return True  # a number alone ("3", "#12") names no one
    outside = _BRACKETED.sub(" ", cleaned).strip()
    if outside and _placeholder_text(outside):
        return True  # 无名氏（Wu Mingshi）, Unknown (无名氏): a placeholder and its other spelling
    return _placeholder_text(cleaned)


@lru_cache(maxsize=200_000)
def _placeholder_text(text: str) -> bool:
    squeezed = re.sub(r"[\s\-–—.,，、·・:：;；()（）\[\]【】\"'“”‘’/／]", "", text)
    if not squeezed:
        return True  # punctuation alone: "?", "—", "/"
    if squeezed.lower() in _MISSING:
        return True
    han = to_simplified(squeezed)
    if _CHINESE_UNKNOWN.match(han) or _MASKED.match(han):
        return True
    hans = [ch for ch in squeezed if "\u3400" <= ch <= "\u9fff"]
    words = [w for w in re.split(r"[\s\-–—.,:;()\[\]\"'/（）]+", text.lower()) if w]
    latin = [w for w in words if not any("\u3400" <= ch <= "\u9fff" for ch in w)]
    if len(words) == 2 and "doe" in words and {"john", "jane"} & set(words):
        return True  # John Doe, Doe, Jane (Doe alone is a name: 杜, Doe Wai)
    if any(w in _UNKNOWN_WORDS for w in words):
        # "Unknown male", "Unknown 王", "John Doe": once the placeholder words are gone, at most a surname is left.
        rest = [w for w in latin if w not in _UNKNOWN_WORDS and w not in _FILLER_WORDS and w not in _TITLES]
        return len(hans) <= 1 and not rest or (not hans and _surname_alone(rest))
    if hans:
        return len(hans) == 1 and not latin  # a surname alone: 王
    if _MASK_CHARACTERS.search(text):
        return True  # "Zhang ***", "Li X?": withheld letters
    if all(w in _FILLER_WORDS for w in words):
        return True  # "Body", "Male victim"
    # A Chinese surname alone, with a title or a letter standing for the rest: Wang, Mr. Chan, Zhang X. (Initials
    # are a name's: K. M. Chan; a single word that is no surname is a name: Tenzin, Ilham.)
    rest = [w for w in words if w not in _TITLES and w not in ("x", "xx", "xxx")]
    return _surname_alone(rest)


def _surname_alone(words: list[str]) -> bool:
    """Whether the words are nothing, or one word that is a Chinese surname in some romanization (Wang, Chan)."""
    from .tables import surname_romanizations

    return not words or (len(words) == 1 and words[0].replace("-", "") in surname_romanizations())


__all__ = ["is_placeholder", "name_number", "without_notes", "without_number"]
