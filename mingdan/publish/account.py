"""The accounting: per category, named people, published claims, the estimate and the official figure."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from mingdan.store.case import Case
from mingdan.store.categories import CATEGORIES, CATEGORY_EVENTS, CATEGORY_LABELS, category_of_metric
from mingdan.store.lens import Lens, event_types_q
from mingdan.track import custody_people

from .harassment import harassment_section

def accounting(case: Case, as_of: dt.date | None = None, lens: Lens | None = None, custody: list | None = None) -> dict:
    """The full accounting of the case on as_of (default today), every figure with its sources.

    People are counted from the events the lens may read (everything, for a release or the
    command line); `custody` passes custody histories already computed through the same lens.
    """
    from mingdan.store.models import Record

    day = as_of or dt.date.today()
    lens = lens or Lens.everything()
    linked = Record.objects.filter(person__isnull=False).exists()
    # Records imported since the last linking (or with no linking at all) each count as one person.
    unlinked = Record.objects.filter(person__isnull=True).count()
    members = _people_by_category(case, day, lens, custody)
    claims = _claims()
    estimates = _estimates()
    categories = []
    for key in CATEGORIES:
        mine = [c for c in claims if c["category"] == key]
        labels = CATEGORY_LABELS[key]
        entry = {
            "category": key, "label": labels["en"], "label_zh": labels["zh-hans"], "labels": labels,
            "named": _named(members.get(key, {})),
            "claims": mine,
            "claims_range": _range(mine),
            "official": [c for c in mine if c["source_kind"] == "official"],
            "estimate": estimates.get(key),
        }
        if key == "imprisoned":
            # Held on the day as far as the events show, and those whose status that day is not known.
            entry["possibly"] = _named(members.get("possibly_imprisoned", {}))
        categories.append(entry)
    return {
        "as_of": day.isoformat(), "linked": linked, "unlinked_records": unlinked, "categories": categories,
        "unassigned_claims": [c for c in claims if c["category"] is None],
        "sources": _sources(),
        "claims_files": _claims_files(),
        # Counts only: no relation, no relative and no one person's harassment (publish/harassment.py).
        "harassment": harassment_section(case, day, lens),
    }


def _people_by_category(case: Case, day: dt.date, lens: Lens,
                        custody: list | None) -> dict[str, dict[str, set[tuple[str, str]]]]:
    """category -> person key -> the (source, record id) pairs that put that person in that category."""
    from mingdan.store.models import Event, Record, Source

    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    wanted = {event: category for category, events in CATEGORY_EVENTS.items() for event in events}
    # Each record once, not joined to each of its events: on 100,000 events the joins were most of the time.
    sources = dict(Source.objects.values_list("pk", "name"))
    records = {pk: (sources[source], record_id, person_id) for pk, source, record_id, person_id in
               Record.objects.order_by().values_list("pk", "source_id", "record_id", "person__person_id")
               .iterator(chunk_size=10_000)}
    events = Event.objects.filter(event_types_q(lens, wanted), superseded_in__isnull=True)
    for event_type, level, record in events.order_by().values_list("event_type", "type_sensitivity", "record_id").iterator(
            chunk_size=10_000):
        source, record_id, person_id = records[record]
        found[wanted[lens.value(event_type, level)]][person_id or f"{source}:{record_id}"].add((source, record_id))
    for person in custody if custody is not None else custody_people(case, lens=lens, named=False):
        status = person.view.status_on(day)
        if status in ("held", "unknown"):
            target = "imprisoned" if status == "held" else "possibly_imprisoned"
            found[target][person.person_id].update(tuple(r.split(":", 1)) for r in person.record_ids)
    return found


def _named(people: dict[str, set[tuple[str, str]]]) -> dict:
    """How many people, how many records, and how many people each number of sources names."""
    counts = defaultdict(int)
    for records in people.values():
        sources = len({source for source, _ in records})
        counts["1" if sources == 1 else "2" if sources == 2 else "3+"] += 1
    return {"people": len(people), "records": sum(len(r) for r in people.values()),
            "by_sources": {k: counts[k] for k in ("1", "2", "3+")}}


def _claims() -> list[dict]:
    from mingdan.store.models import CountClaim

    rows = []
    for claim in CountClaim.objects.select_related("source", "document").order_by("metric", "as_of_earliest", "id"):
        rows.append({
            "category": category_of_metric(claim.metric), "metric": claim.metric, "scope": claim.scope,
            "as_of": claim.as_of, "minimum": claim.minimum, "best": claim.best, "maximum": claim.maximum,
            "figure": claim.figure, "qualifier": claim.qualifier, "source": claim.source.name,
            "source_kind": claim.source.kind, "cited_in": claim.cited_in, "verification": claim.verification,
            "locator": f"{claim.document.original_name}:{claim.row}",
        })
    return rows


def _range(claims: list[dict]) -> dict:
    """The span of the claims that are not retracted: the lowest figure any gives as its lower end, the highest
    any gives as its upper end.

    An end is open when a claim leaves it open: "at least 3" (a minimum only) gives no upper end, so the
    span has none ("high" None, "high_open" true), and "at most 525" none below. A one-sided figure is
    never taken for a point: 3 is not the highest claim when a claim says "3 or more".
    """
    live = [c for c in claims if c["verification"] != "retracted"]
    lows = [c["minimum"] if c["minimum"] is not None else c["best"] for c in live]
    highs = [c["maximum"] if c["maximum"] is not None else c["best"] for c in live]
    low_open, high_open = None in lows, None in highs
    return {"low": min(lows) if lows and not low_open else None,
            "high": max(highs) if highs and not high_open else None,
            "low_open": low_open, "high_open": high_open, "claims": len(live), "excludes": "retracted claims"}


def range_text(span: dict, none: str = "none", at_least: str = "≥ {n}", at_most: str = "≤ {n}",
               unbounded: str = "open at both ends") -> str:
    """The claims' span as a reader reads it: 80–241, 3, ≥ 3 (open above), ≤ 525 (open below), or none."""
    low, high = span.get("low"), span.get("high")
    if not span.get("claims"):
        return none
    if span.get("low_open") and span.get("high_open"):
        return unbounded
    if span.get("high_open"):
        return at_least.format(n=f"{low:,}")
    if span.get("low_open"):
        return at_most.format(n=f"{high:,}")
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _estimates() -> dict[str, dict]:
    """The latest stored estimate per category, when the case has any."""
    try:
        from mingdan.store.models import Estimate
    except ImportError:  # the estimate model lands with the estimation issue
        return {}
    latest: dict[str, dict] = {}
    for estimate in Estimate.objects.order_by("created"):
        latest[estimate.category] = estimate.as_dict()
    return latest


def _sources() -> list[dict]:
    """The sources of the case: who listed people or published a figure.

    The holder of the count-claims files is no source: it lists nobody, and each claim cites its own
    source (claims_files gives its files, and manifest.json their SHA-256). family_list says why a source
    is a list of relatives: "kind" (of kind family), "relations" (it ties its people to others), or None.
    """
    from mingdan.ingest.count_claims import CLAIMS_SOURCE
    from mingdan.store.models import Relation, Source

    # Lists of relatives: a release withholds their sizes, whatever they are (release.py).
    tying = set(Relation.objects.filter(superseded_in__isnull=True).values_list("record__source_id", flat=True))
    rows = []
    for source in Source.objects.prefetch_related("documents").exclude(name=CLAIMS_SOURCE).order_by("name"):
        documents = sorted(source.documents.all(), key=lambda d: d.version)
        family = "kind" if source.kind == "family" else "relations" if source.pk in tying else None
        rows.append({"source": source.name, "kind": source.kind, "records": source.records.count(),
                     "count_claims": source.count_claims.count(), "versions": len(documents),
                     "sha256": [d.sha256 for d in documents], "family_list": family})
    return rows


def _claims_files() -> list[dict]:
    """The imported files of published count claims: name, version, SHA-256 and how many claims each held."""
    from mingdan.ingest.count_claims import CLAIMS_SOURCE
    from mingdan.store.models import Document

    return [{"file": d.original_name, "version": d.version, "sha256": d.sha256, "claims": d.row_count}
            for d in Document.objects.filter(source__name=CLAIMS_SOURCE).order_by("version")]
