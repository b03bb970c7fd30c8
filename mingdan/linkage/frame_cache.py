"""The linkage frame kept between runs, sealed, so an incremental run reads only its new records.

Building the frame reads every record's claims and derives the name keys (readings, sounds,
romanizations), most of an incremental run's time. The keys spell out names, some restricted,
so the kept copy is sealed with the case key (AES-GCM, chunk by chunk, like the stored
originals) in the case's cache folder. It holds the rows of records up to one id and a
fingerprint of everything those rows were read from; if the fingerprint no longer matches
(a new version of a list, an amendment, a supersession, a deleted record, a renamed source,
another mingdan version), it is not used. A full run always rebuilds the frame from the store.
"""

from __future__ import annotations

import io
import json
from functools import lru_cache
import os
import struct
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from mingdan.store.private import private_folder

if TYPE_CHECKING:
    import pyarrow as pa

    from mingdan.store.case import Case

FILE = "linkage-frame.sealed"
_LENGTH = struct.Struct("<Q")
_CHUNK = 50_000


class KeptFrame:
    """The sealed frame of one case: loaded by an incremental run, kept again by every run."""

    def __init__(self, case: "Case"):
        from mingdan.store.crypto import CaseKeyError, load_keyring

        from .frame import linkage_view

        self.case = case
        self.view = linkage_view(case)  # every value, or public values only: a frame of the other is not reused
        try:
            self.keyring = load_keyring(case.root)
        except CaseKeyError:
            self.keyring = None  # a case without a key keeps nothing
        self.known: dict | None = None  # the fingerprint of the rows loaded, checked this run

    def load(self) -> "pa.Table":
        """Every current record's frame: the kept rows when still valid, the rest read from the store."""
        import pyarrow as pa

        from .frame import frame_table

        kept = read(self.case, self.keyring, self.values)
        if kept is None:
            return frame_table(view=self.view)
        table, self.known = kept
        return pa.concat_tables([table, frame_table(after=self.known["up_to"], view=self.view)])

    @property
    def values(self) -> str:
        """Which values the frame was read from ("all" or "public"), recorded in the kept frame's header."""
        return "all" if self.view is None else "public"

    def keep(self, frame: "pa.Table") -> None:
        """Seal the frame for the next run; rows checked at load time are not fingerprinted again."""
        write(self.case, self.keyring, frame, self.known, self.values)


def cache_path(case: "Case") -> Path:
    """Where the sealed frame lives in a case."""
    return case.root / "cache" / FILE


def fingerprint(up_to: int, after: int = 0) -> dict:
    """Counts, largest ids and sums over the rows the frame of records after < id <= up_to is read from."""
    from django.db import connection

    from mingdan.store.models import Claim, CustodyEvent, Event, Name, Record

    table = connection.ops.quote_name
    queries = {
        "records": f"SELECT COUNT(*), MAX(id), SUM(source_id), SUM(LENGTH(record_id)), MAX(source_id) FROM "
                   f"{table(Record._meta.db_table)} WHERE id > %s AND id <= %s",
        "names": f"SELECT COUNT(*), MAX(id), SUM(claim_id), SUM(LENGTH(text)) FROM {table(Name._meta.db_table)} "
                 f"WHERE record_id > %s AND record_id <= %s",
        "claims": f"SELECT COUNT(*), MAX(id), SUM(superseded_in_id), SUM(LENGTH(normalized)), SUM(LENGTH(kind)), "
                  f"SUM(CAST(ROUND(value_min * 1000) AS INTEGER)) FROM {table(Claim._meta.db_table)} WHERE record_id > %s AND record_id <= %s",
        "events": f"SELECT COUNT(*), MAX(id), SUM(superseded_in_id), SUM(LENGTH(place)), SUM(LENGTH(event_type)), "
                  f"COUNT(date_earliest), COUNT(date_latest) FROM {table(Event._meta.db_table)} "
                  f"WHERE record_id > %s AND record_id <= %s",
        # The frame compares sentences (frame._sentences).
        "custody": f"SELECT COUNT(*), MAX(c.id), SUM(LENGTH(c.sentence_kind)), SUM(LENGTH(c.term)) FROM "
                   f"{table(CustodyEvent._meta.db_table)} c JOIN {table(Event._meta.db_table)} e ON e.id = c.event_id "
                   f"WHERE e.record_id > %s AND e.record_id <= %s",
    }
    found: dict = {"after": after, "up_to": up_to}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(sql, [after, up_to])
            found[name] = [float(x) if x is not None else None for x in cursor.fetchone()]
    return found


def combined(first: dict, second: dict) -> dict:
    """The fingerprint of two adjacent ranges of records: counts and sums add, the largest ids compare."""
    whole = {"after": first["after"], "up_to": second["up_to"]}
    for name in ("records", "names", "claims", "events", "custody"):
        whole[name] = [_join(name, position, a, b) for position, (a, b) in enumerate(zip(first[name], second[name]))]
    return whole


def _join(name: str, position: int, a, b):
    if a is None or b is None:
        return a if b is None else b
    # Column 1 (and 4 of records) holds a largest id; the others are counts and sums.
    return max(a, b) if position == 1 or (name, position) == ("records", 4) else a + b


def header(found: dict, values: str = "all") -> dict:
    """A fingerprint with what does not depend on the rows: the code, the frame's columns, the sources, and which
    values the rows were read from."""
    from mingdan.store.models import Source

    from .frame import SCHEMA

    newest = found["records"][4] or 0  # a source added since has a higher id and no record here
    sources = [[pk, name] for pk, name in Source.objects.filter(pk__lte=newest).order_by("pk").values_list("pk", "name")]
    return {**found, "code": _code(), "schema": SCHEMA.to_string(), "sources": sources,
            **({"values": values} if values != "all" else {})}


@lru_cache(maxsize=1)
def _code() -> str:
    from mingdan.version import code_version

    return code_version()


def read(case: "Case", keyring, values: str = "all") -> "tuple[pa.Table, dict] | None":
    """The kept frame and the fingerprint it was checked against, or None when absent or out of date."""
    import pyarrow as pa

    from .frame import SCHEMA

    path = cache_path(case)
    if keyring is None or not path.is_file():
        return None
    try:
        with open(path, "rb") as handle:
            stored = json.loads(keyring.reveal_bytes(_next(handle)))
            now = header(fingerprint(stored["up_to"]), values)
            if stored != now:
                return None
            batches = []
            while (chunk := _next(handle, allow_end=True)) is not None:
                batches.extend(pa.ipc.open_stream(keyring.reveal_bytes(chunk)).read_all().to_batches())
    except Exception:  # damaged, foreign or sealed with another key: rebuilt, never trusted
        path.unlink(missing_ok=True)
        return None
    return pa.Table.from_batches(batches, schema=SCHEMA), now


def write(case: "Case", keyring, frame: "pa.Table", known: dict | None = None, values: str = "all") -> None:
    """Keep the frame (without run-specific columns) for the next incremental run.

    known: the fingerprint of the frame's first rows, checked this run; only the rows after it
    are fingerprinted, and the two combined.
    """
    import pyarrow as pa

    from .frame import SCHEMA

    if keyring is None or frame.num_rows == 0:
        return
    frame = frame.select(SCHEMA.names)
    up_to = int(pa.compute.max(frame["unique_id"]).as_py())
    path = cache_path(case)
    private_folder(path.parent)  # a link in its place is refused, never written through
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
    try:
        with os.fdopen(handle, "wb") as out:
            rows = fingerprint(up_to) if known is None else combined(known, fingerprint(up_to, after=known["up_to"]))
            _put(out, keyring.seal_bytes(json.dumps(header(rows, values)).encode("utf-8")))
            for batch in frame.to_batches(max_chunksize=_CHUNK):
                buffer = io.BytesIO()
                with pa.ipc.new_stream(buffer, SCHEMA) as stream:
                    stream.write_batch(batch)
                _put(out, keyring.seal_bytes(buffer.getvalue()))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _put(out, data: bytes) -> None:
    out.write(_LENGTH.pack(len(data)))
    out.write(data)


def _next(handle, allow_end: bool = False) -> bytes | None:
    head = handle.read(_LENGTH.size)
    if not head and allow_end:
        return None
    if len(head) < _LENGTH.size:
        raise ValueError("truncated cache file")
    (size,) = _LENGTH.unpack(head)
    data = handle.read(size)
    if len(data) < size:
        raise ValueError("truncated cache file")
    return data

