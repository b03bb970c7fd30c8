"""Import one file into a case: validate everything first, then write it in one transaction."""

from __future__ import annotations

import getpass
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from mingdan.store.case import Case
from mingdan.store.import_lock import import_lock, remove_leftovers
from mingdan.store.models import Claim, Document, Event, Relation, Source
from mingdan.store.private import private_folder

from .consents import dropped_grants, record_consents
from .fields import SCRIPT_WORDS
from .mapping import Mapping, canonical_mapping, check_header, load_mapping
from .problems import ImportFailed, Problem
from .readers import Table, open_table
from .source_names import check_source_name
from .told import row_order, told, write_rejected
from .validate import RowValidator

#: progress(stage, done, total): stage is "checking" or "writing"; total may be None.
Progress = Callable[[str, int, int | None], None]


@dataclass
class ImportResult:
    """What an import did, for the command line and for callers."""

    file: str
    status: str  # "imported" or "already imported"
    source: str
    version: int
    sha256: str
    encoding: str
    rows: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    blank_rows: int = 0
    records_new: int = 0
    records_updated: int = 0
    claims: int = 0
    events: int = 0
    names: int = 0
    claims_superseded: int = 0
    rejected_file: str | None = None
    header_row: int | None = None  # the row the column names were found on (CSV and XLSX)
    warnings: list[str] = field(default_factory=list)
    # Name cells holding more than a name that were kept as written: {row, column, name, reason} (warned of).
    names_kept_whole: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form."""
        return asdict(self)


def header_note(table: Table) -> str:
    """What the user is told when the header is not the first row: where it is and what was above it."""
    above = "; ".join(repr(text if len(text) <= 80 else text[:77] + "...") for text in table.above_header)
    return (f"the column names are on row {table.header_row}; the rows above them are not imported"
            + (f" (they read: {above})" if above else " (they are blank)"))


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(case: Case, path: Path, *, mapping_path: Path | None = None,
                source_name: str | None = None, encoding: str | None = None,
                skip_invalid: bool = False, progress: Progress | None = None,
                user: str | None = None, supersede: bool = True, locked: bool = False,
                wait: float | None = None, may_read: tuple[str, ...] | None = None) -> ImportResult:
    """Import a CSV, XLSX or JSON list into the case; all or nothing, and never twice.

    One import at a time per case: this one holds the case's import lock (unless the caller
    holds it, `locked`), waiting for another import at most `wait` seconds (None: as long as it
    takes), and first removes what a killed import left behind. `may_read` (the uploader's
    sensitivities; None: every one) refuses a new version of a list that would supersede current
    values the uploader may not read.
    """
    if not locked:
        waiting = (lambda: progress("waiting for another import", 0, None)) if progress else None
        with import_lock(case, waiting=waiting, timeout=wait):
            remove_leftovers(case, locked=True)
            return import_file(case, path, mapping_path=mapping_path, source_name=source_name, encoding=encoding,
                               skip_invalid=skip_invalid, progress=progress, user=user, supersede=supersede,
                               locked=True, may_read=may_read)
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise ImportFailed([Problem(file, None, None, "file not found" if not path.exists() else "not a file")])
    mapping = load_mapping(Path(mapping_path)) if mapping_path else None
    digest = sha256_of(path)
    existing = Document.objects.select_related("source").filter(sha256=digest).first()
    if existing is not None:
        return ImportResult(file=file, status="already imported", source=existing.source.name,
                            version=existing.version, sha256=digest, encoding=existing.encoding,
                            rows=existing.row_count)
    table = open_table(path, encoding=encoding or (mapping.encoding if mapping else None),
                       delimiter=mapping.delimiter if mapping else None,
                       sheet=mapping.sheet if mapping else None,
                       header_row=mapping.header_row if mapping else None,
                       columns=list(mapping.columns) if mapping else None,
                       skip_rows=mapping.skip_rows if mapping else (),
                       footer_rows=mapping.footer_rows if mapping else 0)
    if mapping is None:
        mapping = canonical_mapping(table.header, case.setting("import", "restricted_fields", ["notes"]), file,
                                    table.column_place)
    else:
        check_header(mapping, table.header, file, str(mapping_path), table.column_place)
    name = source_name or mapping.source_name
    warnings = []
    if not name:
        name = path.stem
        warnings.append(f"no source name given (--source or the mapping's source.name); using {name!r}")
    check_source_name(name, file)

    result = ImportResult(file=file, status="imported", source=name, version=0, sha256=digest,
                          encoding=table.encoding or "xlsx", warnings=warnings,
                          header_row=table.header_row if table.file_format != "json" else None)
    if table.header_row > 1 and table.file_format != "json":
        warnings.append(header_note(table))
    keyring = case_keyring(case)
    stored_as, stored_now = _store_original(case, path, digest, keyring)
    try:
        # One pass validates and writes; any problem rolls the whole transaction back, so
        # the database is as it was unless every row (or, with skip_invalid, every valid row)
        # is in. Re-reading a million-row file to validate it first would double the time.
        with transaction.atomic(), _import_cache():
            rejected = _write(table, mapping, name, digest, stored_as, result, progress, user,
                              write_after_problem=skip_invalid, keyring=keyring, supersede=supersede,
                              may_read=may_read)
            if rejected and (not skip_invalid or result.rows_imported == 0):
                # In row order: a relation problem is found after the last row, and is told in its row's place.
                raise ImportFailed([problem for _, problems in sorted(rejected.items(), key=row_order)
                                    for problem in problems])
    except BaseException:
        if stored_now:
            (case.root / stored_as).unlink(missing_ok=True)
        raise
    if rejected:
        result.rejected_file = str(write_rejected(table, rejected))
    result.blank_rows = table.blank_rows
    if table.blank_rows:
        result.warnings.append(f"{table.blank_rows} blank rows were skipped")
    result.names_kept_whole = [{"row": row, "column": column, "name": text, "reason": why}
                               for row, column, text, why in table.names_kept_whole]
    result.warnings += told(table, file)
    for column, names in table.script_doubts.items():
        declared = mapping.columns[column].script
        result.warnings.append(
            f"column {column!r}: the mapping says its names are in {SCRIPT_WORDS.get(declared, declared)}, but "
            f"{len(names)} look otherwise (e.g. {', '.join(repr(n) for n in names[:3])}); they are recorded as "
            f"{declared} as the mapping says: check the mapping's script (without it, each name's script is detected)")
    return result


#: SQLite page cache while importing, in KiB. An import writes five tables and their indexes in
#: turn, batch by batch; at a million records those B-trees outgrow the usual 128 MiB and each
#: batch re-reads them (140 s at 128 MiB, 122 s at 768 MiB; peak memory 1.05 GB and 1.82 GB).
IMPORT_CACHE_KIB = 786_432


@contextmanager
def _import_cache():
    """A larger page cache on this connection for the import only; readers keep the usual one."""
    from django.db import connection

    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        usual = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size=-{IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size={int(usual)}")


def _write(table: Table, mapping: Mapping, name: str, digest: str, stored_as: str,
           result: ImportResult, progress: Progress | None, user: str | None,
           write_after_problem: bool, keyring=None, supersede: bool = True,
           may_read: tuple[str, ...] | None = None) -> dict[int, list[Problem]]:
    """Validate and write every row; return the rejected rows with their problems."""
    source, created = Source.objects.get_or_create(
        name=name, defaults={"kind": mapping.source_kind or "other", "description": mapping.source_description})
    if not created and (mapping.source_kind or mapping.source_description):
        Source.objects.filter(pk=source.pk).update(
            kind=mapping.source_kind or source.kind, description=mapping.source_description or source.description)
    previous = list(Document.objects.filter(source=source).values_list("id", flat=True))
    if previous and supersede and may_read is not None:
        _refuse_unreadable(previous, may_read, name, result.file)
    version = (Document.objects.filter(source=source).aggregate(v=Max("version"))["v"] or 0) + 1
    document = Document.objects.create(
        source=source, version=version, original_name=Path(table.path).name, sha256=digest,
        stored_as=stored_as, size=Path(table.path).stat().st_size, file_format=table.file_format,
        encoding=table.encoding, mapping=mapping.document, fields_collected=mapping.fields_collected,
        imported_at=datetime.now(timezone.utc), imported_by=user or _os_user(),
    )
    if _use_worker(table):
        rows, rejected, outcome = _validate_in_worker(table, mapping, result.file, source, document, keyring,
                                                      write_after_problem, progress)
    else:
        rows, rejected, outcome = _validate_here(table, mapping, result.file, source, document, keyring,
                                                 write_after_problem, progress)
    from .relations import relation_problems, write_relations

    if not isinstance(outcome, tuple):
        # The caller rolls back; the relations are checked now so that every problem is told at once.
        for problem in relation_problems(source, outcome["relations"], outcome["record_ids"], result.file):
            rejected.setdefault(problem.row, []).append(problem)
        return rejected
    counts, records_seen, relations, rejected_ids = outcome
    # With --skip-invalid a refused row (record None) is not written; whether its relation_of names a record
    # is told among its problems, so that the row is corrected once, not twice.
    refused = [relation for relation in relations if relation[2] is None]
    for problem in relation_problems(source, refused, rejected_ids, result.file):
        rejected.setdefault(problem.row, []).append(problem)
    relations = [relation for relation in relations if relation[2] is not None]

    counts["claims"] += write_relations(source, document, relations, keyring, result.file)
    # A record entered by hand adds to its source; it is not a new version of the whole list.
    if previous and supersede:
        result.claims_superseded = _supersede(previous, document)
        dropped = dropped_grants(document, user)
        if dropped:
            result.warnings.append(dropped)
    record_consents(document, user)
    Document.objects.filter(pk=document.pk).update(row_count=rows, rejected_count=len(rejected))
    result.version = version
    result.rows, result.rows_imported, result.rows_rejected = rows, rows - len(rejected), len(rejected)
    result.records_new = counts["records_new"]
    result.records_updated = records_seen - counts["records_new"]
    result.claims, result.events, result.names = counts["claims"], counts["events"], counts["names"]
    if progress:
        progress("importing", rows, rows)
    return rejected


#: Files at least this large are validated by a worker process while this one writes
#: (MINGDAN_IMPORT_WORKER=always or never overrides). Starting the worker costs ~0.4 s.
WORKER_MIN_BYTES = 4_000_000


def _use_worker(table: Table) -> bool:
    choice = os.environ.get("MINGDAN_IMPORT_WORKER", "auto")
    if choice not in ("auto", "always", "never"):
        raise ValueError(f"MINGDAN_IMPORT_WORKER must be auto, always or never, not {choice!r}")
    if choice != "auto":
        return choice == "always"
    return Path(table.path).stat().st_size >= WORKER_MIN_BYTES


def _validate_here(table, mapping, file, source, document, keyring, write_after_problem, progress):
    """Validate in this process while a helper thread writes; (rows, rejected, (counts, records) or None)."""
    from .rows import build_rows
    from .writer import BatchWriter

    writer = BatchWriter(source.id, document.id, keyring=keyring)
    builder = writer.builder()
    validator = RowValidator(mapping, table.header, file)
    try:
        rows, rejected = build_rows(table, validator, builder, write_after_problem, emit=writer.execute,
                                    progress=(lambda n: progress("importing", n, None)) if progress else None)
    except BaseException:
        writer.abandon()
        raise
    if rejected and not write_after_problem:
        writer.abandon()
        return rows, rejected, {"relations": builder.relations,
                                "record_ids": [*validator.records, *validator.rejected_ids]}
    writer.finish()
    return rows, rejected, (builder.counts, len(validator.records), builder.relations, list(validator.rejected_ids))


def _validate_in_worker(table, mapping, file, source, document, keyring, write_after_problem, progress):
    """Validate in a worker process while this one writes; (rows, rejected, (counts, records) or None)."""
    from .worker import Worker
    from .writer import BatchWriter

    writer = BatchWriter(source.id, document.id, keyring=keyring, background=False)
    worker = Worker({"table": table, "mapping": mapping, "file": file, "builder": writer.builder_arguments(),
                     "write_after_problem": write_after_problem})
    try:
        for message in worker.messages():
            if message[0] == "batch":
                writer.execute(message[1])
            elif message[0] == "progress" and progress:
                progress("importing", message[1], None)
            elif message[0] == "done":
                outcome = message[1]
    finally:
        worker.stop()
    table.blank_rows, table.script_doubts = outcome["blank_rows"], outcome["script_doubts"]
    table.skipped, table.names_kept_whole = outcome["skipped"], outcome["names_kept_whole"]
    if outcome["rejected"] and not write_after_problem:
        return outcome["rows"], outcome["rejected"], {"relations": outcome["relations"],
                                                       "record_ids": outcome["record_ids"]}
    writer.finish()
    return outcome["rows"], outcome["rejected"], (outcome["counts"], outcome["records"], outcome["relations"],
                                                   outcome["rejected_ids"])


def _refuse_unreadable(previous: list[int], may_read: tuple[str, ...], name: str, file: str) -> None:
    """Refuse a new version that would supersede current values its uploader may not read (never seen, never
    checked, yet replaced): an administrator, who reads every level, imports it instead."""
    current = Claim.objects.filter(document_id__in=previous, superseded_in__isnull=True)
    if current.exclude(sensitivity__in=may_read).exists():
        raise ImportFailed([Problem(file, None, None, (
            f"this would be a new version of the list {name!r}, replacing all its current values, and some of "
            f"them are marked at a level your role may not read; nothing was imported: ask an administrator "
            f"to import this version, or import it under another source name"))])


def _supersede(previous: list[int], document: Document) -> int:
    """Mark the older versions' claims, events (with their harassment details) and relations as replaced by this document."""
    superseded = Claim.objects.filter(document_id__in=previous, superseded_in__isnull=True).update(superseded_in=document)
    Event.objects.filter(document_id__in=previous, superseded_in__isnull=True).update(superseded_in=document)
    Relation.objects.filter(document_id__in=previous, superseded_in__isnull=True).update(superseded_in=document)
    from django.db import connection

    table = connection.ops.quote_name(Claim._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET supersedes_id = (SELECT MAX(o.id) FROM {table} o "
            f"WHERE o.record_id = {table}.record_id AND o.field = {table}.field "
            f"AND o.event_id IS NULL AND o.superseded_in_id = %s) "
            f"WHERE document_id = %s AND event_id IS NULL",
            [document.id, document.id],
        )
    return superseded


def case_keyring(case: Case):
    """The case's keyring; a key is created only while nothing in the case is sealed yet."""
    from mingdan.store import crypto

    sealed = any(p.is_file() and p.read_bytes()[:len(crypto.FILE_MAGIC)] == crypto.FILE_MAGIC
                 for p in case.originals_dir.glob("*")) if case.originals_dir.is_dir() else False
    keyring = crypto.load_keyring(case.root, create=not sealed)
    crypto.activate(case.root)
    return keyring


def _store_original(case: Case, path: Path, digest: str, keyring=None) -> tuple[str, bool]:
    """Seal the original into the case, named by its plaintext's hash; say whether this call added it."""
    private_folder(case.originals_dir)
    target = case.originals_dir / f"{digest}{path.suffix.lower()}.enc"
    added = not target.exists()
    if added:
        # Write then rename: a crash leaves no partial file under the final name.
        handle, temporary = tempfile.mkstemp(dir=case.originals_dir, prefix=".incoming-")
        with os.fdopen(handle, "wb") as out:
            data = path.read_bytes()
            out.write(keyring.seal_bytes(data) if keyring is not None else data)
        os.replace(temporary, target)
    return str(target.relative_to(case.root)), added


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
