"""Turning validated rows into the tuples of the five tables an import writes, ids included.

Pure: no database. The writer (in this process) or the import worker (a second process, so
that validating and writing use both cores) runs it; the tuples go to the database unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from mingdan.store.sortkey import natural_key

from .fields import HARASSMENT_FIELDS, Value
from .validate import RowValidator, ValidRow

if TYPE_CHECKING:
    from .readers import Table

#: Tables in an order that respects foreign keys within a batch.
TABLES = ("record", "event", "custodyevent", "harassmentevent", "claim", "name")
_LEVELS = ("public", "restricted", "secret")
#: The harassment details sealed at one level (HarassmentEvent.kind_sensitivity): their claims share it too.
SHARED_LEVEL = ("harassment", "tied_to", "duration")


def stricter(first: str, second: str) -> str:
    """The more protected of two sensitivities."""
    return max(first, second, key=_LEVELS.index)
#: Rows per batch handed to the database.
BATCH = 5000


class RowBuilder:
    """Buffers each table's rows as tuples, assigning ids; `take()` hands over a batch."""

    def __init__(self, source_id: int, document_id: int, next_id: dict[str, int], record_ids: dict[str, int],
                 custody_types: frozenset[str], keyring=None, dates_as_text: bool = True):
        self.keyring = keyring  # seals restricted and secret values before they reach the database
        self.source_id = source_id
        self.document_id = document_id
        self.next_id = dict(next_id)
        self.record_ids = record_ids
        self.custody_types = custody_types
        self.dates_as_text = dates_as_text  # SQLite stores dates as ISO text; PostgreSQL takes date objects
        self.buffers: dict[str, list] = {table: [] for table in TABLES}
        self.counts = {"records_new": 0, "claims": 0, "events": 0, "names": 0}
        self.pending = 0
        # (row, record's own id, its database id, relation Value, relation_of Value): resolved once
        # every row is in, since relation_of may name a record further down the file.
        self.relations: list[tuple] = []

    def write(self, row: ValidRow) -> bool:
        """Add one validated row; True when a full batch is waiting."""
        record = self.record_ids.get(row.record_id)
        if record is None:
            record = self._add("record", (self.source_id, row.record_id, self.document_id, None,
                                          natural_key(row.record_id)))
            self.record_ids[row.record_id] = record
            self.counts["records_new"] += 1
        if row.event is not None:
            event_values = self._harassment_levels(row)
            event_id = self._event(record, row, event_values)
            self._claim(record, event_id, row.row, row.event)
            for value in event_values:
                self._claim(record, event_id, row.row, value)
        if row.relation is not None:
            self.relations.append((row.row, row.record_id, record, *row.relation))
        for value in row.record_values:
            claim_id = self._claim(record, None, row.row, value)
            if value.field in ("name", "name_variants") and value.kind == "exact":
                script, romanization, *stated = value.extra
                # A pseudonym (化名) and another name (又名, 原名) say their type; else the field and script do.
                name_type = stated[0] if stated else (
                    "legal" if value.field == "name" else ("romanized" if script == "latin" else "variant"))
                text = value.normalized if value.sensitivity == "public" else self._seal(value.normalized)
                self._add("name", (record, claim_id, text, script, romanization, name_type))
                self.counts["names"] += 1
        self.pending += 1
        return self.pending >= BATCH

    def take(self) -> list[tuple[str, list]]:
        """The buffered rows per table, in write order, and empty buffers after."""
        batch = [(table, self.buffers[table]) for table in TABLES if self.buffers[table]]
        self.buffers = {table: [] for table in TABLES}
        self.pending = 0
        return batch

    def _date(self, value):
        if value is None:
            return None
        return value.isoformat() if self.dates_as_text else value

    def _harassment_levels(self, row: ValidRow) -> list[Value]:
        """The event's values, a harassment detail at least as protected as the event type: else a
        public perpetrator or duration would tell that a sealed event is a harassment."""
        level = row.event.sensitivity
        # Kind, tied-to and duration share one level (the details keep one): a secret duration makes the kind
        # and tied-to secret too, or their claims would say at a lower level what the sealed details hold.
        shared = level
        for value in row.event_values:
            if value.field in SHARED_LEVEL:
                shared = stricter(shared, value.sensitivity)
        wanted = {value.field: shared if value.field in SHARED_LEVEL else level for value in row.event_values}
        return [replace(value, sensitivity=stricter(value.sensitivity, wanted[value.field]))
                if value.field in HARASSMENT_FIELDS and value.sensitivity != stricter(value.sensitivity,
                                                                                      wanted[value.field])
                else value for value in row.event_values]

    def _event(self, record: int, row: ValidRow, event_values: list[Value]) -> int:
        """The event and its custody step; every value whose column is not public is sealed, with its sensitivity."""
        place = facility = ""
        when = sentence = sealed_date = None
        levels = {"event": row.event.sensitivity, "event_date": "public", "place": "public", "facility": "public",
                  "sentence": "public"}
        harassment = {}
        for value in event_values:
            if value.field in HARASSMENT_FIELDS:
                if value.kind == "exact":
                    harassment[value.field] = value
                continue
            if value.kind in ("unknown", "withheld", "refused"):
                continue  # stated as absent: the claim says so, the event keeps no value
            hidden = value.sensitivity != "public"
            levels[value.field] = value.sensitivity
            if value.field == "place":
                place = self._seal(value.normalized) if hidden else value.normalized
            elif value.field == "event_date":
                when = value if not hidden else None
                sealed_date = self._seal(value.normalized) if hidden else None
            elif value.field == "facility":
                facility = self._seal(value.normalized) if hidden else value.normalized
            elif value.field == "sentence":
                sentence = value
        event_type = row.event.normalized
        event_id = self._add("event", (
            record, self._seal(event_type) if levels["event"] != "public" else event_type,
            when.normalized if when else (sealed_date or ""),
            self._date(when.earliest) if when else None,
            self._date(when.latest) if when else None,
            place, levels["event"], levels["event_date"], levels["place"], row.row,
        ))
        self.counts["events"] += 1
        if event_type in self.custody_types:
            kind, term, reprieve = sentence.extra if sentence is not None else ("", "", "")
            if sentence is not None and event_type == "reduced" and not row.new_sentence:
                kind = "reduction"
            if levels["sentence"] != "public":
                kind, term, reprieve = self._seal(kind), self._seal(term), self._seal(reprieve)
            self._add("custodyevent", (event_id, facility, kind, term, reprieve, levels["facility"],
                                       levels["sentence"]))
        if event_type == "harassed" and harassment:
            self._harassment(event_id, levels["event"], harassment)
        return event_id

    def _harassment(self, event_id: int, type_level: str, values: dict[str, Value]) -> None:
        """The harassment details; kind, tied-to and duration sealed with the kind, the perpetrator with its own level."""
        kind = values.get("harassment")
        # One level seals kind, tied-to and duration (the model keeps one): the most protected of theirs.
        kind_level = type_level
        for name in ("harassment", "tied_to", "duration"):
            if name in values:
                kind_level = stricter(kind_level, values[name].sensitivity)
        perpetrator = values.get("perpetrator")
        perpetrator_level = perpetrator.sensitivity if perpetrator else kind_level

        def text(value: Value | None, level: str) -> str:
            if value is None:
                return ""
            return self._seal(value.normalized) if level != "public" else value.normalized

        self._add("harassmentevent", (event_id, text(kind, kind_level), text(perpetrator, perpetrator_level),
                                      text(values.get("tied_to"), kind_level), text(values.get("duration"), kind_level),
                                      kind_level, perpetrator_level))

    def _claim(self, record: int, event_id: int | None, row: int, value: Value) -> int:
        self.counts["claims"] += 1
        if value.sensitivity != "public":
            # Sealed, with no derived bounds: a restricted birth date or age must not leak through them.
            return self._add("claim", (
                record, event_id, value.field, self._seal(value.raw), self._seal(value.normalized), value.kind,
                None, None, None, None, row, value.column, value.sensitivity,
            ))
        return self._add("claim", (
            record, event_id, value.field, value.raw, value.normalized, value.kind,
            value.value_min, value.value_max, self._date(value.earliest), self._date(value.latest),
            row, value.column, value.sensitivity,
        ))

    def _seal(self, text: str) -> str:
        if self.keyring is None:
            raise RuntimeError("a restricted value cannot be written without the case key")
        return self.keyring.seal(text) if text else text

    def _add(self, table: str, values: tuple) -> int:
        new_id = self.next_id[table]
        self.next_id[table] = new_id + 1
        self.buffers[table].append((new_id, *values))
        return new_id


def build_rows(table: "Table", validator: RowValidator, builder: RowBuilder, write_after_problem: bool,
               emit: Callable[[list], object], progress: Callable[[int], object] | None = None) -> tuple[int, dict]:
    """Validate every row of the table, handing full batches to `emit`; the row count and rejected rows."""
    rejected: dict = {}
    rows = 0
    for row, cells in table.rows():
        _misshapen(table, rejected)
        rows += 1
        valid, problems = validator.validate(row, cells)
        if problems:
            rejected[row] = problems
        elif write_after_problem or not rejected:
            if builder.write(valid):
                emit(builder.take())
        elif valid.relation is not None:
            # Not written (the import fails), but checked with the other problems, not in a later round.
            builder.relations.append((valid.row, valid.record_id, None, *valid.relation))
        if progress is not None and rows % 10_000 == 0:
            progress(rows)
    _misshapen(table, rejected)
    table.script_doubts = validator.script_doubts
    table.names_kept_whole = validator.kept_whole
    # Refused rows' relation_of cells (record None: never written) are checked with every other problem.
    builder.relations.extend(validator.refused_relations)
    if write_after_problem or not rejected:
        emit(builder.take())
    return rows, rejected


def _misshapen(table: "Table", rejected: dict) -> None:
    """Move the rows the reader skipped for their shape into the rejected rows (each reported once)."""
    while table.problems:
        problem = table.problems.pop(0)
        rejected.setdefault(problem.row, []).append(problem)
