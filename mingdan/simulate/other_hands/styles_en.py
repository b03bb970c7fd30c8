"""Lists written in English: an international NGO's JSON export (every pinyin habit, tone marks
now and then, "Haidian District", "3-4 June 1989", "about 40") and a Hong Kong press list
(Cantonese spellings, "Peking", day-first dates; a UTF-16 tab-separated export)."""

from __future__ import annotations

import random

from . import render_names as rn
from . import render_values as rv
from .base import SourceFile, captured, chance, died_of_wounds, either, main_event, pick, record_ids, values_map
from .population import Event, Person
from .tables import OCCUPATIONS, RELATIONS, UNIVERSITIES

INTL_EVENTS = {"killed": ["killed", "killed", "shot dead", "shot and killed"], "wounds": ["died of wounds", "died of injuries"],
               "disappeared": ["missing", "disappeared"], "detained": ["detained", "arrested"], "arrested": ["arrested"],
               "sentenced": ["sentenced"], "released": ["released", "released on parole"], "reduced": ["sentence reduced"],
               "harassed": ["harassed", "house arrest", "under surveillance"], "injured": ["injured"]}
_MEANS = {"arrested": "arrested", "detained": "detained", "released on parole": "released"}

PINYIN_HABITS = {"sg": 0.3, "gs": 0.2, "SG": 0.15, "gS": 0.05, "hyphen": 0.1, "spaced": 0.08, "comma": 0.05, "upper": 0.03}


def _english_name(rng: random.Random, p: Person) -> str:
    name = rn.pinyin(rng, p, pick(rng, PINYIN_HABITS), tones=chance(rng, 0.06), naive=chance(rng, 0.3))
    if chance(rng, 0.03):
        name = rn.latin_typo(rng, name)
    if chance(rng, 0.03):
        name = f"{name} ({rn.chars(p, 'hans' if chance(rng, 0.7) else 'hant')})"
    return name


def _gender(rng: random.Random, sex: str) -> str | None:
    if chance(rng, 0.3):
        return None
    if chance(rng, 0.6):
        return "M" if sex == "m" else "F"
    return "male" if sex == "m" else "female"


def _occupation_en(rng: random.Random, p: Person) -> str:
    text = OCCUPATIONS[p.occupation][2]
    if p.university >= 0 and chance(rng, 0.5):
        text = f"student, {UNIVERSITIES[p.university][2]}"
    return text


def _steps(rng: random.Random, p: Person) -> list[Event]:
    """The custody steps an NGO knows of: the first detention, perhaps the sentence and the release."""
    first = p.events[0]
    out = [first]
    for ev in p.events[1:]:
        if ev.kind == "sentenced" and chance(rng, 0.6) or ev.kind == "released" and chance(rng, 0.35):
            out.append(ev)
    return out


def international(rng: random.Random, people: list[Person], plain: bool, ctx: dict) -> SourceFile:
    """An international NGO's database export: one object per reported step, English throughout."""
    src = SourceFile("c_international", "International NGO list", "ngo", "international, English, JSON", "json",
                     ["id", "name", "name_zh", "gender", "age", "occupation", "location", "incident", "date",
                      "sentence", "source_note"], description="JSON {records: [...]}; English; pinyin in every habit")
    ids = record_ids("INT-", 6)
    by_pid = ctx["by_pid"]
    events: dict[str, str] = {}
    sentences: dict[str, str] = {}
    for p in people:
        if not captured(rng, p, {"killed": 0.4, "missing": 0.3, "detained": 0.45, "relative": 0.5}, outside_beijing=0.75):
            continue
        for _copy in range(2 if chance(rng, 0.01) else 1):
            steps = _steps(rng, p) if p.category in ("detained", "relative") else [main_event(p)]
            rid = next(ids)
            person_cells = [_english_name(rng, p),
                            rn.chars(p, "hans" if chance(rng, 0.7) else "hant") if chance(rng, 0.4) else None,
                            _gender(rng, p.sex)]
            age = None
            if not chance(rng, 0.45):
                ev0 = steps[0]
                a = rv.report_age(rng, p.age_in(ev0.date.year, ev0.date.month), {"exact": 0.6, "about": 0.25, "decade": 0.15})
                age = either(plain, rv.age_plain(a), rv.age_en(rng, a, p.sex))
            occupation = None if chance(rng, 0.5) or p.category == "relative" else _occupation_en(rng, p)
            place = None
            if not chance(rng, 0.25):
                g = pick(rng, {"city": 0.3, "district": 0.25, "leaf": 0.2, "full": 0.1, "street": 0.15})
                place = rv.place_en(rng, p.place, g, tones=0.08, postal=0.05, post2010=chance(rng, 0.5))
            note = None
            if p.category == "relative":
                victim = by_pid[p.relative_of]
                note = f"{RELATIONS[p.relation][2]} of {rn.pinyin(rng, victim, 'sg')}"
            for i, ev in enumerate(steps):
                if ev.kind == "killed" and died_of_wounds(p):
                    word = rng.choice(INTL_EVENTS["wounds"])
                else:
                    word = rng.choice(INTL_EVENTS[ev.kind])
                events[word] = _MEANS.get(word, "killed" if ev.kind == "killed" else ev.kind)
                rd = rv.report_date(rng, ev.date, ev.part, {"day": 0.55, "span": 0.15, "month": 0.2, "early": 0.1})
                sentence = None
                if ev.kind == "sentenced" and not chance(rng, 0.15):
                    sentence = either(plain, rv.sentence_plain(ev.sentence), rv.sentence_en(rng, ev.sentence))
                    sentences[sentence] = rv.sentence_plain(ev.sentence)
                if ev.kind == "sentenced" and sentence is None:
                    events[word] = "sentenced"
                cells = person_cells if i == 0 else [None, None, None]
                src.rows.append([rid, *cells, age if i == 0 else None, occupation if i == 0 else None, place, word,
                                 None if chance(rng, 0.1) else either(plain, rv.edtf(rd), rv.date_en(rng, rd)),
                                 sentence, note if i == 0 else None])
            src.truth.append((rid, p.pid))
    src.mapping = {
        "source": {"name": src.name, "kind": src.kind, "description": "Export of an international NGO's database (simulated)"},
        "columns": {"id": "record_id", "name": "name", "name_zh": {"field": "name_variants", "separator": ";"},
                    "gender": {"field": "sex", "values": {"M": "male", "F": "female", "male": "male", "female": "female"}},
                    "age": "age", "occupation": "occupation", "location": "place",
                    "incident": {"field": "event", "values": values_map(events)}, "date": "event_date",
                    "sentence": "sentence" if plain else {"field": "sentence", "values": values_map(sentences)},
                    "source_note": "notes"},
        "missing_values": ["", "unknown", "n/a", "?"],
    }
    return src


HK_EVENTS = {"killed": ["killed", "dead", "shot dead"], "injured": ["injured", "wounded"], "disappeared": ["missing"],
             "detained": ["detained", "arrested"], "arrested": ["arrested"]}
PAPERS = ["Ming Pao", "Wen Wei Po", "Sing Tao", "SCMP", "Hong Kong Standard", "Express"]


def hongkong(rng: random.Random, people: list[Person], plain: bool, ctx: dict) -> SourceFile:
    """A list kept by a Hong Kong newsroom in 1989-90: Cantonese spellings, Peking, early reports
    (the wounded who died later are still 'injured'), day-first dates."""
    src = SourceFile("d_hongkong", "Hong Kong press list 1989-90", "press", "Hong Kong press, Cantonese, UTF-16 TSV",
                     "tsv16", ["No.", "Name", "Chinese Name", "Sex", "Age", "Status", "Date", "Place", "Newspaper", "Remarks"],
                     encoding="utf-16", description="UTF-16 tab-separated text as Excel saves 'Unicode text'")
    ids = record_ids("HK/89/", 4)
    events: dict[str, str] = {}
    seen = ctx.setdefault("hk_people", set())
    for p in people:
        if not captured(rng, p, {"killed": 0.35, "missing": 0.35, "detained": 0.18}, outside_beijing=0.9):
            continue
        seen.add(p.pid)
        for _copy in range(2 if chance(rng, 0.03) else 1):
            if p.category == "detained":
                ev = p.events[1] if len(p.events) > 1 and p.events[1].kind == "arrested" and chance(rng, 0.5) else p.events[0]
            elif died_of_wounds(p) and chance(rng, 0.5):
                ev = p.events[0]                       # reported while still in hospital
            else:
                ev = main_event(p)
            word = rng.choice(HK_EVENTS[ev.kind])
            events[word] = "arrested" if word == "arrested" else ev.kind
            if chance(rng, 0.75):
                name = rn.hong_kong(rng, p, pick(rng, {"hyphen": 0.5, "spaced": 0.3, "SG": 0.15, "gs": 0.05}),
                                    english_name=chance(rng, 0.04))
            else:
                name = rn.pinyin(rng, p, "sg")
            if chance(rng, 0.03):
                name = rn.latin_typo(rng, name)
            rd = rv.report_date(rng, ev.date, ev.part, {"day": 0.75, "month": 0.2, "span": 0.05})
            age = None
            if not chance(rng, 0.6):
                a = rv.report_age(rng, p.age_in(1989), {"exact": 0.7, "about": 0.3})
                age = either(plain, rv.age_plain(a), rv.age_en(rng, a, p.sex))
            place = None
            if not chance(rng, 0.3):
                g = pick(rng, {"city": 0.35, "district": 0.1, "leaf": 0.35, "street": 0.2})
                place = rv.place_en(rng, p.place, g, postal=0.7)
            rid = next(ids)
            src.rows.append([rid, name, rn.chars(p, "hant") if chance(rng, 0.55) else None,
                             None if chance(rng, 0.4) else ("M" if p.sex == "m" else "F"), age, word,
                             either(plain, rv.edtf(rd), rv.date_hk(rng, rd)), place, rng.choice(PAPERS),
                             rng.choice([None, None, "unconfirmed", "eyewitness report"])])
            src.truth.append((rid, p.pid))
    date_col: object = "event_date" if plain else {"field": "event_date", "date_format": "%d/%m/%Y"}
    src.mapping = {
        "source": {"name": src.name, "kind": src.kind, "description": "Compiled from Hong Kong newspapers (simulated)"},
        "file": {"encoding": "utf-16", "delimiter": "\t"},
        "columns": {"No.": "record_id", "Name": "name",
                    "Chinese Name": {"field": "name_variants", "script": "hant"},
                    "Sex": {"field": "sex", "values": {"M": "male", "F": "female"}}, "Age": "age",
                    "Status": {"field": "event", "values": values_map(events)}, "Date": date_col, "Place": "place",
                    "Newspaper": "ignore", "Remarks": "notes"},
        "missing_values": ["", "N.A.", "-"],
    }
    return src
