"""The true victims of a simulated episode, with their custody histories."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from mingdan.dates import Duration

from .pools import FACILITIES, GIVEN, OCCUPATIONS, PLACES, SURNAMES

EPISODE = dt.date(1989, 6, 4)


@dataclass
class TrueEvent:
    """One thing that happened, with its exact date (sources may blur it)."""

    event: str
    date: dt.date | None
    sentence: str = ""
    facility: str = ""


@dataclass
class TruePerson:
    """A victim as the simulation knows them."""

    person_id: str
    category: str  # killed, detained, missing
    name: str  # simplified characters
    hk_name: str
    sex: str
    age: int
    occupation: str
    stratum: int
    propensity: float  # latent visibility: how likely any list is to record this person
    events: list[TrueEvent] = field(default_factory=list)

    @property
    def place(self) -> str:
        return PLACES[self.stratum][0]


def make_people(rng: np.random.Generator, count: int, shares: tuple[float, float, float]) -> list[TruePerson]:
    """Draw `count` people; shares are the proportions killed, detained and missing."""
    surname_weights = np.array([weight for _, weight, _ in SURNAMES])
    surname_weights /= surname_weights.sum()
    categories = rng.choice(["killed", "detained", "missing"], size=count, p=np.array(shares) / sum(shares))
    people = []
    for index in range(count):
        sex = "male" if rng.random() < 0.8 else "female"
        surname, _, surname_hk = SURNAMES[rng.choice(len(SURNAMES), p=surname_weights)]
        pool = [g for g in GIVEN if g[2] in ("x", "m" if sex == "male" else "f")]
        picks = [pool[rng.integers(len(pool))] for _ in range(1 if rng.random() < 0.3 else 2)]
        name = surname + "".join(p[0] for p in picks)
        hk = f"{surname_hk} {' '.join(p[1] for p in picks)}"
        age = int(np.clip(rng.gamma(6.0, 4.0) + 12, 15, 80))
        person = TruePerson(
            person_id=f"P{index + 1:06d}", category=str(categories[index]), name=name, hk_name=hk,
            sex=sex, age=age, occupation=OCCUPATIONS[rng.integers(len(OCCUPATIONS))] if age < 60 else "退休",
            stratum=int(rng.choice(len(PLACES), p=[0.3, 0.2, 0.2, 0.1, 0.1, 0.1])),
            propensity=float(rng.lognormal(0.0, 0.6)),
        )
        person.events = _history(rng, person)
        people.append(person)
    return people


def _history(rng: np.random.Generator, person: TruePerson) -> list[TrueEvent]:
    if person.category == "killed":
        return [TrueEvent("killed", EPISODE - dt.timedelta(days=int(rng.random() < 0.4)))]
    if person.category == "missing":
        return [TrueEvent("disappeared", EPISODE + dt.timedelta(days=int(rng.integers(0, 30))))]
    facility = FACILITIES[person.stratum % len(FACILITIES)]
    detained = EPISODE + dt.timedelta(days=int(rng.integers(1, 120)))
    events = [TrueEvent("detained", detained, facility=facility)]
    if rng.random() < 0.35:
        events.append(TrueEvent("released", detained + dt.timedelta(days=int(rng.integers(7, 200)))))
        return events
    arrested = detained + dt.timedelta(days=int(rng.integers(10, 60)))
    sentenced = arrested + dt.timedelta(days=int(rng.integers(30, 300)))
    events += [TrueEvent("arrested", arrested), TrueEvent("sentenced", sentenced)]
    roll = rng.random()
    if roll < 0.1:
        events[-1].sentence = "death-reprieve P2Y"
        life = sentenced + dt.timedelta(days=730 + int(rng.integers(0, 60)))
        fixed = life + dt.timedelta(days=int(rng.integers(700, 3000)))
        term = int(rng.integers(18, 21))
        events += [TrueEvent("commuted", life, "life"), TrueEvent("commuted", fixed, f"P{term}Y")]
        end = _add_years(fixed, term)
    elif roll < 0.2:
        events[-1].sentence = "life"
        fixed = sentenced + dt.timedelta(days=int(rng.integers(700, 3000)))
        term = int(rng.integers(15, 21))
        events.append(TrueEvent("commuted", fixed, f"P{term}Y"))
        end = _add_years(fixed, term)
    else:
        years = int(rng.integers(1, 16))
        events[-1].sentence = f"P{years}Y"
        end = _add_years(detained, years)
    last = events[-1].date
    for _ in range(int(rng.integers(0, 3))):
        months = int(rng.integers(6, 19))
        when = last + dt.timedelta(days=int(rng.integers(365, 1500)))
        # A reduction is only granted while the person is still held afterwards.
        if _add_months(end, -months) <= when:
            break
        events.append(TrueEvent("reduced", when, f"P{months}M"))
        end = _add_months(end, -months)
        last = when
    room = (end - last).days
    if rng.random() < 0.04 and room > 2:
        events.append(TrueEvent("died_in_custody", last + dt.timedelta(days=int(rng.integers(1, room)))))
    elif rng.random() < 0.15 and room > 2:
        early = int(rng.integers(1, min(700, room)))
        events.append(TrueEvent("paroled", end - dt.timedelta(days=early)))
    else:
        events.append(TrueEvent("released", end))
    return events


def _add_years(day: dt.date, years: int) -> dt.date:
    return Duration(years, 0, 0).add_to(day)


def _add_months(day: dt.date, months: int) -> dt.date:
    duration = Duration(0, abs(months), 0)
    return duration.add_to(day) if months >= 0 else duration.subtract_from(day)
