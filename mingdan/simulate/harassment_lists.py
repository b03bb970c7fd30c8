"""The lists that record harassment (relatives and participants), and the truth about what they record."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from .families import RESTRICTIONS, Harassed, TrueHarassment
from .layouts import CANONICAL, Row
from .pools import PLACES

FAMILY_COLUMNS = ["relation", "relation_of", "harassment", "perpetrator", "tied_to", "duration"]


@dataclass(frozen=True)
class HarassmentStyle:
    """One body that records harassment: who it hears of and which events it writes."""

    key: str
    name: str
    kind: str
    capture_relatives: float
    capture_participants: float
    anniversary_only: bool  # writes only the events tied to 4 June
    consent_column: bool  # asks each person whether their name may be published


HARASSMENT_STYLES = [
    HarassmentStyle("f", "Rights monitors", "ngo", 0.75, 0.8, False, False),
    HarassmentStyle("g", "Families' network", "family", 0.5, 0.0, True, True),
]


@dataclass
class HarassmentLists:
    """What each harassment list wrote, and which true events it wrote."""

    harassed: list[Harassed]
    rows: dict[str, list[Row]] = field(default_factory=dict)
    recorded: dict[str, set[int]] = field(default_factory=dict)  # person id -> indexes of events written somewhere
    victim_records: dict[str, tuple[str, str]] = field(default_factory=dict)  # victim id -> (source, record id)


def harassment_lists(rng: np.random.Generator, harassed: list[Harassed],
                     victim_records: dict[str, tuple[str, str]]) -> HarassmentLists:
    """Who each harassment list records, and its rows in the canonical layout with the family columns."""
    lists = HarassmentLists(harassed, victim_records=victim_records)
    for style in HARASSMENT_STYLES:
        rows: list[Row] = []
        number = 0
        for person in harassed:
            chance = style.capture_relatives if person.relation else style.capture_participants
            if rng.random() >= chance:
                continue
            chosen = [i for i, e in enumerate(person.events) if not style.anniversary_only or e.tied_to == "anniversary"]
            if not chosen:
                continue
            number += 1
            record_id = f"{style.key.upper()}-{number:06d}"
            rows += _rows(rng, style, person, record_id, chosen, victim_records)
            lists.recorded.setdefault(person.person_id, set()).update(chosen)
        lists.rows[style.key] = rows
    return lists


def _rows(rng: np.random.Generator, style: HarassmentStyle, person: Harassed, record_id: str, chosen: list[int],
          victim_records: dict[str, tuple[str, str]]) -> list[Row]:
    header = CANONICAL + FAMILY_COLUMNS + (["consent_publish_name"] if style.consent_column else [])
    out = []
    for number, index in enumerate(chosen):
        event = person.events[index]
        first = number == 0
        values = dict.fromkeys(header, "")
        values.update({"record_id": record_id, "place": PLACES[person.stratum][0], "event": "harassed",
                       "event_date": event.edtf, "harassment": event.kind, "perpetrator": event.perpetrator,
                       "tied_to": event.tied_to, "duration": event.duration})
        if first:
            values.update({"name": person.name, "sex": person.sex,
                           "age": str(person.age) if rng.random() < 0.6 else ""})
            if person.relation:
                source, victim_record = victim_records[person.victim_id]
                values.update({"relation": person.relation, "relation_of": f"{source}:{victim_record}"})
            if style.consent_column:
                values["consent_publish_name"] = person.consent
        out.append(Row(record_id, person.person_id, [values[column] for column in header]))
    return out


def write_harassment_lists(lists: HarassmentLists, folder: Path) -> list[Path]:
    """Write list_f/list_g with their mappings, truth.csv and truth_harassment.json into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    truth = []
    for style in HARASSMENT_STYLES:
        header = CANONICAL + FAMILY_COLUMNS + (["consent_publish_name"] if style.consent_column else [])
        path = folder / f"list_{style.key}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(row.cells for row in lists.rows[style.key])
        mapping = {"source": {"name": style.name, "kind": style.kind}, "file": {"encoding": "utf-8"},
                   "columns": {column: column for column in header}}
        path.with_suffix(".yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True, sort_keys=False), "utf-8")
        written += [path, path.with_suffix(".yaml")]
        seen = set()
        for row in lists.rows[style.key]:
            if row.record_id not in seen:
                seen.add(row.record_id)
                truth.append((style.name, row.record_id, row.person_id))
    with open(folder / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "record_id", "person_id"])
        writer.writerows(truth)
    days = [dt.date(2012, 6, 4), dt.date(2019, 6, 4), dt.date(2025, 6, 4)]
    summary = {"by_year": by_year(lists), "relatives": relatives(lists),
               "restricted_on": {day.isoformat(): restricted_on(lists, day) for day in days}}
    (folder / "truth_harassment.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return [*written, folder / "truth.csv", folder / "truth_harassment.json"]


def recorded_events(lists: HarassmentLists) -> dict[str, list[TrueHarassment]]:
    """Each harassed person's events that at least one list wrote (what a perfect count could find)."""
    by_id = {person.person_id: person for person in lists.harassed}
    return {pid: [by_id[pid].events[i] for i in sorted(indexes)] for pid, indexes in sorted(lists.recorded.items())}


def by_year(lists: HarassmentLists) -> dict[str, dict]:
    """Per year of the start: distinct people, events and events by kind, over the recorded events."""
    people: dict[int, set[str]] = defaultdict(set)
    kinds: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pid, events in recorded_events(lists).items():
        for event in events:
            people[event.year].add(pid)
            kinds[event.year][event.kind] += 1
    return {str(year): {"people": len(people[year]), "events": sum(kinds[year].values()),
                        "by_kind": dict(sorted(kinds[year].items()))} for year in sorted(people)}


def relatives(lists: HarassmentLists) -> list[dict]:
    """The recorded relatives: who they are, whose relative, and how."""
    by_id = {person.person_id: person for person in lists.harassed}
    return [{"person_id": pid, "relation": by_id[pid].relation, "victim_id": by_id[pid].victim_id}
            for pid in sorted(lists.recorded) if by_id[pid].relation]


def restricted_on(lists: HarassmentLists, day: dt.date) -> list[str]:
    """People under a recorded restriction of liberty on that day (an open travel ban still runs)."""
    return sorted(pid for pid, events in recorded_events(lists).items()
                  if any(e.kind in RESTRICTIONS and e.start <= day and (e.end is None or day <= e.end) for e in events))
