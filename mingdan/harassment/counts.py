"""Harassment events -> distinct events, counts per year and kind, around each 4 June, families of victims."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from mingdan.custody.compute import Bounds
from mingdan.dates import Duration
from mingdan.dates.core import DateError, parse_duration, parse_edtf

ANNIVERSARY = (6, 4)


@dataclass(frozen=True)
class Harassment:
    """One harassment event of one person as stored: kind, EDTF date or interval, duration, where stated."""

    person: str
    kind: str
    date: str  # EDTF: one (perhaps uncertain) day, or an interval start/end ("..": no end known)
    duration: str = ""  # ISO 8601, for a detention: it runs from the start for this long
    tied_to: str = ""
    sources: tuple[str, ...] = ()  # file:row of each statement, so every count can be traced

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Two statements of the same person, kind, date and duration are one event."""
        return (self.person, self.kind, self.date, self.duration)

    @cached_property
    def start(self) -> Bounds | None:
        """The earliest and latest day it can have begun (None: undated)."""
        part = self.date.split("/")[0]
        if part in ("", ".."):
            return None
        try:
            date = parse_edtf(part)
        except DateError:
            return None
        return Bounds(date.earliest, date.latest)

    @cached_property
    def end(self) -> Bounds | None:
        """The earliest and latest last day; None when no end is known (an open interval)."""
        start = self.start
        if start is None:
            return None
        if self.duration:
            length = _duration(self.duration)
            if length is None:
                return None
            # A detention of P15D from 28 May covers 28 May - 11 June: the last day is start + 15 days - 1.
            last = start.plus(length)
            return Bounds(last.earliest - dt.timedelta(days=1), last.latest - dt.timedelta(days=1))
        if "/" in self.date:
            part = self.date.split("/", 1)[1]
            if part in ("", ".."):
                return None
            date = parse_edtf(part)
            return Bounds(date.earliest, date.latest)
        return start  # one day

    @property
    def year(self) -> int | None:
        """The year it began, when that year is certain."""
        start = self.start
        return start.earliest.year if start and start.earliest.year == start.latest.year else None

    def around(self, day: dt.date, window_days: int) -> bool:
        """True when it surely began within window_days of day, or began that year and surely ran on day itself.

        A travel ban imposed years before is not counted around a later anniversary: the count is of
        what was done around that date, not of what was still running.
        """
        start, end = self.start, self.end
        if start is None:
            return False
        first, last = day - dt.timedelta(days=window_days), day + dt.timedelta(days=window_days)
        if first <= start.earliest and start.latest <= last:
            return True
        certain_last = dt.date.max if end is None and "/" in self.date else (end.earliest if end else start.earliest)
        return start.earliest.year == day.year and start.latest <= day <= certain_last


def distinct(events: Iterable[Harassment]) -> list[Harassment]:
    """One event per person, kind, date and duration, with the sources of every statement of it."""
    merged: dict[tuple, list] = {}
    order: list[tuple] = []
    for event in events:
        if event.key not in merged:
            merged[event.key] = [event, []]
            order.append(event.key)
        merged[event.key][1].extend(event.sources)
    return [Harassment(e.person, e.kind, e.date, e.duration, e.tied_to, tuple(sorted(set(s))))
            for e, s in (merged[k] for k in order)]


@dataclass
class YearCount:
    """One year's counts: distinct people, events, events by kind, around 4 June, families of victims."""

    year: int
    people: int = 0
    events: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    people_by_kind: dict[str, int] = field(default_factory=dict)
    anniversary_people: int = 0
    anniversary_events: int = 0
    relatives: int = 0  # distinct harassed people who are relatives of a named victim
    families: int = 0  # distinct victims with at least one harassed relative

    def as_dict(self) -> dict:
        """The JSON form (`mingdan harassment --json`)."""
        return {"year": self.year, "people": self.people, "events": self.events, "by_kind": dict(self.by_kind),
                "people_by_kind": dict(self.people_by_kind),
                "anniversary": {"people": self.anniversary_people, "events": self.anniversary_events},
                "relatives": self.relatives, "families": self.families}


def per_year(events: Iterable[Harassment], first: int | None = None, last: int | None = None,
             relatives: Mapping[str, Iterable[str]] | None = None, window_days: int = 15) -> tuple[list[YearCount], list[Harassment]]:
    """Counts for each year first..last (every year, zero included), and the events whose year is uncertain.

    An event is counted in the year it began; around 4 June when it surely began within window_days of
    it, or began that year and surely ran on 4 June itself.
    `relatives` maps a harassed person to the victims whose relative they are.
    """
    events = distinct(events)
    dated = [e for e in events if e.year is not None]
    undated = [e for e in events if e.year is None]
    years = [e.year for e in dated]
    if not years and (first is None or last is None):
        return [], undated
    first = min(years) if first is None else first
    last = max(years) if last is None else last
    relatives = {p: set(v) for p, v in (relatives or {}).items()}
    out = []
    for year in range(first, last + 1):
        these = [e for e in dated if e.year == year]
        count = YearCount(year, people=len({e.person for e in these}), events=len(these))
        kinds: dict[str, int] = defaultdict(int)
        who: dict[str, set[str]] = defaultdict(set)
        for event in these:
            kinds[event.kind] += 1
            who[event.kind].add(event.person)
        count.by_kind = dict(sorted(kinds.items()))
        count.people_by_kind = {kind: len(who[kind]) for kind in count.by_kind}
        day = dt.date(year, *ANNIVERSARY)
        near = [e for e in these if e.around(day, window_days)]
        count.anniversary_people, count.anniversary_events = len({e.person for e in near}), len(near)
        kin = {e.person for e in these if relatives.get(e.person)}
        count.relatives = len(kin)
        count.families = len(set().union(*(relatives[p] for p in kin))) if kin else 0
        out.append(count)
    return out, undated


def families_of_named(events: Iterable[Harassment], relations: Iterable[tuple[str, str, str]]) -> list[dict]:
    """Per victim with a harassed relative: the relatives (person, relation), their events and years."""
    by_person: dict[str, list[Harassment]] = defaultdict(list)
    for event in distinct(events):
        by_person[event.person].append(event)
    families: dict[str, list[dict]] = defaultdict(list)
    for relative, kind, victim in sorted(set(relations)):
        if relative in by_person and relative != victim:
            years = sorted({e.year for e in by_person[relative] if e.year is not None})
            families[victim].append({"person": relative, "relation": kind, "events": len(by_person[relative]),
                                     "first_year": years[0] if years else None,
                                     "last_year": years[-1] if years else None})
    return [{"victim": victim, "relatives": entries} for victim, entries in sorted(families.items())]


def _duration(text: str) -> Duration | None:
    try:
        return parse_duration(text)
    except DateError:
        return None
