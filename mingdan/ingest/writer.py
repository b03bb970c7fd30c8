"""Writing validated rows with plain batched INSERTs inside the caller's transaction.

The ORM would build a Python object per claim; for lists of a million records that is most
of the import's time, so rows go in as tuples through the same connection and transaction.
"""

from __future__ import annotations

from django.core.management.color import no_style
from django.db import connection

from mingdan.store.models import CUSTODY_EVENT_TYPES, Claim, CustodyEvent, Event, Name, Record

from .fields import Value
from .validate import ValidRow

BATCH = 5000
_COLUMNS = {
    Record: ("id", "source_id", "record_id", "first_document_id", "person_id"),
    Event: ("id", "record_id", "event_type", "date_edtf", "date_earliest", "date_latest", "place",
            "document_id", "row", "superseded_in_id"),
    CustodyEvent: ("id", "event_id", "facility", "sentence_kind", "term", "reprieve"),
    Claim: ("id", "record_id", "event_id", "field", "value", "normalized", "kind", "value_min",
            "value_max", "date_earliest", "date_latest", "document_id", "row", "column",
            "entered_by", "entered_at", "confidence", "verification", "sensitivity",
            "supersedes_id", "superseded_in_id"),
    Name: ("id", "record_id", "claim_id", "text", "script", "romanization", "name_type"),
}
# Write order respects foreign keys within a batch.
_ORDER = (Record, Event, CustodyEvent, Claim, Name)
for _model, _names in _COLUMNS.items():
    assert _names == tuple(f.column for f in _model._meta.concrete_fields), _model


class BatchWriter:
    """Buffers rows per table, assigns ids, and flushes them with executemany."""

    def __init__(self, source_id: int, document_id: int):
        self.source_id = source_id
        self.document_id = document_id
        self.cursor = connection.cursor()
        self._lock_tables()
        self.next_id = {model: self._max_id(model) + 1 for model in _ORDER}
        self.buffers: dict = {model: [] for model in _ORDER}
        self.sql = {model: self._insert_sql(model) for model in _ORDER}
        self.record_ids: dict[str, int] = dict(
            Record.objects.filter(source_id=source_id).values_list("record_id", "id")
        )
        self.counts = {"records_new": 0, "claims": 0, "events": 0, "names": 0}
        self.adapt_date = connection.ops.adapt_datefield_value
        self.pending = 0

    def write(self, row: ValidRow) -> None:
        """Add one validated row."""
        record = self.record_ids.get(row.record_id)
        if record is None:
            record = self._add(Record, (self.source_id, row.record_id, self.document_id, None))
            self.record_ids[row.record_id] = record
            self.counts["records_new"] += 1
        event_id = None
        if row.event is not None:
            place = next((v.normalized for v in row.event_values if v.field == "place" and v.kind == "exact"), "")
            when = next((v for v in row.event_values if v.field == "event_date"), None)
            event_id = self._add(Event, (
                record, row.event.normalized, when.normalized if when else "",
                self.adapt_date(when.earliest) if when else None,
                self.adapt_date(when.latest) if when else None,
                place, self.document_id, row.row, None,
            ))
            self.counts["events"] += 1
            self._claim(record, event_id, row.row, row.event)
            self._custody(event_id, row)
            for value in row.event_values:
                self._claim(record, event_id, row.row, value)
        for value in row.record_values:
            claim_id = self._claim(record, None, row.row, value)
            if value.field in ("name", "name_variants") and value.kind == "exact":
                script, romanization = value.extra
                name_type = "legal" if value.field == "name" else ("romanized" if script == "latin" else "variant")
                self._add(Name, (record, claim_id, value.normalized, script, romanization, name_type))
                self.counts["names"] += 1
        self.pending += 1
        if self.pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Send the buffered rows to the database."""
        for model in _ORDER:
            rows = self.buffers[model]
            if rows:
                self.cursor.executemany(self.sql[model], rows)
                rows.clear()
        self.pending = 0

    def finish(self) -> dict:
        """Flush, bring id sequences up to date, and return the counts."""
        self.flush()
        for statement in connection.ops.sequence_reset_sql(no_style(), list(_ORDER)):
            self.cursor.execute(statement)
        return self.counts

    def _claim(self, record: int, event_id: int | None, row: int, value: Value) -> int:
        self.counts["claims"] += 1
        return self._add(Claim, (
            record, event_id, value.field, value.raw, value.normalized, value.kind,
            value.value_min, value.value_max,
            self.adapt_date(value.earliest) if value.earliest else None,
            self.adapt_date(value.latest) if value.latest else None,
            self.document_id, row, value.column, "", None, None, "unverified", value.sensitivity,
            None, None,
        ))

    def _custody(self, event_id: int, row: ValidRow) -> None:
        if row.event.normalized not in CUSTODY_EVENT_TYPES:
            return
        facility = next((v.normalized for v in row.event_values if v.field == "facility" and v.kind == "exact"), "")
        sentence = next((v for v in row.event_values if v.field == "sentence" and v.kind == "exact"), None)
        kind, term, reprieve = ("", "", "")
        if sentence is not None:
            kind, term, reprieve = sentence.extra
            if row.event.normalized == "reduced":
                kind = "reduction"
        self._add(CustodyEvent, (event_id, facility, kind, term, reprieve))

    def _add(self, model, values: tuple) -> int:
        new_id = self.next_id[model]
        self.next_id[model] = new_id + 1
        self.buffers[model].append((new_id, *values))
        return new_id

    def _insert_sql(self, model) -> str:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(name) for name in _COLUMNS[model])
        marks = ", ".join(["%s"] * len(_COLUMNS[model]))
        return f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"

    def _max_id(self, model) -> int:
        self.cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
        return self.cursor.fetchone()[0] or 0

    def _lock_tables(self) -> None:
        # SQLite already holds the write lock (IMMEDIATE transaction); PostgreSQL needs the
        # tables locked so that no other writer takes the ids this import assigns itself.
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _ORDER)
            self.cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")
