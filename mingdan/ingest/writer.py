"""Writing validated rows with plain batched INSERTs inside the caller's transaction.

The ORM would build a Python object per claim; for lists of a million records that is most
of the import's time, so rows go in as tuples through the same connection and transaction.
On SQLite a helper thread runs each batch's INSERTs while the next batch is validated: the
sqlite3 module releases the GIL while SQLite works, so both cores are busy.
"""

from __future__ import annotations

import queue
import threading

from django.core.management.color import no_style
from django.db import connection

from mingdan.store.models import CUSTODY_EVENT_TYPES, Claim, CustodyEvent, Event, Name, Record

from .fields import Value
from .validate import ValidRow

BATCH = 5000
# Columns every row of one import shares: written once into the INSERT statement instead of
# bound per row, because binding parameters is most of the cost of a wide claims row.
_SHARED = {
    Event: {"document_id": "document", "superseded_in_id": None},
    Claim: {"document_id": "document", "entered_by": "", "entered_at": None, "confidence": None,
            "verification": "unverified", "supersedes_id": None, "superseded_in_id": None},
}
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

    def __init__(self, source_id: int, document_id: int, keyring=None):
        self.keyring = keyring  # seals restricted and secret values before they reach the database
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
        self.sender = _BackgroundSender() if connection.vendor == "sqlite" else None

    def write(self, row: ValidRow) -> None:
        """Add one validated row."""
        record = self.record_ids.get(row.record_id)
        if record is None:
            record = self._add(Record, (self.source_id, row.record_id, self.document_id, None))
            self.record_ids[row.record_id] = record
            self.counts["records_new"] += 1
        if row.event is not None:
            event_id = self._event(record, row)
            self._claim(record, event_id, row.row, row.event)
            for value in row.event_values:
                self._claim(record, event_id, row.row, value)
        for value in row.record_values:
            claim_id = self._claim(record, None, row.row, value)
            if value.field in ("name", "name_variants") and value.kind == "exact":
                script, romanization = value.extra
                name_type = "legal" if value.field == "name" else ("romanized" if script == "latin" else "variant")
                text = value.normalized if value.sensitivity == "public" else self._seal(value.normalized)
                self._add(Name, (record, claim_id, text, script, romanization, name_type))
                self.counts["names"] += 1
        self.pending += 1
        if self.pending >= BATCH:
            self.flush()

    def flush(self) -> None:
        """Send the buffered rows to the database."""
        batch = [(self.sql[model], self.buffers[model]) for model in _ORDER if self.buffers[model]]
        self.buffers = {model: [] for model in _ORDER}
        self.pending = 0
        if self.sender is not None:
            self.sender.send(batch)
        else:
            for sql, rows in batch:
                self.cursor.executemany(sql, rows)

    def finish(self) -> dict:
        """Flush, wait for the database, bring id sequences up to date, return the counts."""
        self.flush()
        if self.sender is not None:
            self.sender.close()
        for statement in connection.ops.sequence_reset_sql(no_style(), list(_ORDER)):
            self.cursor.execute(statement)
        return self.counts

    def abandon(self) -> None:
        """Stop the helper thread without writing more (the caller rolls back)."""
        if self.sender is not None:
            self.sender.close(discard=True)

    def _event(self, record: int, row: ValidRow) -> int:
        place = facility = ""
        when = sentence = sealed_date = None
        for value in row.event_values:
            if value.kind in ("unknown", "withheld", "refused"):
                continue  # stated as absent: the claim says so, the event keeps no value
            hidden = value.sensitivity != "public"
            if value.field == "place":
                place = self._seal(value.normalized) if hidden else value.normalized
            elif value.field == "event_date":
                when = value if not hidden else None
                sealed_date = self._seal(value.normalized) if hidden else None
            elif value.field == "facility":
                facility = self._seal(value.normalized) if hidden else value.normalized
            elif value.field == "sentence":
                sentence = value
        event_id = self._add(Event, (
            record, row.event.normalized, when.normalized if when else (sealed_date or ""),
            self.adapt_date(when.earliest) if when else None,
            self.adapt_date(when.latest) if when else None,
            place, row.row,
        ))
        self.counts["events"] += 1
        if row.event.normalized in CUSTODY_EVENT_TYPES:
            kind, term, reprieve = sentence.extra if sentence is not None else ("", "", "")
            if sentence is not None and row.event.normalized == "reduced":
                kind = "reduction"
            self._add(CustodyEvent, (event_id, facility, kind, term, reprieve))
        return event_id

    def _claim(self, record: int, event_id: int | None, row: int, value: Value) -> int:
        self.counts["claims"] += 1
        if value.sensitivity != "public":
            # Sealed, with no derived bounds: a restricted birth date or age must not leak through them.
            return self._add(Claim, (
                record, event_id, value.field, self._seal(value.raw), self._seal(value.normalized), value.kind,
                None, None, None, None, row, value.column, value.sensitivity,
            ))
        return self._add(Claim, (
            record, event_id, value.field, value.raw, value.normalized, value.kind,
            value.value_min, value.value_max,
            self.adapt_date(value.earliest) if value.earliest else None,
            self.adapt_date(value.latest) if value.latest else None,
            row, value.column, value.sensitivity,
        ))

    def _seal(self, text: str) -> str:
        if self.keyring is None:
            raise RuntimeError("a restricted value cannot be written without the case key")
        return self.keyring.seal(text) if text else text

    def _add(self, model, values: tuple) -> int:
        new_id = self.next_id[model]
        self.next_id[model] = new_id + 1
        self.buffers[model].append((new_id, *values))
        return new_id

    def _insert_sql(self, model) -> str:
        quote = connection.ops.quote_name
        mark = "?" if connection.vendor == "sqlite" else "%s"
        shared = _SHARED.get(model, {})
        bound = [name for name in _COLUMNS[model] if name not in shared]
        literals = [_literal(self.document_id if value == "document" else value) for value in shared.values()]
        columns = ", ".join(quote(name) for name in [*bound, *shared])
        return (f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                f"VALUES ({', '.join([mark] * len(bound) + literals)})")

    def _max_id(self, model) -> int:
        self.cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(model._meta.db_table)}")
        return self.cursor.fetchone()[0] or 0

    def _lock_tables(self) -> None:
        # SQLite already holds the write lock (IMMEDIATE transaction); PostgreSQL needs the
        # tables locked so that no other writer takes the ids this import assigns itself.
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _ORDER)
            self.cursor.execute(f"LOCK TABLE {tables} IN SHARE ROW EXCLUSIVE MODE")


def _literal(value) -> str:
    """SQL text of a value this module chose itself (an id, a fixed word, NULL); never user data."""
    if value is None:
        return "NULL"
    if isinstance(value, int):
        return str(value)
    assert value in ("", "unverified"), value
    return f"'{value}'"


class _BackgroundSender:
    """One thread that runs batches of INSERTs on the transaction's own SQLite connection."""

    def __init__(self):
        connection.ensure_connection()
        self.raw = connection.connection  # Django opens it with check_same_thread=False
        self.queue: queue.Queue = queue.Queue(maxsize=2)  # bounds memory to ~3 batches
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="mingdan-import-writer", daemon=True)
        self.thread.start()

    def send(self, batch: list) -> None:
        self._raise()
        self.queue.put(batch)

    def close(self, discard: bool = False) -> None:
        if discard:
            self.error = self.error or RuntimeError("abandoned")
        self.queue.put(None)
        self.thread.join()
        if not discard:
            self._raise()

    def _run(self) -> None:
        while True:
            batch = self.queue.get()
            if batch is None:
                return
            if self.error is not None:
                continue
            try:
                for sql, rows in batch:
                    self.raw.executemany(sql, rows)
            except BaseException as exc:  # handed to the importing thread
                self.error = exc

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error
