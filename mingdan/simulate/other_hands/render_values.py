"""How each hand writes places, dates, ages and sentences; and the EDTF/ISO forms of the same
statements for --plain-values (the uncertainty a source expressed is kept, only the notation changes)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from .places import BY_ID, Place, ancestors, city_of, district_of

ON_CHANGAN = {"muxidi", "fuxingmen", "xidan", "liubukou", "xinhuamen", "junbo", "gongzhufen", "wukesong",
              "dongdan", "jianguomen", "tiananmen", "nanchangjie", "nanchizi", "w_changan", "fuwai"}


# ---------------------------------------------------------------- places

def _zh(place: Place, script: str, short: bool = False) -> str:
    if script == "hant":
        return place.hant[:-1] if short and place.hant != place.short and place.level in ("city", "province") else place.hant
    return place.short if short else place.hans


def _district(place_id: str, post2010: bool) -> Place | None:
    d = district_of(place_id)
    if d is not None and post2010 and d.merged_into:
        return BY_ID[d.merged_into]
    return d


def place_zh(rng: random.Random, place_id: str, script: str, grain: str, *, post2010: bool = False,
             old_province: bool = False) -> str:
    """A place in characters at a granularity: city, district, leaf, full or street."""
    place, city = BY_ID[place_id], city_of(place_id)
    dist = _district(place_id, post2010)
    city_txt = _zh(city, script, short=rng.random() < 0.5)
    if city.parent and (old_province or rng.random() < 0.4) and not (city.id == "chongqing" and not old_province):
        city_txt = _zh(BY_ID[city.parent], script, short=rng.random() < 0.5) + _zh(city, script, short=rng.random() < 0.3)
    if city.id == "chongqing" and not old_province:
        city_txt = _zh(city, script, short=rng.random() < 0.5)
    if grain == "city" or place.level == "city":
        return city_txt
    leaf = place if place.level in ("landmark", "street") else None
    dist_txt = _zh(dist, script) if dist is not None and dist.level == "district" else ""
    if grain == "district" or leaf is None:
        if not dist_txt:
            return city_txt
        return rng.choice([dist_txt, city_txt + dist_txt]) if city.id == "bj" else city_txt + dist_txt
    leaf_txt = _zh(leaf, script, short=rng.random() < 0.15)
    if grain == "leaf":
        near = ["附近", "一带" if script == "hans" else "一帶"]
        return leaf_txt + rng.choice(["", "", "", *near] if leaf.level == "landmark" else [""])
    if grain == "street" and leaf.id in ON_CHANGAN and leaf.id not in ("w_changan", "tiananmen"):
        road = BY_ID["changan"] if rng.random() < 0.7 else BY_ID["w_changan"]
        crossing = "路口" if leaf.id in ("xidan", "dongdan", "liubukou") and rng.random() < 0.5 else ""
        return _zh(road, script) + leaf_txt + crossing
    return city_txt + (dist_txt if rng.random() < 0.8 else "") + leaf_txt


def _tone_form(place: Place) -> str:
    """Tone-marked pinyin of a one-word place ("Mùxīdì"), or the English form when it has words."""
    if " " not in place.pinyin:
        return place.pinyin
    return place.english[0]


def place_en(rng: random.Random, place_id: str, grain: str, *, tones: float = 0.0, postal: float = 0.0,
             post2010: bool = False) -> str:
    """A place in English: "Haidian District, Beijing", "Muxidi", "Chang'an Avenue near Xidan", "Peking"."""
    place, city = BY_ID[place_id], city_of(place_id)
    dist = _district(place_id, post2010)
    use_postal = rng.random() < postal
    city_txt = city.postal[0] if use_postal and city.postal else city.english[0]
    if city.parent and rng.random() < 0.5:
        prov = BY_ID[city.parent]
        city_txt += ", " + (prov.postal[0] if use_postal and prov.postal else prov.english[0])
    if grain == "city" or place.level == "city":
        return city_txt
    leaf = place if place.level in ("landmark", "street") else None

    def name(p: Place) -> str:
        if rng.random() < tones:
            return _tone_form(p) + (" District" if p.level == "district" and rng.random() < 0.7 else "")
        if use_postal and p.postal:
            return p.postal[0]
        return rng.choice(p.english[:2]) if len(p.english) > 1 and rng.random() < 0.3 else p.english[0]

    dist_txt = name(dist) if dist is not None and dist.level == "district" else ""
    if grain == "district" or leaf is None:
        return f"{dist_txt}, {city_txt}" if dist_txt and rng.random() < 0.7 else (dist_txt or city_txt)
    leaf_txt = name(leaf)
    if grain == "leaf":
        return rng.choice(["", "", "", "near "]) + leaf_txt if leaf.level == "landmark" else leaf_txt
    if grain == "street" and leaf.id in ON_CHANGAN and leaf.id not in ("w_changan", "tiananmen"):
        avenue = name(BY_ID["changan"])
        return rng.choice([f"{avenue} near {leaf_txt}", f"{avenue} at {leaf_txt}", f"{leaf_txt}, {avenue}"])
    if dist_txt and rng.random() < 0.3:
        return f"{leaf_txt}, {dist_txt}, {city_txt}"
    return f"{leaf_txt}, {city_txt}"


def grain(rng: random.Random, weights: dict[str, float]) -> str:
    """Pick a granularity by weight."""
    return rng.choices(list(weights), list(weights.values()))[0]


# ---------------------------------------------------------------- dates

@dataclass(frozen=True)
class Reported:
    """A date as one source states it: one day (with the part of the day), two days, a month, early in a month."""

    kind: str            # day | span | month | early | year
    start: dt.date
    end: dt.date
    part: str = ""


def report_date(rng: random.Random, date: dt.date, part: str, weights: dict[str, float], *, slip: float = 0.03) -> Reported:
    """What a source says about a true date: the night of 3-4 June is written either day, or both."""
    kind = grain(rng, weights)
    day, said_part = date, part
    if part == "night" and rng.random() < 0.3:
        day, said_part = date + dt.timedelta(days=1), "dawn"
    elif part == "dawn" and rng.random() < 0.3:
        day, said_part = date - dt.timedelta(days=1), "night"
    elif rng.random() < slip:
        day = date + dt.timedelta(days=rng.choice([-1, 1]))
    if kind == "span":
        if part in ("night", "dawn"):
            first = date if part == "night" else date - dt.timedelta(days=1)
            return Reported("span", first, first + dt.timedelta(days=1), "")
        kind = "day"
    if kind == "early" and date.day > 9:
        kind = "month"
    return Reported(kind, day, day, said_part)


def edtf(rd: Reported) -> str:
    """The EDTF form of a reported date."""
    if rd.kind == "span":
        return f"{rd.start.isoformat()}/{rd.end.isoformat()}"
    if rd.kind == "month":
        return f"{rd.start.year}-{rd.start.month:02d}"
    if rd.kind == "early":
        return f"{rd.start.year}-{rd.start.month:02d}-0X"
    if rd.kind == "year":
        return str(rd.start.year)
    return rd.start.isoformat()


_ZH_PART = {"night": ["夜", "晚", "深夜", "夜间"], "dawn": ["凌晨", "凌晨", "清晨"], "day": ["", "", "上午", "下午"]}
_TW_PART = {"night": ["夜", "晚間", "深夜"], "dawn": ["凌晨", "清晨"], "day": ["", ""]}


def date_zh(rng: random.Random, rd: Reported, script: str = "hans", *, drop_year: float = 0.3) -> str:
    """A date in a Chinese list: 1989年6月4日凌晨, 6月3日夜, 1989.6.4, 民國78年6月4日 (Taiwan)."""
    s = rd.start
    parts = _TW_PART if script == "hant" else _ZH_PART
    if script == "hant":
        y = rng.choice([f"民國{s.year - 1911}年", f"{s.year - 1911}年", f"{s.year}年"])
    else:
        y = "" if rng.random() < drop_year and s.year == 1989 else rng.choice([f"{s.year}年", f"{s.year % 100}年"] if
                                                                            rng.random() < 0.1 else [f"{s.year}年"])
    if rd.kind == "span":
        return f"{y}{s.month}月{s.day}日夜至{rd.end.day}日凌晨" if rng.random() < 0.5 else f"{y}{s.month}月{s.day}-{rd.end.day}日"
    if rd.kind == "month":
        return f"{y or f'{s.year}年'}{s.month}月"
    if rd.kind == "early":
        return f"{y or f'{s.year}年'}{s.month}月{'初' if script == 'hans' else '上旬'}"
    if rd.kind == "year":
        return f"{s.year}年"
    if script == "hans" and rng.random() < 0.12:
        return f"{s.year}.{s.month}.{s.day}"
    if script == "hant" and rng.random() < 0.15:
        return f"{s.year}/{s.month}/{s.day}"
    return f"{y}{s.month}月{s.day}日{rng.choice(parts.get(rd.part, ['']))}"


_MONTHS = "January February March April May June July August September October November December".split()


def date_en(rng: random.Random, rd: Reported) -> str:
    """A date in an English list: 3 June 1989, 3-4 June 1989, June 1989, early June 1989, June 4, 1989."""
    s = rd.start
    m = _MONTHS[s.month - 1]
    if rd.kind == "span":
        return rng.choice([f"{s.day}-{rd.end.day} {m} {s.year}", f"night of {s.day}-{rd.end.day} {m} {s.year}",
                           f"{s.day}/{rd.end.day} {m} {s.year}"])
    if rd.kind == "month":
        return f"{m} {s.year}"
    if rd.kind == "early":
        return f"early {m} {s.year}"
    if rd.kind == "year":
        return str(s.year)
    r = rng.random()
    if rd.part == "night" and r < 0.3:
        return f"night of {s.day} {m} {s.year}"
    if rd.part == "dawn" and r < 0.3:
        return f"early hours of {s.day} {m} {s.year}"
    if r < 0.6:
        return f"{s.day} {m} {s.year}"
    if r < 0.85:
        return f"{m} {s.day}, {s.year}"
    return f"{s.day} {m[:3]} {s.year}"


def date_hk(rng: random.Random, rd: Reported) -> str:
    """A Hong Kong press date: day first, 4/6/1989; a month is 6/1989; now and then 六月四日凌晨."""
    s = rd.start
    if rd.kind in ("month", "early"):
        return f"{s.month}/{s.year}"
    if rd.kind == "year":
        return str(s.year)
    if rng.random() < 0.05:
        return f"{s.month}月{s.day}日{rng.choice(_TW_PART.get(rd.part, ['']))}"
    return f"{s.day}/{s.month}/{s.year}" if rng.random() < 0.8 else f"{s.day:02d}/{s.month:02d}/{s.year}"


# ---------------------------------------------------------------- ages

@dataclass(frozen=True)
class Age:
    """An age as a source states it: exact, about (round number), or a decade (40多岁, 40s)."""

    kind: str
    value: int


def report_age(rng: random.Random, true_age: int, weights: dict[str, float], *, nominal: float = 0.0,
               slip: float = 0.02) -> Age:
    """Nominal ages (虚岁) add one; about rounds to five; a decade needs a true age not ending in 0."""
    kind = grain(rng, weights)
    if kind == "about" and true_age >= 25:
        return Age("about", int(5 * round(true_age / 5)))
    if kind == "decade" and true_age >= 21 and true_age % 10:
        return Age("decade", true_age // 10 * 10)
    a = true_age + (1 if rng.random() < nominal else 0)
    if rng.random() < slip:
        a += rng.choice([-2, -1, 1, 2])
    return Age("exact", a)


_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1..99 in Chinese numerals (十九, 二十, 四十三)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "") if n else "零"


def age_plain(a: Age) -> str:
    """The form today's importer reads: 19, ~40, 40-49."""
    return {"exact": str(a.value), "about": f"~{a.value}", "decade": f"{a.value}-{a.value + 9}"}[a.kind]


def age_zh(rng: random.Random, a: Age, script: str = "hans") -> str:
    """19岁, 十九岁, 约40, 40岁左右, 40多岁, 四十余岁 (traditional: 歲, 約, 餘)."""
    sui, yue, yu = ("歲", "約", "餘") if script == "hant" else ("岁", "约", "余")
    if a.kind == "exact":
        num = zh_number(a.value) if rng.random() < 0.1 else str(a.value)
        return num + (sui if rng.random() < 0.7 else "")
    if a.kind == "about":
        return rng.choice([f"{yue}{a.value}", f"{yue}{a.value}{sui}", f"{a.value}{sui}左右"])
    return rng.choice([f"{a.value}多{sui}", f"{zh_number(a.value)}多{sui}", f"{a.value}{yu}{sui}"])


def age_en(rng: random.Random, a: Age, sex: str) -> str:
    """19, about 40, c. 40, 40s, in his 40s."""
    if a.kind == "exact":
        return str(a.value)
    if a.kind == "about":
        return rng.choice([f"about {a.value}", f"c. {a.value}", f"approx. {a.value}"])
    return rng.choice([f"{a.value}s", f"in {'his' if sex == 'm' else 'her'} {a.value}s"])


# ---------------------------------------------------------------- sentences

def sentence_plain(s: tuple) -> str:
    """ISO 8601 duration, life or death-reprieve."""
    if s[0] == "fixed":
        return f"P{s[1]}Y" + (f"{s[2]}M" if s[2] else "")
    if s[0] == "reduction":
        years, months = divmod(s[1], 12)
        return "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")
    return s[0]


def sentence_zh(rng: random.Random, s: tuple) -> str:
    """有期徒刑13年, 判刑13年, 十三年, 无期徒刑, 死缓, 减刑1年."""
    if s[0] == "fixed":
        years = zh_number(s[1]) if rng.random() < 0.2 else str(s[1])
        term = f"{years}年" + (f"{s[2]}个月" if s[2] else "")
        return rng.choice([f"有期徒刑{term}", f"判刑{term}", term])
    if s[0] == "reduction":
        years, months = divmod(s[1], 12)
        return "减刑" + (f"{years}年" if years else "") + (f"{months}个月" if months else "")
    if s[0] == "life":
        return rng.choice(["无期徒刑", "无期"])
    return rng.choice(["死缓", "死刑缓期二年执行", "死刑，缓期两年执行"])


def sentence_en(rng: random.Random, s: tuple) -> str:
    """13 years, 13 years' imprisonment, life imprisonment, suspended death sentence."""
    if s[0] == "fixed":
        term = f"{s[1]} years" + (f" {s[2]} months" if s[2] else "")
        return rng.choice([term, f"{term}' imprisonment" if not s[2] else term, term.replace("years", "yrs")])
    if s[0] == "reduction":
        return f"reduced by {s[1]} months"
    if s[0] == "life":
        return rng.choice(["life", "life imprisonment"])
    return rng.choice(["death with reprieve", "suspended death sentence", "death sentence, suspended 2 years"])


def top_level_name(place_id: str) -> Place:
    """The outermost unit of a place (province, or the municipality)."""
    return ancestors(place_id)[-1]
