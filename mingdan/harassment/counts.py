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
    def _parts(self) -> tuple[str, str | None]:
        """The start as written and the end as written (None: one day, not an interval)."""
        if "/" in self.date:
            start, end = self.date.split("/", 1)
            return start, end
        return self.date, None

    @cached_property
    def _written_start(self) -> Bounds | None:
        return _bounds(self._parts[0])

    @cached_property
    def start(self) -> Bounds | None:
        """The earliest and latest day it can have begun (None: undated).

        An open or unknown start (`../2019-06-10`, `/2019-06-04`) began on some day up to its end,
        as custody status reads a start it does not know: possibly on any day before, surely only on the end.
        """
        start = self._written_start
        if start is not None or self._parts[1] is None or self._parts[0] not in ("", ".."):
            return start
        end = self._written_end
        if end is None:
            return None
        length = _duration(self.duration) if self.duration else None
        if length is not None:
            # The last day is start + duration - 1, so the start is the day after the end, less the duration.
            after = Bounds(end.earliest + dt.timedelta(days=1), end.latest + dt.timedelta(days=1))
            return after.minus(length)
        return Bounds(dt.date.min, end.latest)

    @cached_property
    def _written_end(self) -> Bounds | None:
        end = self._parts[1]
        return _bounds(end) if end not in (None, "", "..") else None

    @property
    def open_end(self) -> bool:
        """True for an interval reported as still running (`2015-03-01/..`) with no duration to end it."""
        return self._parts[1] == ".." and not (self.duration and _duration(self.duration))

    @cached_property
    def end(self) -> Bounds | None:
        """The earliest and latest last day; None when no end is known (an open interval) or it is undated.

        An interval's own end is kept when a duration is also given (the import refuses the two when
        they disagree); an unknown end (`2019-06-01/`) may be any day from the start on.
        """
        start = self.start
        if start is None:
            return None
        if self._written_end is not None:
            return self._written_end
        if self.duration:
            length = _duration(self.duration)
            if length is None:
                return None
            # A detention of P15D from 28 May covers 28 May - 11 June: the last day is start + 15 days - 1.
            last = start.plus(length)
            return Bounds(last.earliest - dt.timedelta(days=1), last.latest - dt.timedelta(days=1))
        if self._parts[1] == "":
            return Bounds(start.earliest, dt.date.max)
        if self._parts[1] == "..":
            return None
        return start  # one day

    @property
    def year(self) -> int | None:
        """The year it began, when that year is certain (not `2019?`, `2019-06~`, `201X`, `../2019-06-10`)."""
        start = self.start
        if start is None or start.earliest.year != start.latest.year or self._qualified:
            return None
        return start.earliest.year

    @property
    def uncertain_year(self) -> int | None:
        """The year a qualified start (`2019?`, `2019-06?`, `2019~`) names: counted apart, never in that year."""
        start = self._written_start
        if start is None or not self._qualified or start.earliest.year != start.latest.year:
            return None
        return start.earliest.year

    @cached_property
    def _qualified(self) -> bool:
        try:
            date = parse_edtf(self._parts[0])
        except DateError:
            return False
        return date.uncertain or date.approximate

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
        certain_last = dt.date.max if self.open_end else (end.earliest if end else start.earliest)
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
    # Events whose date names this year only with doubt (2019?, 2019-06~): counted apart, in none of the above.
    uncertain_people: int = 0
    uncertain_events: int = 0

    def as_dict(self) -> dict:
        """The JSON form (`mingdan harassment --json`)."""
        return {"year": self.year, "people": self.people, "events": self.events, "by_kind": dict(self.by_kind),
                "people_by_kind": dict(self.people_by_kind),
                "anniversary": {"people": self.anniversary_people, "events": self.anniversary_events},
                "relatives": self.relatives, "families": self.families,
                "uncertain_date": {"people": self.uncertain_people, "events": self.uncertain_events}}


def per_year(events: Iterable[Harassment], first: int | None = None, last: int | None = None,
             relatives: Mapping[str, Iterable[str]] | None = None, window_days: int = 15) -> tuple[list[YearCount], list[Harassment]]:
    """Counts for each year first..last (every year, zero included), and the events with no year at all.

    An event is counted in the year it began; around 4 June when it surely began within window_days of
    it, or began that year and surely ran on 4 June itself. An event dated with doubt (2019?) is counted
    apart on its year's `uncertain_date` line; one with no single year (201X, undated) is returned apart.
    `relatives` maps a harassed person to the victims (people of the accounting's categories) whose relative
    they are, as families.victim_ties gives them.
    """
    events = distinct(events)
    dated = [e for e in events if e.year is not None]
    doubtful = [e for e in events if e.year is None and e.uncertain_year is not None]
    undated = [e for e in events if e.year is None and e.uncertain_year is None]
    years = [e.year for e in dated] + [e.uncertain_year for e in doubtful]
    if not years and (first is None or last is None):
        return [], undated
    first = min(years) if first is None else first
    last = max(years) if last is None else last
    relatives = {p: set(v) for p, v in (relatives or {}).items()}
    out = []
    for year in range(first, last + 1):
        these = [e for e in dated if e.year == year]
        count = YearCount(year, people=len({e.person for e in these}), events=len(these))
        unsure = [e for e in doubtful if e.uncertain_year == year]
        count.uncertain_people, count.uncertain_events = len({e.person for e in unsure}), len(unsure)
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
    """Per victim with a harassed relative: the relatives (person, relation), their events and years.

    `relations` are (relative, relation to the victim, victim) with a victim at the end (families.victim_ties).
    """
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


def _bounds(text: str) -> Bounds | None:
    """The bounds of one written day; None for an open, unknown or unreadable one."""
    if text in ("", ".."):
        return None
    try:
        date = parse_edtf(text)
    except DateError:
        return None
    return Bounds(date.earliest, date.latest)


def bounds_text(bounds: Bounds | None) -> str | None:
    """Bounds as EDTF: an open side (a start or end not known) written `..`, never as year 1 or 9999."""
    if bounds is None:
        return None
    low = ".." if bounds.earliest == dt.date.min else bounds.earliest.isoformat()
    high = ".." if bounds.latest == dt.date.max else bounds.latest.isoformat()
    return low if bounds.earliest == bounds.latest else f"{low}/{high}"


def _duration(text: str) -> Duration | None:
    try:
        return parse_duration(text)
    except DateError:
        return None


def duration_conflict(date: str, duration: str) -> str | None:
    """Why an interval and a duration given together disagree, or None when they agree (or either is missing).

    Both are kept when they agree, so nothing is silently preferred: an open end (`..`, still running)
    cannot have a length, and a known end must be a day the duration can reach from the start.
    """
    length = _duration(duration) if duration else None
    if length is None or "/" not in date:
        return None
    start_text, end_text = date.split("/", 1)
    if ".." in (start_text, end_text):
        return (f"duration {duration} is given with the open interval {date!r} ('..': no limit on that side); "
                "give the interval's days or the duration, not both")
    start, end = _bounds(start_text), _bounds(end_text)
    if start is None or end is None:
        return None  # an unknown side ('2019-06-01/'): the duration completes it
    last = start.plus(length)
    last = Bounds(last.earliest - dt.timedelta(days=1), last.latest - dt.timedelta(days=1))
    if last.earliest <= end.latest and end.earliest <= last.latest:
        return None
    return (f"duration {duration} from {bounds_text(start)} ends {bounds_text(last)}, but the interval "
            f"{date!r} ends {bounds_text(end)}; correct one of them, or give only one")
