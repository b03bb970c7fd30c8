"""Import one file into a case: validate everything first, then write it in one transaction."""

from __future__ import annotations

import csv
import getpass
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from mingdan.store.case import Case
from mingdan.store.models import Claim, Document, Event, Source

from .mapping import Mapping, canonical_mapping, check_header, load_mapping
from .problems import ImportFailed, Problem
from .readers import Table, open_table
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
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """JSON form."""
        return asdict(self)


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
                user: str | None = None) -> ImportResult:
    """Import a CSV, XLSX or JSON list into the case; all or nothing, and never twice."""
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
                       sheet=mapping.sheet if mapping else None)
    if mapping is None:
        mapping = canonical_mapping(table.header, case.setting("import", "restricted_fields", ["notes"]), file)
    else:
        check_header(mapping, table.header, file, str(mapping_path))
    name = source_name or mapping.source_name
    warnings = []
    if not name:
        name = path.stem
        warnings.append(f"no source name given (--source or the mapping's source.name); using {name!r}")

    rejected = _check_rows(table, mapping, file, progress)
    if rejected and not skip_invalid:
        raise ImportFailed([problem for problems in rejected.values() for problem in problems])
    result = ImportResult(file=file, status="imported", source=name, version=0, sha256=digest,
                          encoding=table.encoding or "xlsx", warnings=warnings)
    if rejected:
        result.rejected_file = str(_write_rejected(table, rejected))
    stored_as = _store_original(case, path, digest)
    with transaction.atomic():
        _write(case, table, mapping, name, digest, stored_as, rejected, result, progress, user)
    result.blank_rows = table.blank_rows
    if table.blank_rows:
        result.warnings.append(f"{table.blank_rows} blank rows were skipped")
    return result


def _check_rows(table: Table, mapping: Mapping, file: str, progress: Progress | None) -> dict[int, list[Problem]]:
    validator = RowValidator(mapping, table.header, file)
    rejected: dict[int, list[Problem]] = {}
    done = 0
    for row, cells in table.rows():
        valid, problems = validator.validate(row, cells)
        if problems:
            rejected[row] = problems
        done += 1
        if progress and done % 10_000 == 0:
            progress("checking", done, None)
    if progress:
        progress("checking", done, done)
    return rejected


def _write(case: Case, table: Table, mapping: Mapping, name: str, digest: str, stored_as: str,
           rejected: dict[int, list[Problem]], result: ImportResult, progress: Progress | None,
           user: str | None) -> None:
    from .writer import BatchWriter

    source, created = Source.objects.get_or_create(
        name=name, defaults={"kind": mapping.source_kind or "other", "description": mapping.source_description})
    if not created and (mapping.source_kind or mapping.source_description):
        Source.objects.filter(pk=source.pk).update(
            kind=mapping.source_kind or source.kind, description=mapping.source_description or source.description)
    previous = list(Document.objects.filter(source=source).values_list("id", flat=True))
    version = (Document.objects.filter(source=source).aggregate(v=Max("version"))["v"] or 0) + 1
    document = Document.objects.create(
        source=source, version=version, original_name=Path(table.path).name, sha256=digest,
        stored_as=stored_as, size=Path(table.path).stat().st_size, file_format=table.file_format,
        encoding=table.encoding, mapping=mapping.document, fields_collected=mapping.fields_collected,
        imported_at=datetime.now(timezone.utc), imported_by=user or _os_user(),
    )
    writer = BatchWriter(source.id, document.id)
    validator = RowValidator(mapping, table.header, result.file)
    rows = imported = 0
    for row, cells in table.rows():
        rows += 1
        if row in rejected:
            continue
        valid, problems = validator.validate(row, cells)
        if problems:  # the first pass accepted this row, so the file changed under us
            raise ImportFailed([Problem(result.file, row, None, "the file changed while it was being imported; run the import again")])
        writer.write(valid)
        imported += 1
        if progress and imported % 10_000 == 0:
            progress("writing", imported, None)
    counts = writer.finish()
    if previous:
        result.claims_superseded = _supersede(previous, document)
    result.records_updated = len(validator.records) - counts["records_new"]
    Document.objects.filter(pk=document.pk).update(row_count=rows, rejected_count=len(rejected))
    result.version = version
    result.rows, result.rows_imported, result.rows_rejected = rows, imported, len(rejected)
    result.records_new = counts["records_new"]
    result.claims, result.events, result.names = counts["claims"], counts["events"], counts["names"]
    if progress:
        progress("writing", imported, imported)


def _supersede(previous: list[int], document: Document) -> int:
    """Mark the older versions' claims and events as replaced by this document."""
    superseded = Claim.objects.filter(document_id__in=previous, superseded_in__isnull=True).update(superseded_in=document)
    Event.objects.filter(document_id__in=previous, superseded_in__isnull=True).update(superseded_in=document)
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


def _store_original(case: Case, path: Path, digest: str) -> str:
    """Copy the original into the case, named by its hash; a crash leaves no partial file."""
    case.originals_dir.mkdir(parents=True, exist_ok=True)
    target = case.originals_dir / f"{digest}{path.suffix.lower()}"
    if not target.exists():
        handle, temporary = tempfile.mkstemp(dir=case.originals_dir, prefix=".incoming-")
        os.close(handle)
        shutil.copyfile(path, temporary)
        os.replace(temporary, target)
    return str(target.relative_to(case.root))


def _write_rejected(table: Table, rejected: dict[int, list[Problem]]) -> Path:
    """Write the rejected rows and their reasons beside the original file."""
    target = table.path.with_name(f"{table.path.stem}.rejected.csv")
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "problems", *table.header])
        for row, cells in table.rows():
            if row in rejected:
                reasons = "; ".join(f"{p.column}: {p.reason}" if p.column else p.reason for p in rejected[row])
                writer.writerow([row, reasons, *cells])
    return target


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
