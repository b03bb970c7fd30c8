"""Amending one value of a record by hand: a new claim with its own original, the old claim superseded."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from django.db import transaction
from django.db.models import Max

from mingdan.store.case import Case
from mingdan.store.import_lock import import_lock
from mingdan.store.models import Claim, Document, Name, Source
from mingdan.store.search import refresh_index

from .fields import CellError, parse_cell
from .importer import _store_original, case_keyring
from .source_names import AMENDMENTS
from .uploads import memory_file

#: The source that holds the originals of hand amendments (each amendment is one document of it).
#: Person-level fields an amendment may change.
AMENDABLE = ("name", "sex", "age", "birth", "occupation", "notes")


def amend(case: Case, record, field: str, text: str, user: str, reason: str = "", wait: float | None = None) -> Claim:
    """Record a new value for a field; the claim it replaces stays, superseded by this amendment's document.

    What was typed is kept as a small sealed JSON original, so the new claim has a locator like
    any imported one and every reader of current claims (search, linkage, release) sees the change.
    Holds the case's import lock (waiting at most `wait` seconds) while its original is stored.
    """
    with import_lock(case, timeout=wait):
        return _amend(case, record, field, text, user, reason)


def _amend(case: Case, record, field: str, text: str, user: str, reason: str) -> Claim:
    if field not in AMENDABLE:
        raise CellError(f"{field} cannot be amended here; amendable fields: {', '.join(AMENDABLE)}")
    if "\x00" in text or "\x00" in reason:
        raise CellError("the value or reason holds a NUL character (\\x00), which no value may contain")
    if not text.strip():
        raise CellError("a value is required; to withdraw a value, mark it retracted instead")
    old = Claim.objects.current().filter(record=record, field=field).order_by("-id").first()
    restricted = case.setting("import", "restricted_fields", ["notes"])
    sensitivity = old.sensitivity if old else ("restricted" if field in restricted else "public")
    value = parse_cell(field, field, text, sensitivity=sensitivity)
    keyring = case_keyring(case)
    now = datetime.now(timezone.utc)
    original = json.dumps({"record": f"{record.source.name}:{record.record_id}", "field": field, "value": text,
                           "reason": reason, "by": user, "at": now.isoformat()}, ensure_ascii=False).encode("utf-8")
    digest = hashlib.sha256(original).hexdigest()
    name = f"amendment-{now:%Y%m%dT%H%M%S%f}.json"
    with memory_file(case, name, [original]) as path:  # what was typed never lies on disk in clear
        stored_as, _ = _store_original(case, path, digest, keyring)
    seal = keyring.seal if sensitivity != "public" else (lambda v: v)
    try:
        with transaction.atomic():
            source, _ = Source.objects.get_or_create(name=AMENDMENTS, defaults={
                "kind": "other", "description": "values amended by hand; each document is one amendment"})
            version = (Document.objects.filter(source=source).aggregate(v=Max("version"))["v"] or 0) + 1
            document = Document.objects.create(
                source=source, version=version, original_name=name, sha256=digest, stored_as=stored_as,
                size=len(original), file_format="json", encoding="utf-8", fields_collected=[field], row_count=1,
                imported_at=now, imported_by=user)
            claim = Claim.objects.create(
                record=record, field=field, value=seal(text), normalized=seal(str(value.normalized)), kind=value.kind,
                value_min=value.value_min, value_max=value.value_max, date_earliest=value.earliest,
                date_latest=value.latest, document=document, row=1, column=field, entered_by=user, entered_at=now,
                sensitivity=sensitivity, supersedes=old)
            if old is not None:
                Claim.objects.filter(pk=old.pk).update(superseded_in=document)
            if field == "name":
                script, romanization = value.extra
                Name.objects.create(record=record, claim=claim, text=seal(value.normalized), script=script,
                                    romanization=romanization, name_type="legal")
                refresh_index()  # searchable at once, in the same transaction
    except BaseException:
        (case.root / stored_as).unlink(missing_ok=True)
        raise
    return claim
