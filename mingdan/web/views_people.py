"""Search and browse records and people; a person's and a record's page; JSON and CSV exports."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from mingdan.store import audit
from mingdan.store.crypto import active
from mingdan.store.search import matching_records, places_within, refresh_index

from . import present
from .roles import can, readable, requires

PAGE_SIZE = 50


def home(request):
    """Browsing roles start at the search page, analysts at the accounting."""
    if not request.user.is_authenticated:
        return redirect("/login")
    return redirect("/records" if can(request.user, "browse") else "/accounting")


def _date(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


def filtered_records(request):
    """Records matching the query string's filters, as this user may search them."""
    from mingdan.store.models import Record

    records = Record.objects.all()
    params = request.GET
    query = params.get("q", "").strip()[:200]
    if query:
        refresh_index()
        records = records.filter(pk__in=matching_records(query, readable(request.user)))
    event_q = Q(events__superseded_in__isnull=True)
    if params.get("event"):
        event_q &= Q(events__event_type=params["event"])
    if params.get("place"):
        # A place in the gazetteer finds every place within it, however written (Beijing: 海淀区, Muxidi);
        # any other text matches as a substring. Sealed places never match either way, so a filter
        # cannot reveal a restricted place.
        typed = params["place"][:200]
        within = places_within(typed)
        event_q &= Q(events__place__icontains=typed) | Q(events__place__in=within or [])
    start, end = _date(params.get("from")), _date(params.get("to"))
    if end:  # an uncertain date counts when its interval overlaps the range
        event_q &= Q(events__date_earliest__lte=end)
    if start:
        event_q &= Q(events__date_latest__gte=start)
    if any(params.get(k) for k in ("event", "place", "from", "to")):
        records = records.filter(pk__in=Record.objects.filter(event_q).values("pk"))
    if params.get("source"):
        records = records.filter(source__name=params["source"])
    if params.get("linked") == "no":
        records = records.filter(person__isnull=True)
    if params.get("status") in CUSTODY_STATUSES:
        records = records.filter(pk__in=_custody_status_records(params["status"]))
    return records, query


#: Custody statuses a search can filter on (today's status, from every event known now).
CUSTODY_STATUSES = ("held", "released", "deceased", "unknown")


def _custody_status_records(status: str) -> list[int]:
    """Ids of the records whose person (or the record itself, if not linked) has this custody status today."""
    from django.core.cache import cache

    from mingdan.store.models import Record
    from mingdan.track.status import custody_people

    from .case import current

    by_status = cache.get("custody-status")
    if by_status is None:
        today = dt.date.today()
        by_status = {}
        for person in custody_people(current()):
            by_status.setdefault(person.view.status_on(today), []).append(person.person_id)
        cache.set("custody-status", by_status, 60)  # recomputed at most once a minute
    keys = by_status.get(status, [])
    linked = [key for key in keys if ":" not in key]
    unlinked = [tuple(key.split(":", 1)) for key in keys if ":" in key]
    ids = list(Record.objects.filter(person__person_id__in=linked).values_list("pk", flat=True))
    for source, record_id in unlinked:
        ids.extend(Record.objects.filter(source__name=source, record_id=record_id).values_list("pk", flat=True))
    return ids


@requires("browse")
def records_view(request):
    """The search page: a name in any script, filters, facets, pages."""
    from mingdan.store.models import EventType, Source

    records, query = filtered_records(request)
    records = records.select_related("source", "person").order_by("source_id", "record_id")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    names = present.display_names([r.pk for r in page.object_list], readable(request.user))
    facets = _facets(records, filtered=any(request.GET.get(k) for k in ("q", "event", "place", "from", "to", "source",
                                                                         "linked", "status")))
    filters = {k: request.GET[k] for k in ("event", "source", "from", "to", "status", "linked") if request.GET.get(k)}
    if query or request.GET.get("place") or filters:
        audit.record(request.user.username, "search", "records",
                     {"query": active().seal(query) if query else "", "place": active().seal(request.GET["place"])
                      if request.GET.get("place") else "", "filters": filters, "results": page.paginator.count})
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, "mingdan/records.html", {
        "page": page, "rows": [(r, names.get(r.pk, "")) for r in page.object_list], "facets": facets,
        "query": query, "params": request.GET, "keep": keep.urlencode(), "events": EventType.choices,
        "statuses": CUSTODY_STATUSES,
        "sources": Source.objects.order_by("name").values_list("name", flat=True)})


def _facets(records, filtered: bool) -> dict:
    """Counts per event type and source of the matching records (the whole case's are cached briefly)."""
    from django.core.cache import cache

    from mingdan.store.models import Event, Source

    if not filtered and (cached := cache.get("facets:all")) is not None:
        return cached
    ids = records.values("pk")
    event_filter = {"record__in": ids} if filtered else {}
    source_filter = {"records__in": ids} if filtered else {}
    facets = {
        "event": list(Event.objects.filter(superseded_in__isnull=True, **event_filter).values("event_type")
                      .annotate(n=Count("record", distinct=True)).order_by("-n")),
        "source": list(Source.objects.filter(**source_filter).values("name").annotate(n=Count("records"))
                       .order_by("name")),
    }
    if not filtered:
        cache.set("facets:all", facets, 30)  # counts of the whole case; a new import shows within 30 s
    return facets


def _audit_read(request, target: str, records) -> None:
    if present.has_sealed(records) and any(s != "public" for s in readable(request.user)):
        audit.record(request.user.username, "read-restricted", target, {"records": [r.pk for r in records]})


def _record_read(request, pk: int):
    """The record with this id, its read audited when it holds restricted values; 404 when absent."""
    from mingdan.store.models import Record

    record = Record.objects.select_related("source", "person").filter(pk=pk).first()
    if record is None:
        raise Http404
    _audit_read(request, f"record {pk}", [record])
    return record


@requires("browse")
def record_view(request, pk: int):
    """One record: every claim with its locator, its events, its person and its scored links."""
    from mingdan.store.models import PairLink

    record = _record_read(request, pk)
    links = (PairLink.objects.filter(Q(record_a=record) | Q(record_b=record)).exclude(band="none")
             .select_related("record_a__source", "record_b__source").order_by("-run_id", "-match_probability")[:20])
    return render(request, "mingdan/record.html", {
        "record": record, "fields": present.claims_by_field([record], readable(request.user), history=True),
        "name": present.display_names([record.pk], readable(request.user)).get(record.pk, ""),
        "links": links, "may_edit": can(request.user, "edit")})


@requires("browse")
def person_view(request, person_id: str):
    """A person: claims per field across every linked record, conflicts, custody timeline, reviews."""
    from mingdan.store.models import Person, Record, ReviewDecision

    person = Person.objects.filter(person_id=person_id).first()
    if person is None:
        raise Http404
    records = list(Record.objects.filter(person=person).select_related("source").order_by("source_id", "record_id"))
    _audit_read(request, f"person {person_id}", records)
    user_reads = readable(request.user)
    names = present.display_names([r.pk for r in records], user_reads)
    reviews = (ReviewDecision.objects.filter(Q(record_a__in=records) | Q(record_b__in=records))
               .select_related("record_a__source", "record_b__source").order_by("-decided_at"))
    timeline, timeline_note = _timeline(person_id, records, user_reads)
    return render(request, "mingdan/person.html", {
        "person": person, "records": [(r, names.get(r.pk, "")) for r in records],
        "name": next((n for n in names.values() if n), ""),
        "fields": present.claims_by_field(records, user_reads), "reviews": reviews,
        "timeline": timeline, "timeline_note": timeline_note})


def _timeline(person_id: str, records, user_reads) -> tuple[dict | None, str]:
    from mingdan.track.status import person_status

    from .case import current

    if "restricted" not in user_reads and present.has_sealed(records):
        return None, "withheld: this history holds restricted values"
    try:
        status = person_status(current(), person_id)
    except LookupError:
        return None, ""
    return status, ""


def _records_json(records, user_reads) -> list[dict]:
    """The JSON form of records: every visible claim per field, in one query for the whole page."""
    names = present.display_names([r.pk for r in records], user_reads)
    fields: dict[int, dict] = {r.pk: {} for r in records}
    for group in present.claims_by_field(records, user_reads):
        for c in group["claims"]:
            fields[c["record"].pk].setdefault(group["field"], []).append(
                {"value": c["value"], "withheld": c["withheld"], "kind": c["kind"], "verification": c["verification"],
                 "source": c["source"], "locator": c["locator"]})
    return [{"id": r.pk, "source": r.source.name, "record_id": r.record_id,
             "person_id": r.person.person_id if r.person_id else None,
             "name": names.get(r.pk) or None, "fields": fields[r.pk]} for r in records]


@requires("browse")
def records_json(request):
    """The search as JSON: the same filters and the same visibility as the page."""
    records, query = filtered_records(request)
    records = records.select_related("source", "person").order_by("source_id", "record_id")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    user_reads = readable(request.user)
    audit.record(request.user.username, "search-json", "records",
                 {"query": active().seal(query) if query else "", "results": page.paginator.count})
    return JsonResponse({"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
                         "results": _records_json(list(page.object_list), user_reads)},
                        json_dumps_params={"ensure_ascii": False})


@requires("browse")
def record_json(request, pk: int):
    """One record as JSON, with withheld values left out."""
    record = _record_read(request, pk)
    return JsonResponse(_records_json([record], readable(request.user))[0],
                        json_dumps_params={"ensure_ascii": False})


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@requires("browse")
def export_csv(request):
    """The filtered records as CSV: one row per record and field value this user may read."""
    records, query = filtered_records(request)
    records = list(records.select_related("source", "person").order_by("source_id", "record_id")[:100_000])
    user_reads = readable(request.user)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "record_id", "person_id", "field", "value", "kind", "verification", "locator"])
    for start in range(0, len(records), 500):
        chunk = records[start:start + 500]
        for group in present.claims_by_field(chunk, user_reads):
            for claim in group["claims"]:
                if claim["withheld"]:
                    continue
                record = claim["record"]
                writer.writerow([_cell(v) for v in (record.source.name, record.record_id,
                                                    record.person.person_id if record.person_id else "",
                                                    group["field"], claim["value"], claim["kind"],
                                                    claim["verification"], claim["locator"])])
    audit.record(request.user.username, "export", "records.csv",
                 {"query": active().seal(query) if query else "", "records": len(records)})
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="records.csv"'
    return response
