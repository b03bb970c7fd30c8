"""Names that say the name is not known (无名氏, 男尸3号, Unknown male, 王某, 张**) and numbers that tell namesakes apart.

Lists of the dead number the bodies they cannot name ("无名男尸1号", "Unidentified 2") and lists of many
people number the namesakes they keep apart ("Li Ming 1", "李明2"). Read as names, both lose what they
say: two placeholders are not one person because both say "unknown", and "Li Ming 1" is not "Li Ming 2".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .romanize import to_simplified

# A number written in a name: digits not glued to a letter (a glued digit is a tone: "Li3 Ming2", "Chan4").
_NUMBER = re.compile(r"(?<![A-Za-z\u00C0-\u024F\d])(\d+)")
# What only marks a number: "#3", "No. 3", "3号", "第3", "(3)".
_NUMBER_MARKS = re.compile(r"(?i)(?:\bno\.?\s*(?=\d)|#|第|号|號|[()（）\[\]【】])")
_CHINESE_UNKNOWN = re.compile(
    "^(?:"
    "无名氏?|佚名|匿名|无姓名|不知名|未具名|未知|不详|不明|待查|待核实|待确认|无|"
    "(?:姓名|名字|身份)(?:不详|不明|未知|待查)者?|身份不明者?|"
    "(?:无名|不明|身份不明)?[男女]?(?:尸|尸体|遗体|死者|伤者|学生|青年|市民|工人|儿童|孩子|性)?|"
    "某+[男女]?|[男女]某+|"
    "(?:一|某|一名|某个|一位)(?:男|女|学生|青年|市民|工人|老人|儿童|人)"
    ")$"
)
# A surname alone with the rest withheld: 王某, 欧阳某某, 张**, 李X, 陈○○.
_MASKED = re.compile(r"^[\u3400-\u9fff]{0,2}(?:某+|[*＊×xX○〇□◯●■?？_]+)[\u3400-\u9fff]{0,2}$")
_LATIN_MASK = re.compile(r"[*＊×○〇□◯●■?？_]")
_ENGLISH_UNKNOWN = frozenset({
    "unknown", "unidentified", "unnamed", "anonymous", "anon", "withheld", "redacted", "none", "null", "nil",
    "n/a", "na", "nn", "doe", "tbd", "tba", "wumingshi", "buxiang", "moumou",
})
_ENGLISH_FILLER = frozenset({
    "male", "female", "man", "woman", "boy", "girl", "person", "people", "body", "bodies", "corpse", "victim",
    "deceased", "dead", "student", "worker", "citizen", "child", "adult", "youth", "old", "elderly", "young",
    "name", "names", "not", "known", "given", "no", "john", "jane", "mr", "mrs", "ms", "miss", "a", "an", "the",
    "of", "is", "x", "nan", "nv", "shi", "nanshi", "nvshi", "mou",
})


@lru_cache(maxsize=200_000)
def name_number(text: str) -> str | None:
    """The number a name is written with ("无名氏2" -> "2", "Li Ming #3" -> "3"), or None; tone digits are not numbers."""
    found = _NUMBER.findall(unicodedata.normalize("NFKC", text or ""))
    return "-".join(str(int(n)) for n in found) or None


def without_number(text: str) -> str:
    """The name with its number and the marks around it taken out ("男尸3号" -> "男尸")."""
    cleaned = unicodedata.normalize("NFKC", text or "")
    if not _NUMBER.search(cleaned):
        return cleaned
    return re.sub(r"\s+", " ", _NUMBER.sub(" ", _NUMBER_MARKS.sub(" ", cleaned))).strip(" -.,，、:：")


@lru_cache(maxsize=200_000)
def is_placeholder(text: str) -> bool:
    """Whether a name says the name is not known (无名氏, 男尸3号, Unknown male, 王某, 张**): not a name to compare."""
    cleaned = without_number(text)
    if not cleaned:
        return bool(text and text.strip())  # a number alone ("3", "#12") names no one
    squeezed = re.sub(r"[\s\-–—.,，、·・:：;；()（）\[\]【】\"'“”‘’/／]", "", cleaned)
    if not squeezed:
        return True  # punctuation alone: "?", "—", "/"
    han = to_simplified(squeezed)
    if _CHINESE_UNKNOWN.match(han) or _MASKED.match(han):
        return True
    if any("\u3400" <= ch <= "\u9fff" for ch in squeezed):
        return False
    if _LATIN_MASK.search(cleaned):
        return True  # "Zhang ***", "Li X?": withheld letters
    words = [w for w in re.split(r"[\s\-–—.,:;()\[\]\"'/]+", cleaned.lower().replace("n/a", " na ")) if w]
    return bool(words) and any(w in _ENGLISH_UNKNOWN for w in words) and all(
        w in _ENGLISH_UNKNOWN or w in _ENGLISH_FILLER for w in words)


__all__ = ["is_placeholder", "name_number", "without_number"]
