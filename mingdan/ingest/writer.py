"""Writing prepared rows with plain batched INSERTs inside the caller's transaction.

The ORM would build a Python object per claim; for lists of a million records that is most
of the import's time, so rows go in as tuples through the same connection and transaction.
For an import validated in this process, a helper thread on SQLite runs each batch's INSERTs
while the next batch is validated (the sqlite3 module releases the GIL while SQLite works).
"""

from __future__ import annotations

import queue
import threading

from django.core.management.color import no_style
from django.db import connection

from mingdan.store.models import CUSTODY_EVENT_TYPES, Claim, CustodyEvent, Event, HarassmentEvent, Name, Record

from .rows import TABLES, RowBuilder

# Columns every row of one import shares: written once into the INSERT statement instead of
# bound per row, because binding parameters is most of the cost of a wide claims row.
_SHARED = {
    Event: {"document_id": "document", "superseded_in_id": None},
    Claim: {"document_id": "document", "entered_by": "", "entered_at": None, "confidence": None,
            "verification": "unverified", "supersedes_id": None, "superseded_in_id": None},
}
_COLUMNS = {
    Record: ("id", "source_id", "record_id", "first_document_id", "person_id", "sort_key"),
    Event: ("id", "record_id", "event_type", "date_edtf", "date_earliest", "date_latest", "place",
            "type_sensitivity", "date_sensitivity", "place_sensitivity", "document_id", "row", "superseded_in_id"),
    CustodyEvent: ("id", "event_id", "facility", "sentence_kind", "term", "reprieve", "facility_sensitivity",
                   "sentence_sensitivity"),
    HarassmentEvent: ("id", "event_id", "kind", "perpetrator", "tied_to", "duration", "kind_sensitivity",
                      "perpetrator_sensitivity"),
    Claim: ("id", "record_id", "event_id", "field", "value", "normalized", "kind", "value_min",
            "value_max", "date_earliest", "date_latest", "document_id", "row", "column",
            "entered_by", "entered_at", "confidence", "verification", "sensitivity",
            "supersedes_id", "superseded_in_id"),
    Name: ("id", "record_id", "claim_id", "text", "script", "romanization", "name_type"),
}
_MODELS = {"record": Record, "event": Event, "custodyevent": CustodyEvent, "harassmentevent": HarassmentEvent,
           "claim": Claim, "name": Name}
assert tuple(_MODELS) == TABLES
for _model, _names in _COLUMNS.items():
    assert _names == tuple(f.column for f in _model._meta.concrete_fields), _model


class BatchWriter:
    """Runs batches of prepared rows (see rows.RowBuilder) as executemany, in the caller's transaction."""

    def __init__(self, source_id: int, document_id: int, keyring=None, background: bool = True):
        self.source_id = source_id
        self.document_id = document_id
        self.keyring = keyring
        self.cursor = connection.cursor()
        self._lock_tables()
        self.next_id = {table: self._max_id(model) + 1 for table, model in _MODELS.items()}
        self.sql = {table: self._insert_sql(model) for table, model in _MODELS.items()}
        # SQLite: a helper thread runs each batch while this one validates the next (in-process imports).
        self.sender = _BackgroundSender() if background and connection.vendor == "sqlite" else None

    def builder_arguments(self) -> dict:
        """What a RowBuilder needs to assign this import's ids (picklable, for the worker)."""
        return {"source_id": self.source_id, "document_id": self.document_id, "next_id": self.next_id,
                "record_ids": dict(Record.objects.filter(source_id=self.source_id).values_list("record_id", "id")),
                "custody_types": frozenset(CUSTODY_EVENT_TYPES),
                "keyring": self.keyring, "dates_as_text": connection.vendor == "sqlite"}

    def builder(self) -> RowBuilder:
        """A RowBuilder for this import."""
        return RowBuilder(**self.builder_arguments())

    def execute(self, batch: list[tuple[str, list]]) -> None:
        """Write one batch: (table, rows) in foreign-key order."""
        if not batch:
            return
        statements = [(self.sql[table], rows) for table, rows in batch]
        if self.sender is not None:
            self.sender.send(statements)
        else:
            for sql, rows in statements:
                self.cursor.executemany(sql, rows)

    def finish(self) -> None:
        """Wait for the database and bring id sequences up to date."""
        if self.sender is not None:
            self.sender.close()
        for statement in connection.ops.sequence_reset_sql(no_style(), list(_MODELS.values())):
            self.cursor.execute(statement)

    def abandon(self) -> None:
        """Stop the helper thread without writing more (the caller rolls back)."""
        if self.sender is not None:
            self.sender.close(discard=True)

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
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in _MODELS.values())
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
