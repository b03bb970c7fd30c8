"""Consent to publish a name, as the imported versions of a list state it."""

from __future__ import annotations

from mingdan.store.models import Claim, Document

FIELD = "consent_publish_name"


def record_consents(document: Document, user: str | None) -> None:
    """A Consent per consent claim of this document: the latest one per record and purpose rules."""
    from mingdan.store.crypto import reveal
    from mingdan.store.models import Consent

    stated = Claim.objects.filter(document=document, field=FIELD, kind="exact")
    Consent.objects.bulk_create(
        Consent(record_id=record_id, purpose="publish_name", status=reveal(status),
                given_by=f"{document.source.name} {document.original_name}:{row}", recorded_by=user or "")
        for record_id, status, row in stated.values_list("record_id", "normalized", "row").iterator())


def dropped_grants(document: Document, user: str | None) -> str | None:
    """Records whose consent was granted by an earlier version of the list and that this version does not grant
    (or state at all) become unknown; the warning that says so, or None.

    Keeping the old grant would publish a name on a consent the list no longer states.
    """
    from mingdan.store.models import Consent

    latest: dict[int, str] = {}
    for record, status in (Consent.objects.filter(purpose="publish_name", record__source=document.source_id)
                           .order_by("recorded_at", "id").values_list("record_id", "status")):
        latest[record] = status
    granted = {record for record, status in latest.items() if status == "granted"}
    if not granted:
        return None
    still = set(Claim.objects.filter(document=document, field=FIELD, kind="exact").values_list("record_id", flat=True))
    dropped = sorted(granted - still)
    if not dropped:
        return None
    Consent.objects.bulk_create(
        Consent(record_id=record, purpose="publish_name", status="unknown",
                given_by=f"{document.source.name} {document.original_name}: no consent stated in version "
                         f"{document.version}", recorded_by=user or "")
        for record in dropped)
    from mingdan.store.models import Record

    examples = list(Record.objects.filter(pk__in=dropped[:3]).order_by("pk").values_list("record_id", flat=True))
    return (f"{len(dropped)} record{'s' if len(dropped) != 1 else ''} granted consent to publish the name in an "
            f"earlier version of {document.source.name!r} and this version does not (e.g. "
            f"{', '.join(examples)}): their consent is now unknown, and their names are not published until "
            "a list or an editor states it again")
