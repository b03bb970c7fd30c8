"""An occupation as lists write it, in characters of either script or in English, read as a kind of work and the
place it was done at: "北京大学学生", "student, Peking University" and "北大學生" are one student of one university.

Compared as written, an occupation never agreed between a list in characters and one in English (工人, worker),
only between records of one list, so at 5,000 records of the blind generator EM weighed "the same occupation" at
-1.6 bits: two records that agree taken as evidence of two people. The kinds below are the words lists of the
dead and detained of 1989 use for a person's work (written for mingdan from Chinese usage and its common English
renderings, coarse on purpose: a worker's trade is written in one list and not in another). A word not in them
is its own kind, compared as written (case, width and spaces folded), as before. A student's kind is finer (a
pupil, a secondary or a university student) under the general "student"; "retired" is dropped (a retired worker
is a worker). The place of work (a university, an institute) is read by the gazetteer; two places contradict only
where both are known to it and differ, and a school is never the university it belongs to (北大附中). An outside
tester's cases (rt38) found each of these read wrongly in the first version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

#: Kind of work -> its forms, simplified characters and English (lower case); traditional characters are read
#: as simplified. A longer form wins over a shorter one it ends with (退休工人 over 工人).
KINDS: dict[str, tuple[str, ...]] = {
    "student": ("学生", "在校学生", "student", "students"),
    "university student": ("大学生", "研究生", "硕士生", "博士生", "本科生", "留学生", "进修生", "大专生",
                           "university student", "college student", "graduate student", "postgraduate",
                           "postgraduate student", "phd student", "doctoral student", "undergraduate",
                           "university students", "college students"),
    "secondary student": ("中学生", "高中生", "初中生", "中专生", "技校学生", "middle school student", "high school student",
                          "secondary school student", "high schooler"),
    "primary pupil": ("小学生", "primary school student", "primary school pupil", "elementary school student", "pupil"),
    "graduate": ("毕业生", "应届毕业生", "graduate", "recent graduate", "university graduate"),
    "worker": ("工人", "临时工", "合同工", "农民工", "电工", "焊工", "钳工", "车工", "修理工", "机修工", "建筑工人",
               "钢铁工人", "纺织工人", "装卸工", "搬运工", "worker", "workers", "factory worker", "labourer", "laborer",
               "temporary worker", "contract worker", "migrant worker", "electrician", "welder", "fitter", "mechanic", "factory workers",
               "construction worker", "steel worker", "steelworker", "textile worker", "dock worker", "porter"),
    "self-employed": ("个体户", "个体", "个体经营者", "个体工商户", "小贩", "摊贩", "商贩", "self-employed", "self employed",
                      "small business owner", "private business", "private businessman", "individual business",
                      "street vendor", "vendor", "hawker", "peddler", "pedlar"),
    "driver": ("司机", "汽车司机", "出租车司机", "公交司机", "卡车司机", "驾驶员", "driver", "bus driver", "taxi driver",
               "truck driver", "lorry driver", "chauffeur"),
    "unemployed": ("无业", "待业", "待业青年", "无业人员", "无业青年", "失业", "下岗", "下岗工人", "unemployed", "jobless",
                   "unemployed youth", "job-waiting youth", "youth awaiting employment", "no occupation", "laid-off worker",
                   "laid off worker"),
    "teacher": ("教师", "老师", "中学教师", "小学教师", "大学教师", "讲师", "教授", "副教授", "助教", "teacher",
                "schoolteacher", "school teacher", "lecturer", "professor", "associate professor", "teaching assistant",
                "instructor"),
    "clerk": ("职员", "职工", "办事员", "文员", "工作人员", "公司职员", "clerk", "office clerk", "office worker", "staff",
              "staff member", "employee", "company employee"),
    "cadre": ("干部", "国家干部", "机关干部", "公务员", "官员", "cadre", "official", "government official", "civil servant",
              "government employee"),
    "researcher": ("科研人员", "研究人员", "研究员", "助理研究员", "副研究员", "科学家", "科技人员", "researcher",
                   "research fellow", "research assistant", "scientist", "research staff", "research worker"),
    "farmer": ("农民", "农民工人", "菜农", "果农", "farmer", "peasant", "villager"),
    "journalist": ("记者", "新闻记者", "摄影记者", "journalist", "reporter", "correspondent", "photojournalist"),
    "editor": ("编辑", "editor"),
    "doctor": ("医生", "大夫", "医师", "外科医生", "doctor", "physician", "surgeon", "medical doctor"),
    "nurse": ("护士", "护士长", "nurse"),
    "soldier": ("军人", "士兵", "战士", "解放军战士", "军官", "武警", "soldier", "pla soldier", "serviceman", "army officer",
                "armed police"),
    "police": ("警察", "公安", "民警", "公安干警", "police", "policeman", "police officer", "public security officer"),
    "engineer": ("工程师", "助理工程师", "engineer", "assistant engineer"),
    "technician": ("技术员", "技师", "technician"),
    "accountant": ("会计", "出纳", "会计师", "accountant", "bookkeeper", "cashier"),
    "cook": ("厨师", "炊事员", "cook", "chef"),
    "shop assistant": ("售货员", "营业员", "服务员", "店员", "shop assistant", "salesclerk", "sales clerk",
                       "sales assistant", "salesperson", "shop clerk", "waiter", "waitress"),
    "conductor": ("售票员", "乘务员", "conductor", "bus conductor", "ticket seller"),
    "artist": ("艺术家", "画家", "美术工作者", "artist", "painter"),
    "writer": ("作家", "诗人", "writer", "author", "poet"),
    "actor": ("演员", "actor", "actress", "performer"),
    "musician": ("音乐家", "音乐工作者", "musician"),
    "lawyer": ("律师", "lawyer", "attorney"),
    "manager": ("经理", "厂长", "manager", "factory director"),
    "guard": ("保安", "门卫", "警卫", "保卫干部", "security guard", "guard", "watchman"),
    "housewife": ("家庭妇女", "家庭主妇", "housewife", "homemaker"),
    "child": ("儿童", "学龄前儿童", "child", "infant"),
}

#: The general kind a kind is one of: a "student" may be any of them, a university student is not a pupil.
GROUPS = {"university student": "student", "secondary student": "student", "primary pupil": "student"}
#: Words saying a person no longer works: "retired worker" is a worker, "retired" alone says nothing of the work.
RETIRED = ("已退休", "退休", "离休", "retired", "retiree", "pensioner")
#: Values that say the occupation is not known: read as no occupation, never as a kind that disagrees.
NOT_KNOWN = frozenset({"无", "没有", "不详", "职业不详", "不清楚", "未知", "不明", "待查", "none", "unknown", "n/a", "na",
                       "n.a.", "not known", "not given", "?", "nil"})
#: Words that say a place of work is a school, not the university it belongs to (北京大学附属中学).
_SCHOOL = re.compile(r"(附中|附属中学|中学|一中|二中|三中|四中|五中|六中|八中|十一中|小学|附小|中$)")
_SCHOOL_LATIN = re.compile(r"\b(high|middle|secondary|primary|elementary) school\b")
_UNIVERSITY = re.compile(r"(大学|学院|university|college|institute|academy)$")
#: SQL over the frame's occupation_kind, _group and _at: both records give a kind of work; both give a place of work
#: the gazetteer knows (an unknown one is '~' and its reading).
OCCUPATION_KINDS = "occupation_kind_l IS NOT NULL AND occupation_kind_r IS NOT NULL"
OCCUPATION_PLACES = ("occupation_at_l IS NOT NULL AND occupation_at_r IS NOT NULL AND occupation_at_l NOT LIKE '~%' "
                     "AND occupation_at_r NOT LIKE '~%'")
#: One kind, or one the general kind of the other (a student, a university student); no two known places of work
#: apart. Or, where a record names only its place of work (北京大学), the same place.
OCCUPATION_SAME = (f"(({OCCUPATION_KINDS}) AND (occupation_kind_l = occupation_kind_r OR occupation_kind_l = "
                   f"occupation_group_r OR occupation_kind_r = occupation_group_l) AND NOT (coalesce(({OCCUPATION_PLACES}) "
                   f"AND occupation_at_l <> occupation_at_r, false))) OR (NOT ({OCCUPATION_KINDS}) AND "
                   f"({OCCUPATION_PLACES}) AND occupation_at_l = occupation_at_r)")

#: Words between a kind and its place of work in English ("student at Peking University", "student of ...").
_LINKS = frozenset({"at", "of", "from", "in", "with", "the", "a", "an", "and", "&"})
_HAN = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_SEPARATORS = re.compile(r"[,;:/()（）,、，；：·\-]+")


@dataclass(frozen=True)
class Occupation:
    """A written occupation as read: its kind of work (None when only a place of work is written), the general kind
    it is one of (GROUPS; itself for most), and the key of its place of work (None when not given)."""

    kind: str | None
    at: str | None = None
    group: str | None = None

    def __post_init__(self):
        if self.group is None and self.kind is not None:
            object.__setattr__(self, "group", GROUPS.get(self.kind, self.kind))


def _forms() -> tuple[dict[str, str], dict[tuple[str, ...], str]]:
    han, latin = {}, {}
    for kind, forms in KINDS.items():
        for form in forms:
            if _HAN.search(form):
                han[form] = kind
            else:
                latin[tuple(form.split())] = kind
    return han, latin


_HAN_FORMS, _LATIN_FORMS = _forms()
_LONGEST_LATIN = max(len(words) for words in _LATIN_FORMS)


@lru_cache(maxsize=50_000)
def read_occupation(text: str | None) -> Occupation | None:
    """The kind of work and place of work of a written occupation; None for an empty one or one not known."""
    import unicodedata

    if not text:
        return None
    text = unicodedata.normalize("NFKC", text).strip()
    if text.lower() in NOT_KNOWN or not (_HAN.search(text) or _LATIN.search(text)):
        return None  # "—", "123", 不详: nothing to compare, never a disagreement
    for word in RETIRED:
        text = re.sub(re.escape(word), " ", text, flags=re.IGNORECASE)
    text = text.strip(" ,;:()（）")
    if not text or text.lower() in NOT_KNOWN:
        return None  # retired, and nothing said of the work
    if _HAN.search(text):
        from mingdan.names.romanize import to_simplified

        read = _read_han(re.sub(r"\s+", "", to_simplified(text)))
    else:
        read = _read_latin(text)
    return _by_school(read, text) if read.group == "student" or read.kind is None else read


def _read_han(text: str) -> Occupation:
    # A known form the text ends with (北京大学学生: a 学生 of 北京大学), or begins with (学生（北京大学）).
    readings = [(len(text) - start, text[start:], text[:start].rstrip("的")) for start in range(len(text))]
    readings += [(end, text[:end], _SEPARATORS.sub("", text[end:])) for end in range(len(text), 0, -1)]
    found = [(size, _HAN_FORMS[form], rest) for size, form, rest in readings if form in _HAN_FORMS]
    if not found and _LATIN.search(text):  # 北京大学 student: the kind in English, the place in characters
        latin = _read_latin(_HAN.sub(" ", text))
        if latin.kind in KINDS:
            return Occupation(latin.kind, _place_of_work("".join(_HAN.findall(text))))
    return _best(found) or _alone(_SEPARATORS.sub("", text))


def _read_latin(text: str) -> Occupation:
    words = _SEPARATORS.sub(" ", re.sub(r"\buniv\b\.?|\bu\.", "university", text.lower())).split()
    # A known run of words anywhere: "student, Peking University", "Peking University student".
    found = []
    for size in range(min(_LONGEST_LATIN, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            kind = _LATIN_FORMS.get(tuple(words[start:start + size]))
            if kind:
                rest = words[:start] + words[start + size:]
                while rest and rest[0] in _LINKS:
                    rest.pop(0)
                found.append((size, kind, " ".join(rest)))
    return _best(found) or _alone(" ".join(words))


def _alone(text: str) -> Occupation:
    """A text with no known kind: a place of work the gazetteer knows (北京大学, "Peking University") is that place
    with no kind; anything else is its own kind, compared as written."""
    at = _place_of_work(text)
    return Occupation(None, at) if _known(at) else Occupation(text)


def _by_school(read: Occupation, text: str) -> Occupation:
    """A student of a school is a secondary (or primary) student at an unknown place, not a student of the university
    the school belongs to (北京大学附属中学学生); a student of a university is a university student."""
    lowered = text.lower()
    if text in _HAN_FORMS or tuple(lowered.split()) in _LATIN_FORMS:
        return read  # 中学生 itself: no school named
    school = _SCHOOL.search(text) or _SCHOOL_LATIN.search(lowered)
    if school and read.kind is None:
        return Occupation(None, f"~{school.string}")  # a school as the place of work: a pupil's or a teacher's
    if school:
        primary = "小学" in text or "附小" in text or re.search(r"primary|elementary", lowered)
        kind = read.kind if read.kind in ("primary pupil", "secondary student") else (
            "primary pupil" if primary else "secondary student")
        return Occupation(kind, f"~{school.string}")
    if read.kind == "student" and _known(read.at):
        from mingdan.places.gazetteer import load_gazetteer

        entry = load_gazetteer().get(read.at)
        if entry is not None and (_UNIVERSITY.search(entry.name) or _UNIVERSITY.search(entry.en.lower())):
            return Occupation("university student", read.at)
    return read


def _best(found: list[tuple[int, str, str]]) -> Occupation | None:
    """Of the ways to read a text as a kind and a rest, the longest form whose rest is nothing or a known place of
    work, else the longest: 北大学生 is a 学生 of 北大 (not a 大学生 of 北); 北京大学生 a 大学生 (of Beijing)."""
    if not found:
        return None
    found = sorted(found, key=lambda item: -item[0])
    for _, kind, rest in found:
        at = _place_of_work(rest)
        if not rest.strip() or _known(at):
            return Occupation(kind, at)
    _, kind, rest = found[0]
    return Occupation(kind, _place_of_work(rest))


def _known(at: str | None) -> bool:
    """Whether a place of work is a gazetteer entry (not none, not an unknown place's reading)."""
    return bool(at) and not at.startswith("~")


def _place_of_work(text: str) -> str | None:
    """The gazetteer's id of a place of work (a university, a landmark), '~' and its reading for one the gazetteer
    does not know, None for none; a city or district named beside a kind is where the person is from, not a place
    of work (北京大学生: a university student of Beijing)."""
    from mingdan.places.parse import parse_place

    text = text.strip()
    if not text:
        return None
    place = parse_place(text)
    if place is None:
        return None
    if place.entry_id:
        from mingdan.places.gazetteer import load_gazetteer

        entry = load_gazetteer().get(place.entry_id)
        return place.entry_id if entry is not None and entry.level == "area" else None
    return place.key
