"""Families and harassment with known truth: relatives of named victims, and what was done to them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from mingdan.dates import Duration

from .pools import GIVEN, SURNAMES
from .population import TruePerson

FIRST_YEAR, LAST_YEAR = 1990, 2025
#: Restrictions of liberty: the kinds whose intervals count towards "under restriction".
RESTRICTIONS = ("house_arrest", "administrative_detention", "criminal_detention", "forced_travel", "travel_ban")
#: Around each 4 June: what is done to families, with relative weights.
ANNIVERSARY_KINDS = {"house_arrest": 4, "surveillance": 3, "forced_travel": 2, "administrative_detention": 1,
                     "police_visit": 3, "threats": 1, "communication_cut": 1}
#: The rest of the year.
OTHER_KINDS = {"police_visit": 4, "threats": 2, "pressure_on_relatives": 2, "loss_of_employment": 1,
               "loss_of_pension": 1, "passport_refused": 1, "travel_ban": 1, "eviction": 1,
               "criminal_detention": 0.3, "surveillance": 1}
RELATIONS = ("mother_of", "father_of", "spouse_of", "sibling_of", "child_of")
PERPETRATORS = ("区公安分局国保大队", "派出所", "街道办事处", "单位保卫科", "国家安全局")
#: Round anniversaries draw more attention, and more pressure.
ROUND_YEARS = frozenset({1999, 2004, 2009, 2014, 2019, 2024})


@dataclass(frozen=True)
class TrueHarassment:
    """One harassment event as it happened: kind, first and last day (None: no end known), tie, duration."""

    kind: str
    start: dt.date
    end: dt.date | None
    tied_to: str = ""
    duration: str = ""  # ISO 8601, for detentions (the end is start + duration - 1 day)
    perpetrator: str = ""
    ranged: bool = False  # written as an EDTF interval start/end

    @property
    def edtf(self) -> str:
        """The date as the sources write it."""
        if not self.ranged:
            return self.start.isoformat()
        return f"{self.start.isoformat()}/{self.end.isoformat() if self.end else '..'}"

    @property
    def year(self) -> int:
        """The year it is counted in: the year it began."""
        return self.start.year


@dataclass
class Harassed:
    """A harassed person: a relative of a victim (relation set) or a participant harassed after release."""

    person_id: str
    name: str
    sex: str
    age: int
    stratum: int
    relation: str = ""  # this person is `relation` the victim
    victim_id: str = ""
    events: list[TrueHarassment] = field(default_factory=list)
    consent: str = ""  # their own consent to publish their name, as the families' network records it


def make_families(rng: np.random.Generator, people: list[TruePerson], listed: set[str],
                  share: float = 0.25) -> list[Harassed]:
    """Relatives of a share of the listed killed and detained, and released participants, each with events."""
    out: list[Harassed] = []
    number = 0
    for victim in people:
        if victim.person_id not in listed or victim.category not in ("killed", "detained"):
            continue
        if rng.random() < share:
            taken: set[str] = set()
            for _ in range(1 if rng.random() < 0.7 else 2):
                number += 1
                relative = _relative(rng, victim, f"F{number:06d}", taken)
                taken.add(relative.relation)
                relative.events = _events(rng, relative_of_killed=victim.category == "killed")
                relative.consent = str(rng.choice(["同意", "不同意", "", ""]))
                if relative.events:
                    out.append(relative)
        if victim.category == "detained" and any(e.event == "released" for e in victim.events) and rng.random() < 0.2:
            # A participant out of prison is watched too: harassment of the victim's own person.
            released = max(e.date for e in victim.events if e.event == "released")
            participant = Harassed(victim.person_id, victim.name, victim.sex, victim.age, victim.stratum)
            participant.events = [e for e in _events(rng, relative_of_killed=False) if e.start > released]
            if participant.events:
                out.append(participant)
    return out


def _relative(rng: np.random.Generator, victim: TruePerson, person_id: str, taken: set[str]) -> Harassed:
    relation = str(rng.choice(RELATIONS, p=[0.3, 0.2, 0.2, 0.2, 0.1] if victim.age < 40 else [0.1, 0.05, 0.35, 0.2, 0.3]))
    if relation in taken and relation in ("mother_of", "father_of", "spouse_of"):
        relation = "sibling_of"  # one mother, one father, one spouse: a second relative is a sibling
    sex = {"mother_of": "female", "father_of": "male"}.get(relation) or ("female" if rng.random() < 0.5 else "male")
    surname = victim.name[:2] if victim.name[:2] in {s for s, _, _ in SURNAMES} else victim.name[0]
    if relation in ("mother_of", "spouse_of"):
        # Mothers and spouses keep their own surnames.
        surname = SURNAMES[int(rng.integers(len(SURNAMES) - 4))][0]
    pool = [g for g in GIVEN if g[2] in ("x", "m" if sex == "male" else "f")]
    given = "".join(pool[int(rng.integers(len(pool)))][0] for _ in range(1 if rng.random() < 0.3 else 2))
    age_gap = {"mother_of": 25, "father_of": 27, "child_of": -25}.get(relation, 0)
    age = int(np.clip(victim.age + age_gap + rng.integers(-4, 5), 1, 95))
    return Harassed(person_id, surname + given, sex, age, victim.stratum, relation, victim.person_id)


def _events(rng: np.random.Generator, relative_of_killed: bool) -> list[TrueHarassment]:
    """A person's harassment 1990-2025: peaks around each 4 June, fewer events the rest of the year."""
    events: list[TrueHarassment] = []
    intensity = float(rng.lognormal(0.0, 0.5)) * (1.3 if relative_of_killed else 1.0)
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        # Attention grew after 1999 as families spoke out; round anniversaries bring more.
        p = (0.15 if year < 1999 else 0.3) * intensity * (1.8 if year in ROUND_YEARS else 1.0)
        if rng.random() < min(p, 0.9):
            events.append(_anniversary(rng, year))
        if rng.random() < min(0.08 * intensity, 0.5):
            events.append(_other(rng, year))
    events.sort(key=lambda e: (e.start, e.kind))
    # One person cannot be under two events of the same kind starting the same day: keep the first.
    unique: dict[tuple[str, dt.date], TrueHarassment] = {}
    for event in events:
        unique.setdefault((event.kind, event.start), event)
    return list(unique.values())


def _pick(rng: np.random.Generator, weights: dict[str, float]) -> str:
    kinds = list(weights)
    p = np.array([weights[k] for k in kinds], dtype=float)
    return kinds[int(rng.choice(len(kinds), p=p / p.sum()))]


def _anniversary(rng: np.random.Generator, year: int) -> TrueHarassment:
    kind = _pick(rng, ANNIVERSARY_KINDS)
    perpetrator = PERPETRATORS[int(rng.integers(3))]
    start = dt.date(year, 5, 25) + dt.timedelta(days=int(rng.integers(0, 9)))
    if kind == "administrative_detention":
        days = int(rng.integers(5, 16))
        return TrueHarassment(kind, start, start + dt.timedelta(days=days - 1), "anniversary", f"P{days}D", perpetrator)
    if kind in ("house_arrest", "surveillance", "forced_travel", "communication_cut"):
        end = dt.date(year, 6, 4) + dt.timedelta(days=int(rng.integers(0, 6)))
        return TrueHarassment(kind, start, end, "anniversary", perpetrator=perpetrator, ranged=True)
    return TrueHarassment(kind, start, start, "anniversary", perpetrator=perpetrator)


def _other(rng: np.random.Generator, year: int) -> TrueHarassment:
    kind = _pick(rng, OTHER_KINDS)
    perpetrator = PERPETRATORS[int(rng.integers(len(PERPETRATORS)))]
    start = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365)))
    if kind == "criminal_detention":
        months = int(rng.integers(1, 7))
        end = Duration(0, months, 0).add_to(start) - dt.timedelta(days=1)
        tied = "trial" if rng.random() < 0.3 else ""
        return TrueHarassment(kind, start, end, tied, f"P{months}M", perpetrator)
    if kind == "travel_ban":
        # Some bans are lifted years later; others have no known end.
        if rng.random() < 0.5:
            end = start + dt.timedelta(days=int(rng.integers(180, 2500)))
            return TrueHarassment(kind, start, end, perpetrator=perpetrator, ranged=True)
        return TrueHarassment(kind, start, None, perpetrator=perpetrator, ranged=True)
    if kind == "surveillance":
        end = start + dt.timedelta(days=int(rng.integers(3, 60)))
        tied = "visit" if rng.random() < 0.5 else ""
        return TrueHarassment(kind, start, end, tied, perpetrator=perpetrator, ranged=True)
    return TrueHarassment(kind, start, start, perpetrator=perpetrator)
