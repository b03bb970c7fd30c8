"""The Python API: what the command line does, callable from a notebook or a script."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from mingdan.store.case import Case, CaseError, init_case, open_case
from mingdan.store.crypto import reveal

__all__ = [
    "Case", "CaseError", "init_case", "open_case", "import_file", "import_count_claims",
    "list_sources", "iter_records", "show_record", "list_count_claims", "case_summary", "search_records",
]


def import_file(case: Case, path: Path, **options):
    """Import a list (CSV, XLSX, JSON); see mingdan.ingest.importer.import_file."""
    from mingdan.ingest.importer import import_file as run

    return run(case, path, **options)


def import_count_claims(case: Case, path: Path, **options):
    """Import published count claims; see mingdan.ingest.count_claims."""
    from mingdan.ingest.count_claims import import_count_claims as run

    return run(case, path, **options)


def list_sources(case: Case) -> list[dict]:
    """Every source with its documents and record counts."""
    from django.db.models import Count, Max

    from mingdan.store.models import Source

    rows = Source.objects.annotate(
        documents_count=Count("documents", distinct=True),
        records_count=Count("records", distinct=True),
        count_claims_count=Count("count_claims", distinct=True),
        last_version=Max("documents__version"),
    ).order_by("name")
    return [
        {"source": s.name, "kind": s.kind, "description": s.description,
         "documents": s.documents_count, "latest_version": s.last_version,
         "records": s.records_count, "count_claims": s.count_claims_count}
        for s in rows
    ]


def iter_records(case: Case, source: str | None = None, limit: int | None = None,
                 records: list[int] | None = None) -> Iterator[dict]:
    """Records with their display name (the one rule every output uses), sex and age, in a stable order
    (only the given record pks, with their pk, when `records` is given)."""
    from itertools import islice
    from django.db.models import OuterRef, Subquery

    from mingdan.store.models import Claim, Record
    from mingdan.store.names import display_names

    def current(field: str):
        return Subquery(Claim.objects.current().filter(record=OuterRef("pk"), field=field)
                        .order_by("id").values("normalized")[:1])

    chosen = records
    records = Record.objects.annotate(sex=current("sex"), age=current("age")).values_list(
        "id", "source__name", "record_id", "sex", "age", "person__person_id")
    if chosen is not None:
        records = records.filter(pk__in=chosen)
    if source:
        records = records.filter(source__name=source)
    records = records.order_by("source__name", "sort_key", "record_id")
    if limit:
        records = records[:limit]
    rows = records.iterator(chunk_size=5000)
    # The command line holds the case key: it reads every name form, as it always has.
    while chunk := list(islice(rows, 5000)):
        names = display_names([row[0] for row in chunk], ("public", "restricted", "secret"))
        for pk, source_name, record_id, sex, age, person in chunk:
            row = {"source": source_name, "record_id": record_id, "name": names.get(pk), "sex": reveal(sex),
                   "age": reveal(age), "person_id": person}
            yield {"pk": pk, **row} if chosen is not None else row


def find_record(case: Case, record_id: str, source: str | None = None):
    """The one record with this id (in this source); errors say how to narrow it down."""
    from mingdan.store.models import Record

    if source is None and ":" in record_id and not Record.objects.filter(record_id=record_id).exists():
        # SOURCE:RECORD_ID, where either may hold a colon ("HRW: 1990 report:17"): the split whose source has that id.
        splits = [(record_id[:at], record_id[at + 1:]) for at, ch in enumerate(record_id) if ch == ":"]
        found = [(name, rid) for name, rid in splits if Record.objects.filter(source__name=name, record_id=rid).exists()]
        if len(found) > 1:
            raise LookupError(f"{record_id!r} can be read as " + " or ".join(f"source {n!r}, record {r!r}" for n, r in found)
                              + "; give --source")
        if not found:
            # No such record: name it in the longest source that exists ("HRW: 1990 (HK)" before "HRW").
            from mingdan.store.models import Source

            sources = set(Source.objects.filter(name__in=[n for n, _ in splits]).values_list("name", flat=True))
            found = sorted(((n, r) for n, r in splits if n in sources), key=lambda split: -len(split[0])) or splits
        source, record_id = found[0]
    matches = Record.objects.filter(record_id=record_id).select_related("source", "person")
    if source:
        matches = matches.filter(source__name=source)
    found = list(matches[:10])
    if not found:
        raise LookupError(f"no record {record_id!r}" + (f" in source {source!r}" if source else ""))
    if len(found) > 1:
        names = ", ".join(record.source.name for record in found)
        raise LookupError(f"record id {record_id!r} exists in several sources ({names}); give --source")
    return found[0]


def show_record(case: Case, record_id: str, source: str | None = None, history: bool = False) -> dict:
    """Everything known about one record: names, claims with their locators, events, custody."""
    record = find_record(case, record_id, source)
    claims = record.claims.select_related("document").order_by("id")
    if not history:
        claims = claims.filter(superseded_in__isnull=True)
    documents = list(record.source.documents.order_by("version"))
    collected = set().union(*(set(d.fields_collected) for d in documents)) if documents else set()
    result = {
        "source": record.source.name, "record_id": record.record_id,
        "person_id": record.person.person_id if record.person else None,
        "names": [_name_dict(n) for n in record.names.filter(claim__superseded_in__isnull=True).order_by("id")],
        "claims": [_claim_dict(claim) for claim in claims],
        "events": [],
        "not_collected": sorted({"name_variants", "sex", "age", "birth", "occupation", "notes"} - collected),
    }
    events = record.events.select_related("custody", "document", "harassment").order_by("date_earliest", "id")
    if not history:
        events = events.filter(superseded_in__isnull=True)
    for event in events:
        custody = getattr(event, "custody", None)
        details = getattr(event, "harassment", None)
        result["events"].append({
            "event": reveal(event.event_type), "date": reveal(event.date_edtf) or None,
            "earliest": event.date_earliest.isoformat() if event.date_earliest else None,
            "latest": event.date_latest.isoformat() if event.date_latest else None,
            "place": reveal(event.place) or None,
            "facility": reveal(custody.facility) if custody and custody.facility else None,
            "sentence": (reveal(custody.term) or reveal(custody.sentence_kind) or None) if custody else None,
            "sentence_kind": reveal(custody.sentence_kind) if custody and custody.sentence_kind else None,
            "locator": f"{event.document.original_name}:{event.row}",
            "superseded": event.superseded_in_id is not None,
            "harassment": {"kind": reveal(details.kind) or None, "perpetrator": reveal(details.perpetrator) or None,
                           "tied_to": reveal(details.tied_to) or None, "duration": reveal(details.duration) or None,
                           "sensitivity": details.kind_sensitivity,
                           "perpetrator_sensitivity": details.perpetrator_sensitivity} if details else None,
        })
    return result


def _name_dict(name) -> dict:
    """A written name as `show` gives it: its romanization as the release publishes it (a name imported before its
    spelling could be read, stored 'unknown', reads as the release reads it)."""
    from mingdan.names.display import romanization_of

    text = reveal(name.text)
    romanization = romanization_of(text, name.romanization) if name.script == "latin" else name.romanization
    return {"text": text, "script": name.script, "romanization": romanization, "type": name.name_type}


def _claim_dict(claim) -> dict:
    return {
        "field": claim.field, "value": reveal(claim.value), "normalized": reveal(claim.normalized),
        "kind": claim.kind, "min": claim.value_min, "max": claim.value_max,
        "earliest": claim.date_earliest.isoformat() if claim.date_earliest else None,
        "latest": claim.date_latest.isoformat() if claim.date_latest else None,
        "locator": claim.locator, "verification": claim.verification,
        "sensitivity": claim.sensitivity, "superseded": claim.superseded_in_id is not None,
        "event_id": claim.event_id,
    }


def list_count_claims(case: Case, metric: str | None = None) -> list[dict]:
    """Published count claims, side by side, in metric and date order."""
    from mingdan.store.models import CountClaim

    claims = CountClaim.objects.select_related("source", "document").order_by("metric", "as_of_earliest", "id")
    if metric:
        claims = claims.filter(metric=metric)
    return [
        {"metric": c.metric, "scope": c.scope, "as_of": c.as_of, "min": c.minimum, "best": c.best,
         "max": c.maximum, "figure": c.figure, "qualifier": c.qualifier, "source": c.source.name,
         "cited_in": c.cited_in, "verification": c.verification,
         "locator": f"{c.document.original_name}:{c.row}"}
        for c in claims
    ]


def case_summary(case: Case) -> dict:
    """Counts of what the case holds."""
    from mingdan.store.models import Claim, CountClaim, Document, Event, Name, Person, Record, Source

    return {
        "case": case.name, "folder": str(case.root),
        "sources": Source.objects.filter(records__isnull=False).distinct().count(),
        "documents": Document.objects.count(), "records": Record.objects.count(),
        "claims": Claim.objects.count(), "current_claims": Claim.objects.current().count(),
        "names": Name.objects.count(), "events": Event.objects.count(),
        "count_claims": CountClaim.objects.count(), "people": Person.objects.count(),
    }


def search_records(case: Case, text: str, limit: int | None = 100) -> list[dict]:
    """Records whose names read like the typed name in any script or romanization, or a surname typed alone
    ("王建华", "Wang Jianhua", "Wong Kin Wah", "王", "Wong"); every sensitivity, as the case key's holder may."""
    from mingdan.store.models import Record
    from mingdan.store.search import matching_records, refresh_index

    refresh_index()
    ids = matching_records(text, ("public", "restricted", "secret"))
    found = Record.objects.filter(pk__in=ids).order_by("source__name", "record_id").values_list("pk", flat=True)
    chosen = list(found[:limit] if limit else found)
    by_pk = {}
    for row in iter_records(case, records=chosen):
        by_pk[row.pop("pk")] = row
    return [by_pk[pk] for pk in chosen if pk in by_pk]
