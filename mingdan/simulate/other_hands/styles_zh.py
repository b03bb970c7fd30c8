"""Lists written in Chinese: a mainland list (simplified, XLSX with a title row), a Taiwan list
(traditional, Big5 CSV, Wade-Giles column, Minguo dates) and a families' list (JSON, few fields)."""

from __future__ import annotations

import random
import re

from . import render_names as rn
from . import render_values as rv
from .base import SourceFile, captured, chance, died_of_wounds, either, main_event, pick, record_ids, values_map
from .population import Person
from .tables import OCCUPATIONS, RELATIONS, UNIVERSITIES

_HANT = str.maketrans({"无": "無", "个": "個", "缓": "緩", "减": "減", "执": "執", "两": "兩"})

MAINLAND_EVENTS = {"killed": ["遇难", "遇难", "中弹身亡", "被枪杀", "遭枪击身亡"],
                   "wounds": ["伤重不治", "伤重死亡", "抢救无效死亡"],
                   "disappeared": ["失踪", "下落不明"], "injured": ["中弹受伤"]}
TAIWAN_EVENTS = {"killed": ["罹難", "死亡", "遇難"], "wounds": ["傷重不治"], "disappeared": ["失蹤", "下落不明"],
                 "injured": ["受傷"], "detained": ["拘留", "被捕"], "arrested": ["逮捕", "被捕"],
                 "sentenced": ["判刑"], "released": ["獲釋", "釋放"], "reduced": ["減刑"]}


def _occupation_zh(rng: random.Random, p: Person, script: str) -> str:
    text = OCCUPATIONS[p.occupation][0 if script == "hans" else 1]
    if p.university >= 0 and chance(rng, 0.6):
        uni = UNIVERSITIES[p.university][0 if script == "hans" else 1]
        text = (uni if chance(rng, 0.7) else uni[:2] + uni[-2:-1]) + text
    return text


def _name_zh(rng: random.Random, p: Person, script: str, *, bracket: float, other_script: float,
             typo: float, romanizer) -> str:
    use = script if not chance(rng, other_script) else ("hant" if script == "hans" else "hans")
    text = rn.chars(p, use)
    if chance(rng, typo):
        text = rn.char_typo(rng, text, use)
    if chance(rng, bracket):
        text = rn.bracketed(text, romanizer(), rng)
    return text


def mainland(rng: random.Random, people: list[Person], plain: bool, ctx: dict) -> SourceFile:
    """A list compiled on the mainland over twenty years: simplified characters, free-form dates
    and ages, places from the street to the city, older entries say 宣武区, newer ones 西城区."""
    src = SourceFile("a_mainland", "大陆民间死难者名单", "ngo", "mainland, simplified, XLSX", "xlsx",
                     ["序号", "姓名", "性别", "年龄", "职业", "遇难时间", "遇难地点", "遇难情况", "备注"],
                     title=None if plain else "“六四”死难者名单（民间整理，持续更新）",
                     description="Simplified characters; XLSX with Chinese headers" + ("" if plain else " and a title row"))
    ids = record_ids("", 0)
    events: dict[str, str] = {}
    for p in people:
        if not captured(rng, p, {"killed": 0.55, "missing": 0.45}, outside_beijing=0.55):
            continue
        for _copy in range(2 if chance(rng, 0.02) else 1):
            ev = main_event(p)
            shown = ev
            if ev.kind == "killed" and died_of_wounds(p):
                word = rng.choice(MAINLAND_EVENTS["wounds"])
                if chance(rng, 0.4):
                    shown = p.events[0]            # the day of the shooting, not of the death
            else:
                word = rng.choice(MAINLAND_EVENTS[ev.kind])
            events[word] = ev.kind
            rd = rv.report_date(rng, shown.date, shown.part, {"day": 0.7, "span": 0.1, "month": 0.1, "early": 0.1})
            date = either(plain, rv.edtf(rd), rv.date_zh(rng, rd))
            age = None
            if not chance(rng, 0.25):
                a = rv.report_age(rng, p.age_in(1989), {"exact": 0.6, "about": 0.2, "decade": 0.2}, nominal=0.25)
                age = either(plain, a.value if a.kind == "exact" else rv.age_plain(a), rv.age_zh(rng, a))
            place = None
            if not chance(rng, 0.2):
                g = pick(rng, {"city": 0.15, "district": 0.25, "leaf": 0.3, "full": 0.15, "street": 0.15})
                place = rv.place_zh(rng, p.place, "hans", g, post2010=chance(rng, 0.6))
            name = _name_zh(rng, p, "hans", bracket=0.05, other_script=0.03, typo=0.03,
                            romanizer=lambda: rn.pinyin(rng, p, rng.choice(["sg", "sg", "spaced"])))
            if chance(rng, 0.004):
                name = p.surname.hans + rng.choice(["某", "某某", "××"])
            rid = next(ids)
            src.rows.append([int(rid), name, None if chance(rng, 0.15) else ("男" if p.sex == "m" else "女"), age,
                             None if chance(rng, 0.3) else _occupation_zh(rng, p, "hans"), date, place, word,
                             rng.choice([None, None, None, "据家属", "据目击者", "待核实"])])
            src.truth.append((rid, p.pid))
    src.mapping = {
        "source": {"name": src.name, "kind": src.kind, "description": "民间整理的死难者名单（模拟数据）"},
        "file": {"sheet": "名单"},
        "columns": {"序号": "record_id", "姓名": {"field": "name", "script": "hans"},
                    "性别": {"field": "sex", "values": {"男": "male", "女": "female"}}, "年龄": "age",
                    "职业": "occupation", "遇难时间": "event_date", "遇难地点": "place",
                    "遇难情况": {"field": "event", "values": values_map(events)}, "备注": "notes"},
        "missing_values": ["", "不详", "不明"],
    }
    return src


def _tw_sentence(rng: random.Random, s: tuple, plain: bool) -> str:
    return either(plain, rv.sentence_plain(s), rv.sentence_zh(rng, s).translate(_HANT))


def taiwan(rng: random.Random, people: list[Person], plain: bool, ctx: dict) -> SourceFile:
    """A Taiwan compilation of the early 1990s: traditional characters, a Wade-Giles column as
    Taiwan prints it, Minguo-era dates, 宣武區 and 崇文區 as they were; partly copied from the HK press."""
    src = SourceFile("b_taiwan", "臺灣人權團體彙編名錄", "ngo", "Taiwan, traditional, Big5 CSV", "csv",
                     ["編號", "姓名", "英文姓名", "性別", "年齡", "類別", "日期", "地點", "刑期", "資料來源"],
                     encoding="big5", description="Traditional characters, Big5, Wade-Giles names, Minguo dates")
    ids = record_ids("TW-", 5)
    events: dict[str, str] = {}
    hk = ctx.get("hk_people", set())
    for p in people:
        if not captured(rng, p, {"killed": 0.35, "missing": 0.3, "detained": 0.2}, outside_beijing=0.8,
                        boost=1.8 if p.pid in hk else 1.0):
            continue
        ev = main_event(p)
        if p.category == "detained":
            ev = next(e for kind in ("sentenced", "arrested", "detained") for e in p.events if e.kind == kind)
        if ev.kind == "killed" and died_of_wounds(p):
            word = rng.choice(TAIWAN_EVENTS["wounds"])
        else:
            word = rng.choice(TAIWAN_EVENTS[ev.kind])
        if word == "被捕":       # the Taiwan list says 被捕 for a first detention and a formal arrest alike
            events[word] = "arrested"
        else:
            events[word] = ev.kind
        rd = rv.report_date(rng, ev.date, ev.part, {"day": 0.6, "span": 0.05, "month": 0.3, "early": 0.05})
        date = either(plain, rv.edtf(rd), rv.date_zh(rng, rd, "hant"))
        age = None
        if not chance(rng, 0.4):
            a = rv.report_age(rng, p.age_in(ev.date.year, ev.date.month), {"exact": 0.7, "about": 0.2, "decade": 0.1})
            age = either(plain, rv.age_plain(a), rv.age_zh(rng, a, "hant"))
        place = None
        if not chance(rng, 0.3):
            g = pick(rng, {"city": 0.3, "district": 0.3, "leaf": 0.3, "full": 0.1})
            place = rv.place_zh(rng, p.place, "hant", g, old_province=True)
        wg = None
        if not chance(rng, 0.2):
            r = rng.random()
            wg = (rn.wade_giles_name(rng, p, apostrophes=True, umlauts=False) if r < 0.35 else
                  rn.wade_giles_name(rng, p, apostrophes=False, umlauts=False, taiwan=True) if r < 0.8 else
                  rn.wade_giles_name(rng, p, apostrophes=False, umlauts=False, habit=rng.choice(["run", "spaced"])))
            if chance(rng, 0.03):
                wg = rn.latin_typo(rng, wg)
        name = _name_zh(rng, p, "hant", bracket=0.03, other_script=0.0, typo=0.02,
                        romanizer=lambda: rn.wade_giles_name(rng, p, apostrophes=True, umlauts=False))
        sentence = _tw_sentence(rng, ev.sentence, plain) if ev.kind == "sentenced" and not chance(rng, 0.2) else None
        if ev.kind == "sentenced" and sentence is None:
            events.setdefault("判刑", "sentenced")
        rid = next(ids)
        src.rows.append([rid, name, wg, None if chance(rng, 0.35) else ("男" if p.sex == "m" else "女"), age, word,
                         date, place, sentence, rng.choice(["香港報章", "中央社", "", "民運人士提供"])])
        src.truth.append((rid, p.pid))
    sentence_col: object = "sentence"
    if not plain:
        seen = {row[8]: row[8] for row in src.rows if row[8]}
        sentence_col = {"field": "sentence", "values": {k: _sentence_iso_zh(k) for k in sorted(seen)}}
    src.mapping = {
        "source": {"name": src.name, "kind": src.kind, "description": "據港臺報章彙編（模擬資料）"},
        "file": {"encoding": "big5", "delimiter": ","},
        "columns": {"編號": "record_id", "姓名": {"field": "name", "script": "hant"},
                    "英文姓名": {"field": "name_variants", "separator": " / ", "romanization": "wade_giles"},
                    "性別": {"field": "sex", "values": {"男": "male", "女": "female"}}, "年齡": "age",
                    "類別": {"field": "event", "values": values_map(events)}, "日期": "event_date", "地點": "place",
                    "刑期": sentence_col, "資料來源": "ignore"},
        "missing_values": ["", "不詳"],
    }
    return src


def _sentence_iso_zh(text: str) -> str:
    """The ISO form of a sentence written in Chinese (the translation a mapping's author types)."""
    if "無期" in text or "无期" in text:
        return "life"
    if "死" in text:
        return "death-reprieve"
    years = months = 0
    digits = "零一二三四五六七八九"
    def num(s: str) -> int:
        if s.isdigit():
            return int(s)
        if "十" in s:
            t, _, o = s.partition("十")
            return (digits.index(t) if t else 1) * 10 + (digits.index(o) if o else 0)
        return digits.index(s)
    m = re.search(r"([0-9一二三四五六七八九十]+)年", text)
    if m:
        years = num(m.group(1))
    m = re.search(r"([0-9]+)[个個]月", text)
    if m:
        months = int(m.group(1))
    return "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")


def families(rng: random.Random, people: list[Person], plain: bool, ctx: dict) -> SourceFile:
    """A families' list: the victim's name, a relative who reported, few other fields; JSON array."""
    src = SourceFile("f_families", "遇难者家属名单", "family", "families, simplified, JSON array", "json_array",
                     ["编号", "遇难者", "性别", "年龄", "日期", "地点", "情况", "报告人"],
                     description="A JSON array of objects with Chinese keys; relatives named in the notes")
    ids = record_ids("F-", 4)
    by_pid = ctx["by_pid"]
    events: dict[str, str] = {}
    for p in people:
        if not captured(rng, p, {"killed": 0.3, "missing": 0.5}, outside_beijing=0.5):
            continue
        ev = main_event(p)
        word = rng.choice(["遇难", "遇害"] if ev.kind == "killed" else ["失踪", "至今下落不明"])
        events[word] = ev.kind
        rel = by_pid[p.relatives[0]] if p.relatives else None
        if rel is not None:
            informant = f"{RELATIONS[rel.relation][0]} {rel.hans}"
        else:
            informant = rng.choice(["母亲", "父亲", "妻子", "哥哥", "家属"])
        rd = rv.report_date(rng, ev.date, ev.part, {"day": 0.85, "span": 0.05, "month": 0.1}, slip=0.02)
        age = None
        if not chance(rng, 0.3):
            a = rv.report_age(rng, p.age_in(1989), {"exact": 0.95, "about": 0.05}, nominal=0.45)
            age = either(plain, a.value if a.kind == "exact" else rv.age_plain(a), rv.age_zh(rng, a))
        name = p.hans if not chance(rng, 0.05) else p.hant
        if chance(rng, 0.02):
            name = rn.char_typo(rng, name, "hans")
        if chance(rng, 0.005):
            name = p.surname.hans + "某"
        place = None
        if chance(rng, 0.3):
            place = rv.place_zh(rng, p.place, "hans", pick(rng, {"city": 0.5, "district": 0.4, "leaf": 0.1}),
                                post2010=True)
        rid = next(ids)
        src.rows.append([rid, name, None if chance(rng, 0.4) else ("男" if p.sex == "m" else "女"), age,
                         None if chance(rng, 0.2) else either(plain, rv.edtf(rd), rv.date_zh(rng, rd, drop_year=0.5)),
                         place, word, informant])
        src.truth.append((rid, p.pid))
    src.mapping = {
        "source": {"name": src.name, "kind": src.kind, "description": "家属提供（模拟数据）"},
        "columns": {"编号": "record_id", "遇难者": "name",
                    "性别": {"field": "sex", "values": {"男": "male", "女": "female"}}, "年龄": "age",
                    "日期": "event_date", "地点": "place", "情况": {"field": "event", "values": values_map(events)},
                    "报告人": {"field": "notes", "sensitivity": "secret"}},
    }
    return src
