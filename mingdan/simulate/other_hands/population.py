"""The true population: victims (killed, detained, missing) and their relatives, with events."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from dataclasses import dataclass, field

from .places import PLACES, city_of
from .tables import OCCUPATIONS, RELATIONS, GivenChar, Surname, given_chars, surnames

D = dt.date


@dataclass
class Event:
    """One true event: what, when (and the part of the day for the night of 3-4 June), sentence."""

    kind: str                 # killed injured disappeared detained arrested sentenced reduced released harassed
    date: dt.date
    part: str = ""            # night (of the 3rd, after 22:00), dawn (small hours of the 4th), day
    sentence: tuple = ()      # ("fixed", years, months) | ("life",) | ("death-reprieve",) | ("reduction", months)


@dataclass
class Person:
    """One true person; `category` is killed, detained, missing or relative."""

    pid: str
    surname: Surname
    given: tuple[GivenChar, ...]
    sex: str
    birth_year: int
    category: str
    occupation: str
    university: int           # index into UNIVERSITIES for students, else -1
    place: str                # gazetteer id of the main event
    events: list[Event] = field(default_factory=list)
    visibility: float = 1.0   # how likely lists are to record this person
    relative_of: str = ""     # pid of the victim, for relatives
    relation: str = ""        # key of RELATIONS
    relatives: list[str] = field(default_factory=list)

    @property
    def hans(self) -> str:
        """The name in simplified characters."""
        return self.surname.hans + "".join(c.hans for c in self.given)

    @property
    def hant(self) -> str:
        """The name in traditional characters."""
        return self.surname.hant + "".join(c.hant for c in self.given)

    def age_in(self, year: int, month: int = 6) -> int:
        """True age in completed years; birthdays fall evenly over the year (fixed per person)."""
        birth_month = 1 + int(self.pid[1:]) * 7 % 12
        return year - self.birth_year - (1 if birth_month > month else 0)


class _Weighted:
    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(itertools.accumulate(weights))

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def _pools():
    sur = _Weighted(surnames(), [s.weight for s in surnames()])
    chars = given_chars()
    male = _Weighted(chars, [c.weight * (1.0 if c.sex in "mn" else 0.05) for c in chars])
    female = _Weighted(chars, [c.weight * (1.0 if c.sex in "fn" else 0.05) for c in chars])
    beijing = [p for p in PLACES if p.weight and city_of(p.id).id == "bj"]
    other = [p for p in PLACES if p.weight and city_of(p.id).id != "bj"]
    places = {"bj": _Weighted([p.id for p in beijing], [p.weight for p in beijing]),
              "other": _Weighted([p.id for p in other], [p.weight for p in other])}
    occ = {cat: _Weighted(list(OCCUPATIONS), [v[3 if cat == "killed" else 4] for v in OCCUPATIONS.values()])
           for cat in ("killed", "detained")}
    return sur, {"m": male, "f": female}, places, occ


def _given(rng, pool, first=None):
    if first is not None:                          # siblings share a generation character
        return (first, pool.pick(rng))
    if rng.random() < 0.22:
        return (pool.pick(rng),)
    a, b = pool.pick(rng), pool.pick(rng)
    while b.hans == a.hans and rng.random() < 0.8:
        b = pool.pick(rng)
    return (a, b)


def _killing(rng, place: str) -> list[Event]:
    beijing = city_of(place).id == "bj"
    r = rng.random()
    if beijing and r < 0.45:
        ev = [Event("killed", D(1989, 6, 3), "night")]
    elif beijing and r < 0.80:
        ev = [Event("killed", D(1989, 6, 4), "dawn")]
    elif r < 0.90:
        ev = [Event("killed", D(1989, 6, rng.choice([4, 4, 5, 6, 7])), "day")]
    else:                                          # died of wounds days or weeks later
        hurt = Event("injured", D(1989, 6, 4) if beijing else D(1989, 6, 5), "dawn" if beijing else "day")
        ev = [hurt, Event("killed", hurt.date + dt.timedelta(days=rng.randint(1, 40)), "day")]
    return ev


def _custody(rng) -> list[Event]:
    start = D(1989, 6, 4) + dt.timedelta(days=int(rng.expovariate(1 / 30)) + 1)
    ev = [Event("detained", start)]
    r = rng.random()
    if r < 0.30:                                   # held without charge, released
        ev.append(Event("released", start + dt.timedelta(days=rng.randint(10, 400))))
        return ev
    arrest = start + dt.timedelta(days=rng.randint(7, 60))
    ev.append(Event("arrested", arrest))
    ruling = arrest + dt.timedelta(days=rng.randint(40, 500))
    s = rng.random()
    if s < 0.06:
        sentence = ("death-reprieve",)
    elif s < 0.12:
        sentence = ("life",)
    else:
        years = rng.choice([1, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 10, 12, 13, 15, 18, 20])
        months = rng.choice([0] * 8 + [6])
        sentence = ("fixed", years, months)
    ev.append(Event("sentenced", ruling, sentence=sentence))
    if sentence[0] == "fixed":
        years, months = sentence[1], sentence[2]
        end = D(start.year + years + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1,
                min(start.day, 28))
        if rng.random() < 0.25 and years >= 3:     # a reduction shortens the term
            cut = rng.choice([6, 10, 12, 18])
            ev.append(Event("reduced", ruling + dt.timedelta(days=rng.randint(700, 1500)), sentence=("reduction", cut)))
            end = D(end.year - cut // 12 - (1 if end.month <= cut % 12 else 0), (end.month - cut % 12 - 1) % 12 + 1, end.day)
        if end < D(2026, 1, 1):
            ev.append(Event("released", end))
    return ev


def make_population(seed: int, people: int) -> list[Person]:
    """`people` true persons, about a fifth of them relatives of victims, deterministic per seed."""
    rng = random.Random(f"other-hands:{seed}:population")
    sur, given, places, occ = _pools()
    out: list[Person] = []
    n = 0

    def new_pid() -> str:
        nonlocal n
        n += 1
        return f"P{n:07d}"

    while len(out) < people:
        cat = rng.choices(["killed", "detained", "missing"], [0.42, 0.50, 0.08])[0]
        sex = "m" if rng.random() < (0.88 if cat != "missing" else 0.75) else "f"
        beijing = rng.random() < (0.85 if cat == "killed" else 0.55 if cat == "detained" else 0.8)
        place = places["bj" if beijing else "other"].pick(rng)
        age = max(14, min(75, int(rng.lognormvariate(3.2, 0.28))))
        o = occ["killed" if cat == "missing" else cat].pick(rng)
        if age > 58:
            o = "retired"
        elif o == "student":
            age = min(age, rng.randint(18, 26))
        uni = rng.randrange(6) if o == "student" and beijing else -1
        p = Person(new_pid(), sur.pick(rng), _given(rng, given[sex]), sex, 1989 - age - (rng.random() < 0.5),
                   cat, o, uni, place, visibility=rng.gammavariate(2.0, 0.5))
        if cat == "killed":
            p.events = _killing(rng, place)
        elif cat == "missing":
            p.events = [Event("disappeared", D(1989, 6, rng.choice([3, 4, 4, 4, 5])), rng.choice(["night", "dawn", "day"]))]
        else:
            p.events = _custody(rng)
        out.append(p)
        if cat in ("killed", "missing") and rng.random() < 0.45 and len(out) < people:
            out.append(_relative(rng, p, sur, given, new_pid()))
    return out[:people]


def _relative(rng, victim: Person, sur, given, pid: str) -> Person:
    age = victim.age_in(1989)
    choices = ["mother", "father", "brother", "sister"] + (["wife", "husband"] if age >= 24 else [])
    rel = rng.choice(choices)
    sex = RELATIONS[rel][3]
    if rel == "wife" and victim.sex == "f":
        rel, sex = "husband", "m"
    elif rel == "husband" and victim.sex == "m":
        rel, sex = "wife", "f"
    surname = victim.surname if rel in ("father", "brother", "sister") else sur.pick(rng)
    shared = victim.given[0] if rel in ("brother", "sister") and len(victim.given) == 2 and rng.random() < 0.6 else None
    if rel in ("mother", "father"):
        birth = victim.birth_year - rng.randint(20, 34)
    elif rel in ("brother", "sister"):
        birth = victim.birth_year + rng.choice([-1, 1]) * rng.randint(1, 8)
    else:
        birth = victim.birth_year + rng.randint(-4, 4)
    p = Person(pid, surname, _given(rng, given[sex], shared), sex, birth, "relative", "retired" if 1989 - birth > 58
               else "worker", -1, victim.place, visibility=rng.gammavariate(2.0, 0.5), relative_of=victim.pid, relation=rel)
    victim.relatives.append(pid)
    r = rng.random()
    if r < 0.25:      # held or watched around an anniversary
        year = rng.choice([1990, 1999, 2004, 2009, 2014, 2019])
        kind = "detained" if rng.random() < 0.5 else "harassed"
        p.events = [Event(kind, D(year, 6, rng.randint(1, 4)))]
        if kind == "detained":
            p.events.append(Event("released", D(year, 6, rng.randint(5, 20))))
    return p
