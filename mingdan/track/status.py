"""Custody status of every person in a case on any date, from the stored events."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from mingdan.custody import PRC_RULES, RuleSet, Step, analyse
from mingdan.custody.compute import CUSTODY, FLAG_TEXT, STARTS, CustodyView
from mingdan.dates import DateError, parse_date, parse_duration
from mingdan.store.case import Case
from mingdan.store.lens import Lens, event_types_q
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
        details = [*self.view.flag_details(today or day), *self.conflicts]
        release, last = self.view.expected_release, self.view.last_confirmation
        return {
            "person_id": self.person_id, "linked": self.linked, "record_ids": self.record_ids,
            "name": self.name, "as_of": day.isoformat(), "status": self.view.status_on(day),
            "sentence": self.view.sentence or None,
            "sentence_on_day": self.view.sentence_on(day),
            "custody_start": str(self.view.custody_start) if self.view.custody_start else None,
            "expected_release_earliest": release.earliest.isoformat() if release else None,
            "expected_release_latest": release.latest.isoformat() if release else None,
            "ended_by": self.view.ended_by.event if self.view.ended_by else None,
            # When the end is undated its day is unknown: said so, never left blank for a reader to fill with today.
            "ended_on": (str(self.view.ended_by.date) if self.view.ended_by.date else "unknown")
            if self.view.ended_by else None,
            "last_confirmation": str(last) if last else None,
            "flags": [FLAG_TEXT[flag["code"]].format(**flag) for flag in details],
            "flag_details": details,
            "notes": self.view.notes,
        }


_FIRST_DAY = dt.date.min
#: The columns of an event and its custody step that a custody history reads.
_COLUMNS = ("id", "record_id", "event_type", "type_sensitivity", "date_edtf", "date_sensitivity", "date_earliest",
            "date_latest", "row", "document_id", "custody__facility", "custody__facility_sensitivity",
            "custody__sentence_kind", "custody__term", "custody__reprieve", "custody__sentence_sensitivity")


@dataclass
class _Event:
    """One event as a reader may see it: a value the lens withholds is None, and named in `withheld`."""

    record_pk: int
    person_key: str
    linked: bool
    source: str
    record_label: str
    event_type: str
    date_text: str | None
    earliest: dt.date | None
    latest: dt.date | None
    locator: str
    facility: str | None
    sentence: tuple[str, str, str]
    withheld: tuple[str, ...]


def _events(lens: Lens, person: str | None) -> list[_Event]:
    """The current custody and killing events readable through the lens (of one person, or of everyone).

    Records, sources and documents are read once each into dictionaries rather than joined to
    every event: on 100,000 events the joins were most of the time.
    """
    from mingdan.store.models import Document, Event, Record, Source

    events = Event.objects.filter(event_types_q(lens, CUSTODY | {"killed"}), superseded_in__isnull=True)
    records = Record.objects.all()
    if person is not None:
        source, _, record_id = person.partition(":")
        records = (records.filter(source__name=source, record_id=record_id, person__isnull=True) if record_id
                   else records.filter(person__person_id=person))
        events = events.filter(record__in=records.values("pk"))
    # Sorted here, undated first: SQLite walking its date index to sort would read the rows out of order.
    rows = sorted(events.order_by().values_list(*_COLUMNS).iterator(chunk_size=10_000),
                  key=lambda row: (row[6] is not None, row[6] or _FIRST_DAY, row[0]))
    about = {pk: (source_id, record_id, person_id) for pk, source_id, record_id, person_id in
             (records if person is not None else Record.objects.filter(pk__in={row[1] for row in rows}) if len(rows) < 5000
              else records).order_by().values_list("pk", "source_id", "record_id", "person__person_id").iterator()}
    sources = dict(Source.objects.values_list("pk", "name"))
    documents = dict(Document.objects.filter(pk__in={row[9] for row in rows}).values_list("pk", "original_name"))

    def shown(value: str | None, level: str, record: int) -> str:
        return (value or "") if level == "public" else (lens.value(value or "", level, record) or "")

    found = []
    for (pk, record_pk, event_type, type_level, date_text, date_level, earliest, latest, row, document, facility,
         facility_level, kind, term, reprieve, sentence_level) in rows:
        source_id, record_id, person_id = about[record_pk]
        source = sources[source_id]
        withheld = () if type_level == date_level == (facility_level or "public") == (sentence_level or "public") \
            == "public" else tuple(name for name, level, value in (("date", date_level, date_text),
                                                                   ("facility", facility_level, facility),
                                                                   ("sentence", sentence_level, kind or term))
                                   if value and not lens.may(level))
        sentence_level = sentence_level or "public"
        found.append(_Event(
            record_pk=record_pk, person_key=person_id or f"{source}:{record_id}", linked=person_id is not None,
            source=source, record_label=f"{source}:{record_id}", event_type=shown(event_type, type_level, record_pk),
            date_text=shown(date_text, date_level, record_pk) or None, earliest=earliest, latest=latest,
            # Below editor no row number: their gaps would show where hidden harassed rows are.
            locator=f"{source} {documents[document]}" + ("" if lens.hides_events() else f":{row}"),
            facility=shown(facility, facility_level or "public", record_pk) or None,
            sentence=(shown(kind, sentence_level, record_pk), shown(term, sentence_level, record_pk),
                      shown(reprieve, sentence_level, record_pk)), withheld=withheld))
    return found


def custody_people(case: Case, rules: RuleSet = PRC_RULES, person: str | None = None,
                   lens: Lens | None = None, named: bool = True) -> list[PersonCustody]:
    """Every person (or unlinked record) with at least one custody event, analysed under the rules.

    Only what the lens may read takes part (the command line reads everything); `person` reads
    that one person's events only. Names are chosen by the one display rule from the name forms
    the lens may read; without `named`, no name is chosen (counts and statuses need none).
    """
    lens = lens or Lens.everything()
    groups: dict[str, list[_Event]] = defaultdict(list)
    for event in _events(lens, person):
        groups[event.person_key].append(event)
    # Choosing a name was half the time of everyone's custody (38 of 73 s at 744,883 records), for figures that
    # show no name.
    names = person_names({key: sorted({event.record_pk for event in found}) for key, found in groups.items()},
                         lens.readable) if named else {}
    people = []
    for key, found in groups.items():
        if not any(event.event_type in STARTS for event in found):
            continue  # killed without ever being held: not a custody history
        steps, timeline = _steps(found)
        people.append(PersonCustody(
            person_id=key, linked=found[0].linked, record_ids=sorted({e.record_label for e in found}),
            name=names[key].name if key in names else None, view=analyse(steps, rules),
            conflicts=_conflicts(timeline), timeline=timeline))
    return sorted(people, key=lambda p: p.person_id)


def held_on(case: Case, day: dt.date, today: dt.date | None = None, rules: RuleSet = PRC_RULES) -> list[dict]:
    """Everyone held or possibly held on day, using every event known now; flags counted from today (default: day)."""
    rows = [p.as_dict(day, today) for p in custody_people(case, rules)]
    held = [row for row in rows if row["status"] in HELD_OR_POSSIBLY]
    return sorted(held, key=lambda row: (row["status"] != "held", row["person_id"]))


def person_status(case: Case, person_id: str, day: dt.date | None = None, today: dt.date | None = None,
                  rules: RuleSet = PRC_RULES, lens: Lens | None = None) -> dict:
    """One person's status on day (default today), expected release, flags and the timeline with its sources.

    person_id is a person's id, or SOURCE:RECORD_ID of any record: a record linked to a person
    stands for that person (all their records' events), a record not linked for itself.
    """
    day = day or dt.date.today()
    key = resolve_person(person_id)
    found = custody_people(case, rules, person=key, lens=lens)
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


def _steps(events: list[_Event]) -> tuple[list[Step], list[dict]]:
    """Custody steps, identical statements from several sources merged, with where each is stated."""
    merged: dict[tuple, dict] = {}
    for event in events:
        kind, term, reprieve = event.sentence
        key = (event.event_type, event.date_text, kind, term, reprieve)
        if key in merged:
            merged[key]["sources"].append(event.locator)
            merged[key]["_from"].add(event.source)
            merged[key]["withheld"] = sorted(set(merged[key]["withheld"]) | set(event.withheld))
            continue
        bounds = (_bounds(event.date_text) if event.date_text and event.earliest is None
                  else (event.earliest, event.latest))
        merged[key] = {"event": event.event_type, "date": event.date_text,
                       "earliest": _iso(bounds[0]), "latest": _iso(bounds[1]),
                       "sentence_kind": kind or None, "term": term or None, "reprieve": reprieve or None,
                       "facility": event.facility, "sources": [event.locator], "withheld": list(event.withheld),
                       "_from": {event.source}}
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
