"""A custody list drawn from court notices and prison reports: name, event, date, sentence, and
sometimes the facility. No age, no place, no sex: the hard case for linkage."""

from __future__ import annotations

import random

from . import render_names as rn
from . import render_values as rv
from .base import SourceFile, captured, chance, either, record_ids, values_map
from .population import Person

WORDS = {"detained": ["拘留", "收容审查", "被拘"], "arrested": ["逮捕", "被捕"], "sentenced": ["判刑", "一审判决"],
         "reduced": ["减刑"], "released": ["释放", "刑满释放", "获释"]}
FACILITIES = ["北京市第二监狱", "秦城监狱", "北京市看守所", "北京市第一监狱", "四川省第三监狱", "湖南省第一监狱", "上海市提篮桥监狱"]


def _date(rng: random.Random, ev, plain: bool) -> str:
    rd = rv.report_date(rng, ev.date, "", {"day": 0.6, "month": 0.35, "year": 0.05}, slip=0.02)
    s = rd.start
    day = rng.choice([f"{s.year}年{s.month}月{s.day}日", f"{s.year}-{s.month:02d}-{s.day:02d}", f"{s.year}.{s.month}.{s.day}"])
    written = {"month": f"{s.year}年{s.month}月", "year": f"{s.year}年"}.get(rd.kind, day)
    return either(plain, rv.edtf(rd), written)


def custody(rng: random.Random, people: list[Person], plain: bool, ctx: dict) -> SourceFile:
    """One row per custody step known to the compiler; a first detention is sometimes called an arrest."""
    src = SourceFile("e_custody", "羁押与判决记录", "court", "custody-only, simplified, CSV", "csv",
                     ["编号", "姓名", "事件", "日期", "刑期", "关押场所"], encoding="utf-8-sig",
                     description="Custody steps only: no age, no place, no sex")
    ids = record_ids("C", 5)
    events: dict[str, str] = {}
    sentences: dict[str, str] = {}
    for p in people:
        if not captured(rng, p, {"detained": 0.6, "relative": 0.45}, outside_beijing=1.0):
            continue
        custodial = [e for e in p.events if e.kind in WORDS]
        if not custodial:
            continue
        for _copy in range(2 if chance(rng, 0.015) else 1):
            steps = [e for e in custodial if chance(rng, 0.75)] or [custodial[0]]
            rid = next(ids)
            script = "hant" if chance(rng, 0.05) else "hans"
            name = rn.chars(p, script)
            if chance(rng, 0.02):
                name = rn.char_typo(rng, name, script)
            if chance(rng, 0.1):
                name = rn.bracketed(name, rn.pinyin(rng, p, rng.choice(["sg", "spaced"])), rng)
            facility = rng.choice(FACILITIES[:4] if p.place not in ("chengdu", "changsha", "shanghai") else FACILITIES)
            for i, ev in enumerate(steps):
                kind = "arrested" if ev.kind == "detained" and chance(rng, 0.3) else ev.kind
                word = rng.choice(WORDS[kind])
                events[word] = kind
                sentence = None
                if ev.sentence:
                    sentence = either(plain, rv.sentence_plain(ev.sentence), rv.sentence_zh(rng, ev.sentence))
                    sentences[sentence] = rv.sentence_plain(ev.sentence)
                src.rows.append([rid, name if i == 0 else None, word, _date(rng, ev, plain), sentence,
                                 facility if ev.kind in ("sentenced", "released") and chance(rng, 0.3) else None])
            src.truth.append((rid, p.pid))
    src.mapping = {
        "source": {"name": src.name, "kind": src.kind, "description": "法院公告与监狱信息汇编（模拟数据）"},
        "columns": {"编号": "record_id", "姓名": "name", "事件": {"field": "event", "values": values_map(events)},
                    "日期": "event_date",
                    "刑期": "sentence" if plain else {"field": "sentence", "values": values_map(sentences)},
                    "关押场所": "facility"},
    }
    return src
