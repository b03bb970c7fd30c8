"""Custody status of every person in a case on any date, from the stored events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from mingdan.custody import PRC_RULES, RuleSet, Step, analyse
from mingdan.custody.compute import CUSTODY, FLAG_TEXT, STARTS, CustodyView
from mingdan.dates import DateError, parse_date, parse_duration
from mingdan.store.case import Case
from mingdan.store.crypto import reveal
from mingdan.store.names import person_names

#: Statuses that put a person on the list of those held, or possibly held, on a date.
HELD_OR_POSSIBLY = ("held", "unknown")


@dataclass
class PersonCustody:
    """One person's custody as computed from every current event of their records."""

    person_id: str
    linked: bool  # False: records are not linked yet and this "person" is one record
    record_ids: list[str]
    name: str | None
    view: CustodyView
    conflicts: list[dict] = field(default_factory=list)
    timeline: list[dict] = field(default_factory=list)

    def as_dict(self, day: dt.date, today: dt.date | None = None) -> dict:
        """The JSON form: status on day, expected release bounds, flags as of `today` (default: that same day)."""
        release, last = self.view.expected_release, self.view.last_confirmation
        details = [*self.view.flag_details(today or day), *self.conflicts]
        return {
            "person_id": self.person_id, "linked": self.linked, "record_ids": self.record_ids,
            "name": self.name, "as_of": day.isoformat(), "status": self.view.status_on(day),
            "sentence": self.view.sentence or None,
            "custody_start": str(self.view.custody_start) if self.view.custody_start else None,
            "expected_release_earliest": release.earliest.isoformat() if release else None,
            "expected_release_latest": release.latest.isoformat() if release else None,
            "ended_by": self.view.ended_by.event if self.view.ended_by else None,
            "last_confirmation": str(last) if last else None,
            "flags": [FLAG_TEXT[flag["code"]].format(**flag) for flag in details],
            "flag_details": details,
            "notes": self.view.notes,
        }


def custody_people(case: Case, rules: RuleSet = PRC_RULES, person: str | None = None,
                   readable: tuple[str, ...] = ("public", "restricted", "secret")) -> list[PersonCustody]:
    """Every person (or unlinked record) with at least one custody event, analysed under the rules.

    Names are chosen by the one display rule, from the name forms of the sensitivities given
    (every form for the command line, which runs with the case key; fewer for a web reader).
    """
    from mingdan.store.models import Event

    events = (Event.objects.filter(superseded_in__isnull=True, event_type__in=CUSTODY | {"killed"})
              .select_related("record__source", "record__person", "document", "custody")
              .order_by("date_earliest", "id"))
    groups: dict[str, list] = defaultdict(list)
    for event in events.iterator(chunk_size=5000):
        groups[_person_key(event.record)].append(event)
    if person is not None:
        groups = {key: found for key, found in groups.items() if key == person}
    names = person_names({key: sorted({event.record_id for event in found}) for key, found in groups.items()},
                         readable)
    people = []
    for key, found in groups.items():
        if not any(event.event_type in STARTS for event in found):
            continue  # killed without ever being held: not a custody history
        steps, timeline = _steps(found)
        records = sorted({f"{e.record.source.name}:{e.record.record_id}" for e in found})
        people.append(PersonCustody(
            person_id=key, linked=found[0].record.person_id is not None, record_ids=records,
            name=names[key].name if key in names else None, view=analyse(steps, rules),
            conflicts=_conflicts(timeline), timeline=timeline))
    return sorted(people, key=lambda p: p.person_id)


def held_on(case: Case, day: dt.date, today: dt.date | None = None, rules: RuleSet = PRC_RULES) -> list[dict]:
    """Everyone held or possibly held on day, using every event known now; flags counted from today (default: day)."""
    rows = [p.as_dict(day, today) for p in custody_people(case, rules)]
    held = [row for row in rows if row["status"] in HELD_OR_POSSIBLY]
    return sorted(held, key=lambda row: (row["status"] != "held", row["person_id"]))


def person_status(case: Case, person_id: str, day: dt.date | None = None, today: dt.date | None = None,
                  rules: RuleSet = PRC_RULES, readable: tuple[str, ...] = ("public", "restricted", "secret")) -> dict:
    """One person's status on day (default today), expected release, flags and the timeline with its sources.

    person_id is a person's id, or SOURCE:RECORD_ID of any record: a record linked to a person
    stands for that person (all their records' events), a record not linked for itself.
    """
    day = day or dt.date.today()
    key = resolve_person(person_id)
    found = custody_people(case, rules, person=key, readable=readable)
    if not found:
        what = f"{person_id!r}" if key == person_id else f"{person_id!r} (a record of person {key})"
        raise LookupError(f"no custody events for {what}: give a person id from `mingdan status --as-of DATE`, "
                          "or SOURCE:RECORD_ID of a record")
    result = found[0].as_dict(day, today)
    result["timeline"] = _public(found[0].timeline)
    if key != person_id:
        result["asked_for"] = person_id
    return result


def resolve_person(text: str) -> str:
    """The person key a person id or a SOURCE:RECORD_ID stands for (the record's person once it is linked)."""
    from mingdan.store.models import Person, Record

    if ":" not in text or Person.objects.filter(person_id=text).exists():
        return text
    # Source names and record ids may hold a colon themselves: try every place the text could be cut.
    for at in (i for i, ch in enumerate(text) if ch == ":"):
        record = (Record.objects.filter(source__name=text[:at], record_id=text[at + 1:])
                  .select_related("person").first())
        if record is not None:
            return record.person.person_id if record.person_id else text
    return text


def _person_key(record) -> str:
    return record.person.person_id if record.person_id else f"{record.source.name}:{record.record_id}"


def _steps(events) -> tuple[list[Step], list[dict]]:
    """Custody steps, identical statements from several sources merged, with where each is stated."""
    merged: dict[tuple, dict] = {}
    for event in events:
        custody = getattr(event, "custody", None)
        kind = custody.sentence_kind if custody else ""
        term = custody.term if custody else ""
        reprieve = custody.reprieve if custody else ""
        facility = reveal(custody.facility) if custody else ""
        date_text = reveal(event.date_edtf)
        key = (event.event_type, date_text, kind, term, reprieve)
        locator = f"{event.record.source.name} {event.document.original_name}:{event.row}"
        if key in merged:
            merged[key]["sources"].append(locator)
            merged[key]["_from"].add(event.record.source.name)
            continue
        bounds = _bounds(date_text) if date_text and event.date_earliest is None else (event.date_earliest, event.date_latest)
        merged[key] = {"event": event.event_type, "date": date_text or None,
                       "earliest": _iso(bounds[0]), "latest": _iso(bounds[1]),
                       "sentence_kind": kind or None, "term": term or None, "reprieve": reprieve or None,
                       "facility": facility or None, "sources": [locator],
                       "_from": {event.record.source.name}}
    steps = [_step(entry) for entry in merged.values()]
    return steps, list(merged.values())


def _public(timeline: list[dict]) -> list[dict]:
    return [{k: v for k, v in entry.items() if not k.startswith("_")} for entry in timeline]


def _step(entry: dict) -> Step:
    try:
        date = parse_date(entry["date"]) if entry["date"] else None
    except DateError:
        date = None  # the importer stores only dates it could parse; older rows are shown undated
    return Step(event=entry["event"], date=date, sentence_kind=entry["sentence_kind"] or "",
                term=parse_duration(entry["term"]) if entry["term"] else None,
                reprieve=parse_duration(entry["reprieve"]) if entry["reprieve"] else None,
                source="; ".join(entry["sources"]))


def _conflicts(timeline: list[dict]) -> list[dict]:
    """Sources that date the same one-off step on days that cannot be the same."""
    flags = []
    for event in ("detained", "arrested", "sentenced", "released", "died_in_custody"):
        dated = [t for t in timeline if t["event"] == event and t["earliest"]]
        for i, a in enumerate(dated):
            for b in dated[i + 1:]:
                if a["_from"] & b["_from"]:
                    continue  # one source stating two such steps tells a history (re-detention), not a conflict
                if a["latest"] < b["earliest"] or b["latest"] < a["earliest"]:
                    flags.append({"code": "dates_disagree", "event": event, "date_a": a["date"],
                                  "source_a": a["sources"][0], "date_b": b["date"], "source_b": b["sources"][0]})
    return flags


def _bounds(text: str) -> tuple[dt.date | None, dt.date | None]:
    """Bounds of a date stored sealed (a restricted date keeps no bounds in the database)."""
    try:
        parsed = parse_date(text)
    except DateError:
        return None, None
    return parsed.earliest, parsed.latest


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
