"""A person's custody steps -> custody start, expected release, status on a date, flags."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from mingdan.dates import Duration, UncertainDate

from .rules import PRC_RULES, RuleSet

STARTS = frozenset({"detained", "arrested", "tried", "sentenced"})
ENDS = frozenset({"released", "paroled", "escaped", "disappeared", "died_in_custody", "killed"})
DEATHS = frozenset({"died_in_custody", "killed"})
CUSTODY = STARTS | ENDS | {"commuted", "reduced"}


@dataclass(frozen=True)
class Step:
    """One dated custody event, with its sentence when it has one."""

    event: str
    date: UncertainDate | None = None
    sentence_kind: str = ""  # fixed, life, death, death_reprieve, reduction
    term: Duration | None = None
    reprieve: Duration | None = None
    source: str = ""  # where it is stated (file:row), for the timeline


@dataclass(frozen=True)
class Bounds:
    """The earliest and latest possible day; equal when the day is known."""

    earliest: dt.date
    latest: dt.date

    @classmethod
    def of(cls, date: UncertainDate) -> Bounds:
        return cls(date.earliest, date.latest)

    def plus(self, duration: Duration) -> Bounds:
        return Bounds(duration.add_to(self.earliest), duration.add_to(self.latest))

    def minus(self, duration: Duration) -> Bounds:
        return Bounds(duration.subtract_from(self.earliest), duration.subtract_from(self.latest))

    def __str__(self) -> str:
        if self.earliest == self.latest:
            return self.earliest.isoformat()
        return f"{self.earliest.isoformat()}/{self.latest.isoformat()}"


@dataclass
class CustodyView:
    """What the steps say, computed under one rule set."""

    steps: list[Step]
    rules: RuleSet
    custody_start: Bounds | None = None
    expected_release: Bounds | None = None  # None: no computable end (life, death, no sentence)
    sentence: str = ""  # the last sentence known (from every event known now), as "P20Y", "life", "death_reprieve", ...
    #: Each sentence given or commuted to, with the day it was (None: undated), in date order.
    sentences: list[tuple[Bounds | None, str]] = field(default_factory=list)
    ended_by: Step | None = None  # the release, death, escape or disappearance that ended custody
    notes: list[str] = field(default_factory=list)
    #: Steps that contradict each other in a way the arithmetic cannot settle (flag codes with their values).
    issues: list[dict] = field(default_factory=list)

    @property
    def last_confirmation(self) -> Bounds | None:
        """The latest dated event: the last time anything was known."""
        dated = [step.date for step in self.steps if step.date is not None]
        return Bounds.of(max(dated, key=lambda d: d.latest)) if dated else None

    def status_on(self, day: dt.date) -> str:
        """held, released, deceased, not_detained or unknown on that day, using every event known now."""
        deaths = [s for s in self.steps if s.event in DEATHS and s.date is not None]
        if any(s.date.latest <= day for s in deaths):
            return "deceased"
        if any(s.date.earliest <= day for s in deaths):
            return "unknown"
        if self.custody_start is None:
            return "not_detained"
        if self.custody_start.earliest > day:
            return "not_detained"
        if self.custody_start.latest > day:
            return "unknown"
        period_starts = [s.date for s in self.steps if s.event == "detained" and s.date is not None]
        for end in reversed([s for s in self.steps if s.event in ENDS - DEATHS and s.date is not None]):
            if end.date.latest <= day:
                if any(end.date.latest < start.earliest and start.latest <= day for start in period_starts):
                    break  # detained again after this end, and before the day
                return "released" if end.event in ("released", "paroled") else "unknown"
            if end.date.earliest <= day:
                return "unknown"  # it ended around that day; which side is not known
        if any(s.event in CUSTODY and s.date is not None and s.date.earliest >= day for s in self.steps):
            return "held"  # a later custody event shows the person was still held
        if self.ended_by is None and self.sentence in ("life", "death", "death_reprieve"):
            return "held"
        if self.expected_release is not None and self.expected_release.earliest > day:
            return "held"
        return "unknown"

    def sentence_on(self, day: dt.date) -> str | None:
        """The sentence in force on that day, None before any, 'unknown' when a change falls around it or is undated.

        Not `sentence`, the last one known now: in 1990 the composite example ran death with reprieve, not 20 years.
        """
        current = None
        for when, sentence in self.sentences:
            if when is None:
                return "unknown"
            if when.latest <= day:
                current = sentence or None
            elif when.earliest <= day:
                return "unknown"
        return current

    def flag_details(self, day: dt.date) -> list[dict]:
        """Warnings a documenter should act on, as of day: each a code and the values its text needs."""
        result = []
        if self.ended_by is None and self.expected_release is not None:
            overdue = (day - self.expected_release.latest).days
            if overdue > self.rules.overdue_days:
                result.append({"code": "overdue", "expected_release": str(self.expected_release), "days": overdue,
                               "day": day.isoformat()})
        last = self.last_confirmation
        if self.ended_by is None and last is not None:
            years = self.rules.unconfirmed_years
            if last.latest < _years_before(day, years):
                result.append({"code": "unconfirmed", "years": years, "last_event": str(last), "day": day.isoformat()})
        result.extend(self.issues)
        return result

    def flags(self, day: dt.date) -> list[str]:
        """Warnings a documenter should act on, as of day (the days are counted from that day, not from today)."""
        return [FLAG_TEXT[flag["code"]].format(**flag) for flag in self.flag_details(day)]


#: The English text of each flag (the web application translates the codes).
FLAG_TEXT = {
    "overdue": "expected release {expected_release} passed {days} days before {day} with no confirmed release",
    "unconfirmed": "status not confirmed for more than {years} years before {day} (last event {last_event})",
    "release_before_reduction": "{release} on {release_date} ({release_source}) is dated before the reduction "
                                "of {reduction} on {reduction_date} ({reduction_source}); the reduction is not applied",
    "dates_disagree": "sources disagree on the {event} date: {date_a} ({source_a}) vs {date_b} ({source_b})",
}


def analyse(steps: list[Step], rules: RuleSet = PRC_RULES) -> CustodyView:
    """Work through the steps in date order and compute custody start and expected release."""
    ordered = sorted(enumerate(steps), key=lambda pair: (pair[1].date.earliest if pair[1].date else dt.date.max, pair[0]))
    view = CustodyView(steps=[step for _, step in ordered], rules=rules)
    reprieve_end: Bounds | None = None
    for step in view.steps:
        when = Bounds.of(step.date) if step.date is not None else None
        if step.event == "detained" and view.ended_by is not None and when is not None:
            view.custody_start, view.expected_release, view.sentence, view.ended_by = when, None, "", None
            view.notes.append(f"detained again on {when}: a new custody period")
            view.sentences.append((when, ""))  # no sentence yet in the new period
        if step.event in STARTS and when is not None and view.ended_by is None:
            if view.custody_start is None:
                view.custody_start = when
            elif when.latest < view.custody_start.latest and view.expected_release is None:
                # Custody began on or before every start a source dates, so the latest possible first
                # day is the smallest of their latest days: a vaguer source ("June 1989") must not
                # push the release past what an exact one (10 June) allows.
                view.custody_start = Bounds(view.custody_start.earliest, when.latest)
        # A reduction stated as the sentence the term became (减刑 from life to 20 years) counts as a commutation.
        if (step.event in ("sentenced", "commuted") and step.sentence_kind) or \
                (step.event == "reduced" and step.sentence_kind not in ("", "reduction")):
            reprieve_end = _sentence(view, step, when, reprieve_end)
        elif step.event == "reduced":
            ended = view.ended_by
            if ended is not None and ended.date is not None and step.date is not None \
                    and ended.date.latest < step.date.earliest:
                _reduced_after_release(view, step)
            else:
                _reduce(view, step)
        elif step.event in ENDS:
            view.ended_by = step
    return view


def _sentence(view: CustodyView, step: Step, when: Bounds | None, reprieve_end: Bounds | None) -> Bounds | None:
    rules = view.rules
    kind = step.sentence_kind
    previous = view.sentence
    view.sentence = step.term.iso() if kind == "fixed" and step.term else kind
    view.sentences.append((when, view.sentence))
    view.expected_release = None
    if kind == "death_reprieve":
        return when.plus(step.reprieve or rules.default_reprieve) if when else None
    if kind != "fixed" or step.term is None:
        return reprieve_end
    if step.event == "sentenced":
        origin = view.custody_start if rules.credit_pretrial_detention and view.custody_start else when
        basis = "the first day in custody" if origin is view.custody_start else "the sentence"
    elif previous == "death_reprieve" and rules.reprieve_commuted_term_from == "reprieve_end" and reprieve_end:
        origin, basis = reprieve_end, "the end of the reprieve"
    else:
        origin, basis = when, "the commutation ruling"
    if origin is None:
        view.notes.append(f"{step.event} to {view.sentence} on an unknown date: no release date can be computed")
        return reprieve_end
    view.expected_release = origin.plus(step.term)
    view.notes.append(f"{view.sentence} counted from {basis} ({origin}): release {view.expected_release}")
    return reprieve_end


def _reduce(view: CustodyView, step: Step) -> None:
    if step.term is None:
        view.notes.append("a reduction of unknown length: the release date cannot be computed")
        view.expected_release = None
    elif view.expected_release is None:
        view.notes.append(f"a reduction of {step.term.iso()} applied to a sentence with no computable end ({view.sentence or 'unknown'})")
    else:
        view.expected_release = view.expected_release.minus(step.term)
        view.notes.append(f"reduced by {step.term.iso()}: release {view.expected_release}")


def _reduced_after_release(view: CustodyView, step: Step) -> None:
    """A reduction dated after the release that ended custody: one of the two dates is wrong, and which
    cannot be told; the release stands, the reduction is flagged and not subtracted."""
    end = view.ended_by
    view.issues.append({"code": "release_before_reduction", "release": end.event, "release_date": str(end.date),
                        "release_source": end.source or "source not given",
                        "reduction": step.term.iso() if step.term else "unknown length",
                        "reduction_date": str(step.date), "reduction_source": step.source or "source not given"})
    view.notes.append(f"a reduction dated {step.date} follows the {end.event} of {end.date}: not applied (flagged)")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
