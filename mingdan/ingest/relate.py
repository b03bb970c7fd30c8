"""Entering a relation between two records by hand: a claim with its own sealed original, never an overwrite."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from django.db import transaction
from django.db.models import Max

from mingdan.store.case import Case
from mingdan.store.import_lock import import_lock
from mingdan.store.models import Claim, Document, Record, Relation, Source

from .fields import CellError
from .importer import _store_original, case_keyring
from .relations import resolve
from .source_names import ENTERED
from .uploads import memory_file
from .vocab import VocabularyError, parse_relation

#: The source that holds the originals of relations entered by hand (each entry is one document of it).
SENSITIVITIES = ("restricted", "secret", "public")


def relate(case: Case, record: Record, kind: str, other: str, cited_source: str, cited_locator: str, user: str,
           sensitivity: str = "restricted", wait: float | None = None) -> Relation:
    """Record that the person of `record` is `kind` the person of `other` (a record id of its source, or
    SOURCE:RECORD), as `cited_source` says at `cited_locator`; a current relation between the two is superseded."""
    with import_lock(case, timeout=wait):
        return _relate(case, record, kind, other, cited_source, cited_locator, user, sensitivity)


def _relate(case: Case, record: Record, kind: str, other: str, cited_source: str, cited_locator: str, user: str,
            sensitivity: str) -> Relation:
    try:
        code = parse_relation(kind)
    except VocabularyError as exc:
        raise CellError(str(exc)) from None
    if sensitivity not in SENSITIVITIES:
        raise CellError(f"sensitivity {sensitivity!r} is not one of {', '.join(SENSITIVITIES)}")
    if not cited_source.strip() or not cited_locator.strip():
        raise CellError("name the source of this relation and where in it the relation is stated")
    own = dict(Record.objects.filter(source_id=record.source_id).values_list("record_id", "id"))
    found = resolve(other.strip(), own)
    if found is None:
        raise CellError(f"relation_of {other.strip()!r} names no record: give a record id of "
                        f"{record.source.name!r} or SOURCE:RECORD")
    other_record = Record.objects.select_related("source").get(pk=found[0])
    if other_record.pk == record.pk:
        raise CellError("a relation ties two records; this is the record itself")
    now = datetime.now(timezone.utc)
    reference = f"{other_record.source.name}:{other_record.record_id}"
    cited = f"{cited_source.strip()[:300]} — {cited_locator.strip()[:300]}"
    entry = {"record": f"{record.source.name}:{record.record_id}", "relation": kind, "relation_of": other,
             "cited_source": cited_source, "cited_locator": cited_locator, "sensitivity": sensitivity,
             "by": user, "at": now.isoformat()}

    def write(document: Document, seal) -> Relation:
        replaced = list(Relation.objects.filter(record=record, other=other_record, superseded_in__isnull=True))
        common = {"record": record, "document": document, "row": 1, "entered_by": user, "entered_at": now,
                  "sensitivity": sensitivity}
        claim = Claim.objects.create(field="relation", value=seal(kind), normalized=seal(code), column="relation",
                                     supersedes=replaced[-1].claim if replaced else None, **common)
        Claim.objects.create(field="relation_of", value=seal(other), normalized=seal(reference),
                             column="relation_of", **common)
        Claim.objects.create(field="relation_cited", value=seal(cited), normalized=seal(cited),
                             column="relation_cited", **common)
        _supersede(replaced, record, document)
        return Relation.objects.create(record=record, other=other_record, kind=seal(code), sensitivity=sensitivity,
                                       claim=claim, document=document, row=1)

    return _entry(case, entry, now, user, sensitivity, ["relation", "relation_of", "relation_cited"], write)


def withdraw(case: Case, relation: Relation, reason: str, user: str, wait: float | None = None) -> None:
    """Withdraw a current relation (entered by mistake, or shown wrong): it stays, with its claims, marked as
    superseded by an entry that says who withdrew it, when and why; nothing replaces it."""
    with import_lock(case, timeout=wait):
        relation = Relation.objects.select_related("record__source", "other__source", "claim").get(pk=relation.pk)
        if relation.superseded_in_id is not None:
            raise CellError("this relation is no longer current: it was already replaced or withdrawn")
        if not reason.strip():
            raise CellError("say why the relation is withdrawn (the source that contradicts it, or the mistake)")
        now = datetime.now(timezone.utc)
        record, other = relation.record, relation.other
        entry = {"record": f"{record.source.name}:{record.record_id}",
                 "withdraw_relation_of": f"{other.source.name}:{other.record_id}", "reason": reason,
                 "by": user, "at": now.isoformat()}

        def write(document: Document, seal) -> None:
            Claim.objects.create(field="relation_withdrawn", value=seal(reason.strip()[:600]),
                                 normalized=seal(f"{other.source.name}:{other.record_id}"),
                                 column="relation_withdrawn", supersedes=relation.claim, record=record,
                                 document=document, row=1, entered_by=user, entered_at=now,
                                 sensitivity=relation.sensitivity)
            _supersede([relation], record, document)

        _entry(case, entry, now, user, relation.sensitivity, ["relation_withdrawn"], write)


def _supersede(replaced: list[Relation], record: Record, document: Document) -> None:
    """The relations replaced or withdrawn stay, with their claims, marked as superseded by this entry."""
    Relation.objects.filter(pk__in=[r.pk for r in replaced]).update(superseded_in=document)
    Claim.objects.filter(relation__in=replaced).update(superseded_in=document)
    Claim.objects.filter(field__in=("relation_of", "relation_cited"), superseded_in__isnull=True,
                         document_id__in=[r.document_id for r in replaced], record=record,
                         row__in=[r.row for r in replaced]).update(superseded_in=document)


def _entry(case: Case, entry: dict, now: datetime, user: str, sensitivity: str, fields: list[str], write):
    """Store what was typed as a sealed original, make its document, and write its claims in one transaction."""
    keyring = case_keyring(case)
    original = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(original).hexdigest()
    name = f"relation-{now:%Y%m%dT%H%M%S%f}.json"
    with memory_file(case, name, [original]) as path:  # what was typed never lies on disk in clear
        stored_as, _ = _store_original(case, path, digest, keyring)
    seal = keyring.seal if sensitivity != "public" else (lambda text: text)
    try:
        with transaction.atomic():
            source, _ = Source.objects.get_or_create(name=ENTERED, defaults={
                "kind": "other", "description": "relations entered by hand; each document is one entry"})
            version = (Document.objects.filter(source=source).aggregate(v=Max("version"))["v"] or 0) + 1
            document = Document.objects.create(
                source=source, version=version, original_name=name, sha256=digest, stored_as=stored_as,
                size=len(original), file_format="json", encoding="utf-8", fields_collected=fields, row_count=1,
                imported_at=now, imported_by=user)
            return write(document, seal)
    except BaseException:
        (case.root / stored_as).unlink(missing_ok=True)
        raise
