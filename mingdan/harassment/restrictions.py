"""Restrictions of liberty: continuous spells, the longest one, and who is still restricted on a date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from mingdan.custody.compute import Bounds
from mingdan.custody.rules import PRC_RULES, RuleSet

from .counts import Harassment, bounds_text, distinct

#: The kinds that take away liberty for a span of days (the others are one-off acts or lasting losses).
RESTRICTIONS = frozenset({"house_arrest", "administrative_detention", "criminal_detention", "forced_travel",
                          "travel_ban"})


@dataclass(frozen=True)
class Spell:
    """Days a person was surely restricted without a break: overlapping or adjacent restrictions merged."""

    person: str
    first: dt.date
    last: dt.date | None  # None: still running (an interval with no known end)
    kinds: tuple[str, ...]
    events: int

    def days(self, as_of: dt.date) -> int:
        """Its length in days, counting an open spell up to as_of."""
        return ((self.last or as_of) - self.first).days + 1


@dataclass(frozen=True)
class PersonRestriction:
    """A person's restriction status on a day: restricted, unknown (possibly) — with bounds and flags."""

    person: str
    status: str  # restricted or unknown
    since: Bounds
    until: Bounds | None  # None: no end known
    kinds: tuple[str, ...]
    last_event: Bounds | None
    flags: tuple[dict, ...]

    def as_dict(self) -> dict:
        """The JSON form."""
        return {"person": self.person, "status": self.status, "since": bounds_text(self.since),
                "until": bounds_text(self.until), "kinds": list(self.kinds),
                "last_event": bounds_text(self.last_event), "flags": list(self.flags)}


def spells(events: Iterable[Harassment], as_of: dt.date | None = None) -> list[Spell]:
    """Each person's continuous spells of certain restriction (only days every reading of the dates agrees on)."""
    by_person: dict[str, list[tuple[dt.date, dt.date | None, str]]] = defaultdict(list)
    for event in distinct(events):
        span = _certain(event)
        if event.kind in RESTRICTIONS and span is not None:
            if as_of is None or span[0] <= as_of:
                by_person[event.person].append((span[0], span[1], event.kind))
    out = []
    for person, spans in sorted(by_person.items()):
        spans.sort(key=lambda s: (s[0], s[1] or dt.date.max))
        first, last, kinds, count = spans[0][0], spans[0][1], {spans[0][2]}, 1
        for start, end, kind in spans[1:]:
            # Adjacent days join: released on the 11th and taken away on the 12th is one restriction.
            if last is None or start <= last + dt.timedelta(days=1):
                last = None if last is None or end is None else max(last, end)
                kinds.add(kind)
                count += 1
            else:
                out.append(Spell(person, first, last, tuple(sorted(kinds)), count))
                first, last, kinds, count = start, end, {kind}, 1
        out.append(Spell(person, first, last, tuple(sorted(kinds)), count))
    return out


def longest_restrictions(events: Iterable[Harassment], as_of: dt.date, top: int = 10) -> list[Spell]:
    """The longest continuous restrictions known as of a day, longest first (ties by person)."""
    return sorted(spells(events, as_of), key=lambda s: (-s.days(as_of), s.person, s.first))[:top]


def restricted_on(events: Iterable[Harassment], day: dt.date, rules: RuleSet = PRC_RULES) -> list[PersonRestriction]:
    """Everyone restricted or possibly restricted on day, using every event known now (as custody status does)."""
    by_person: dict[str, list[Harassment]] = defaultdict(list)
    for event in distinct(events):
        by_person[event.person].append(event)
    out = []
    for person, evs in sorted(by_person.items()):
        sure, maybe = [], []
        for event in evs:
            if event.kind not in RESTRICTIONS or event.start is None:
                continue
            end = event.end
            open_end = event.open_end
            if end is None and not open_end:
                continue  # a detention of unreadable length: no span to speak of
            if event.start.latest <= day and (open_end or day <= end.earliest):
                sure.append(event)
            elif event.start.earliest <= day and (open_end or day <= end.latest):
                maybe.append(event)
        chosen = sure or maybe
        if not chosen:
            continue
        since = Bounds(min(e.start.earliest for e in chosen), min(e.start.latest for e in chosen))
        ends = [e.end for e in chosen]
        until = None if any(b is None for b in ends) else Bounds(max(b.earliest for b in ends), max(b.latest for b in ends))
        dated = [e.start for e in evs if e.start is not None and e.start.earliest <= day]
        last = max(dated, key=lambda b: b.latest) if dated else None
        flags = []
        if last is not None and last.latest < _years_before(day, rules.unconfirmed_years):
            # An open travel ban nobody has reported on for years may have been lifted unseen.
            flags.append({"code": "unconfirmed", "years": rules.unconfirmed_years, "last_event": bounds_text(last),
                          "day": day.isoformat()})
        out.append(PersonRestriction(person, "restricted" if sure else "unknown", since, until,
                                     tuple(sorted({e.kind for e in chosen})), last, tuple(flags)))
    return out


def _certain(event: Harassment) -> tuple[dt.date, dt.date | None] | None:
    """The days the event surely covered; None when no day is sure."""
    start, end = event.start, event.end
    if start is None:
        return None
    if end is None:
        return (start.latest, None) if event.open_end else None
    if start.latest > end.earliest:
        return None
    return start.latest, end.earliest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
