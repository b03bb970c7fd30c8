"""Writing an import's relations once every row is in: relation_of may name a record further down the
file, one of the source imported before, or `SOURCE:RECORD` of another source of the case."""

from __future__ import annotations

from mingdan.store.models import Claim, Document, Record, Relation, Source

from .problems import ImportFailed, Problem
from .rows import stricter


def resolve(reference: str, own: dict[str, int]) -> tuple[int, str] | None:
    """The database id and `SOURCE:RECORD` of the record a relation_of cell names, or None.

    A record id of the row's own source comes first (ids may hold a colon); then every split of
    `SOURCE:RECORD` at a colon, as source names may hold one too.
    """
    if reference in own:
        return own[reference], ""
    for position, char in enumerate(reference):
        if char != ":":
            continue
        source, record_id = reference[:position].strip(), reference[position + 1:].strip()
        found = Record.objects.filter(source__name=source, record_id=record_id).values_list("id", flat=True).first()
        if found is not None:
            return found, f"{source}:{record_id}"
    return None


def relation_problems(source: Source, pending: list[tuple], record_ids: list[str], file: str) -> list[Problem]:
    """The relation_of cells that name no record, for an import failing on other rows: told with them at once.

    A record id of any row of the file counts as there (a row with problems is corrected, not removed).
    """
    if not pending:
        return []
    own = dict.fromkeys(record_ids, 0)
    own.update(Record.objects.filter(source=source).values_list("record_id", "id"))
    return [Problem(file, row, other.column, _no_record(other.normalized, source.name))
            for row, _, _, _, other in pending if resolve(other.normalized, own) is None]


def _no_record(reference: str, source: str) -> str:
    return (f"relation_of {reference!r} names no record: it is neither a record id of this file or "
            f"of {source!r} already imported, nor SOURCE:RECORD of a record of another source in the case")


def write_relations(source: Source, document: Document, pending: list[tuple], keyring, file: str) -> int:
    """Check and write the relations an import stated; raise ImportFailed naming each bad row. The claims written."""
    if not pending:
        return 0
    own = dict(Record.objects.filter(source=source).values_list("record_id", "id"))
    problems: list[Problem] = []
    seen: set[tuple[int, str, int]] = set()
    claims = 0
    for row, record_id, record, kind, other in pending:
        found = resolve(other.normalized, own)
        if found is None:
            problems.append(Problem(file, row, other.column, _no_record(other.normalized, source.name)))
            continue
        other_id, qualified = found
        if other_id == record:
            problems.append(Problem(file, row, other.column, (
                f"relation_of {other.normalized!r} is this row's own record {record_id!r}; a relation ties two records")))
            continue
        key = (record, kind.normalized, other_id)
        if problems or key in seen:
            continue  # stated twice in one file: one claim
        seen.add(key)
        level = stricter(kind.sensitivity, other.sensitivity)
        seal = (lambda text: keyring.seal(text) if text else text) if level != "public" else (lambda text: text)
        claim = Claim.objects.create(
            record_id=record, field="relation", value=seal(kind.raw), normalized=seal(kind.normalized),
            document=document, row=row, column=kind.column, sensitivity=level)
        Claim.objects.create(
            record_id=record, field="relation_of", value=seal(other.raw),
            normalized=seal(qualified or f"{source.name}:{other.normalized}"), document=document, row=row,
            column=other.column, sensitivity=level)
        Relation.objects.create(record_id=record, other_id=other_id, kind=seal(kind.normalized), sensitivity=level,
                                claim=claim, document=document, row=row)
        claims += 2
    if problems:
        raise ImportFailed(problems)
    return claims
