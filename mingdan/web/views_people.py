"""Search and browse records and people; a person's and a record's page; JSON and CSV exports.

Every value, filter, facet and count goes through the request's lens (roles.lens): a value a
role may not read is never shown, matched or counted for it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import NamedTuple

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from mingdan.dates import DateError, parse_date
from mingdan.store import audit
from mingdan.store.crypto import active
from mingdan.store.lens import Lens, event_types_q, without_family_events
from mingdan.store.search import matching_records, places_within

from . import families, present, scores
from .filters import CUSTODY_STATUSES, FilterError, check_choices, date_range
from .elsewhere import figure
from .kept import kept
from .roles import can, lens, requires
from .summaries import record_summaries

PAGE_SIZE = 50
#: The query parameters that narrow a search.
FILTERS = ("q", "event", "place", "from", "to", "source", "linked", "status")


def home(request):
    """Browsing roles start at the search page, analysts at the accounting."""
    if not request.user.is_authenticated:
        return redirect("/login")
    return redirect("/records" if can(request.user, "browse") else "/accounting")


def _sealed_events(reader: Lens, column: str, level_column: str, matches) -> Q:
    """Events whose sealed value in `column` this reader may read and `matches` accepts (decrypted here, only for it)."""
    from mingdan.store.models import Event

    if not reader.sealed_levels:
        return Q(pk__in=[])
    found = [pk for pk, text, level in without_family_events(Event.objects, reader).filter(**{f"{level_column}__in": reader.sealed_levels},
                                                            superseded_in__isnull=True)
             .values_list("pk", column, level_column).iterator()
             if text and matches(reader.compared(text, level))]
    return Q(pk__in=found)


def _place_q(reader: Lens, text: str) -> Q:
    """Events at the typed place: a gazetteer entry finds every place within it, however written (Beijing:
    海淀区, Muxidi); any other text matches as a substring. A sealed place matches only for a reader who may read it."""
    folded = text.casefold()
    read = places_within(text)
    if read is not None:
        # A place the gazetteer knows finds what lies within it, and only that: as text, "Xuanwu" also matched
        # "Xuanwu District, Nanjing" in a Beijing case (an outside tester, rerun45).
        within = set(read)
        # A sealed place is not read into the gazetteer (places_within reads public ones): it matches as text.
        return (Q(place_sensitivity="public", place__in=sorted(within))
                | _sealed_events(reader, "place", "place_sensitivity",
                                 lambda place: folded in place.casefold() or place in within))
    return (Q(place_sensitivity="public", place__icontains=text)
            | _sealed_events(reader, "place", "place_sensitivity", lambda place: folded in place.casefold()))


def _date_q(reader: Lens, start: dt.date | None, end: dt.date | None) -> Q:
    """Events whose date interval overlaps the range (an uncertain date counts when it overlaps)."""
    public = Q(date_sensitivity="public")
    if end:
        public &= Q(date_earliest__lte=end)
    if start:
        public &= Q(date_latest__gte=start)

    def overlaps(text: str) -> bool:
        try:
            parsed = parse_date(text)
        except DateError:
            return False
        return (end is None or parsed.earliest <= end) and (start is None or parsed.latest >= start)

    return public | _sealed_events(reader, "date_edtf", "date_sensitivity", overlaps)


def filtered_records(request):
    """Records matching the query string's filters, as this user may search them (FilterError for a filter that
    cannot be read)."""
    from mingdan.store.models import Event, Record
    from mingdan.store.search import ensure_indexed

    reader = lens(request)
    records = Record.objects.all()
    params = request.GET
    start, end = date_range(params)
    check_choices(params)
    query = params.get("q", "").strip()[:200]
    if query:
        ensure_indexed()
        records = records.filter(pk__in=matching_records(query, reader.readable))
    conditions = []  # each on the same event
    if params.get("event"):
        conditions.append(event_types_q(reader, [params["event"][:40]]))
    if params.get("place"):
        conditions.append(_place_q(reader, params["place"][:200]))
    if start or end:
        conditions.append(_date_q(reader, start, end))
    if conditions:
        events = without_family_events(Event.objects, reader).filter(*conditions, superseded_in__isnull=True)
        records = records.filter(pk__in=events.values("record_id"))
    if params.get("source"):
        records = records.filter(source__name=params["source"])
    if params.get("linked") == "no":
        records = records.filter(person__isnull=True)
    if params.get("status") in CUSTODY_STATUSES:
        records = records.filter(pk__in=_custody_status_records(reader, params["status"]))
    return records, query


class Custody(NamedTuple):
    """What the status filter and the accounting read of a custody history (kept without its timeline)."""

    person_id: str
    view: object
    record_ids: list[str]


@figure("custody")
def _custody_computation(reader: Lens):
    """The computation of every custody history from what this reader may read."""
    from mingdan.track.status import custody_people

    from .case import current

    def compute() -> list[Custody]:
        return [Custody(person.person_id, person.view, person.record_ids)
                for person in custody_people(current(), lens=Lens(reader.readable), named=False)]

    return compute


def custody_of_everyone(reader: Lens) -> list[Custody]:
    """Every custody history computed from what this reader may read; kept until the case changes."""
    return kept("custody", reader, _custody_computation(reader))


def _custody_status_records(reader: Lens, status: str) -> list[int]:
    """Ids of the records whose person (or the record itself, if not linked) has this custody status today."""
    today = dt.date.today()
    return kept("custody-status", reader, _status_computation(reader, status, today), status, today)


@figure("custody-status")
def _status_computation(reader: Lens, status: str, today: dt.date):
    """The computation of the ids of the records whose person has this custody status on `today`."""
    from mingdan.store.models import Record

    def compute() -> list[int]:
        keys = [person for person, view, _ in custody_of_everyone(reader) if view.status_on(today) == status]
        linked = [key for key in keys if ":" not in key]
        unlinked = {tuple(key.split(":", 1)) for key in keys if ":" in key}
        ids = list(Record.objects.filter(person__person_id__in=linked).values_list("pk", flat=True))
        if unlinked:
            ids.extend(pk for pk, source, record_id in Record.objects.filter(person__isnull=True)
                       .values_list("pk", "source__name", "record_id").iterator() if (source, record_id) in unlinked)
        return ids

    return compute


@requires("browse")
def records_view(request):
    """The search page: a name in any script, filters, facets, pages."""
    from mingdan.store.models import EventType, Record, Source

    reader = lens(request)
    try:
        records, query = filtered_records(request)
    except FilterError as exc:
        return render(request, "mingdan/error.html", {"status": 400, "message": str(exc)}, status=400)
    records = records.order_by("source_id", "sort_key", "record_id")
    # A page's ids first, from the covering index, then its records: an OFFSET that joined every skipped row took
    # 448 ms at page 10,000 of 744,883 records.
    page = Paginator(records.values_list("pk", flat=True), PAGE_SIZE).get_page(request.GET.get("page"))
    found = Record.objects.select_related("source", "person").in_bulk(list(page.object_list))
    page.object_list = [found[pk] for pk in page.object_list if pk in found]
    names = present.display_names([r.pk for r in page.object_list], reader)
    summaries = record_summaries(page.object_list, reader)
    filtered = any(request.GET.get(k) for k in FILTERS)
    # After a change the counts of the whole case are shown from before it, marked, while they are counted again.
    facets, counted = (_facets(records, reader), True) if filtered else kept("facets", reader, _all_facets(reader),
                                                                             stale_ok=True)
    filters = {k: request.GET[k] for k in ("event", "source", "from", "to", "status", "linked") if request.GET.get(k)}
    if query or request.GET.get("place") or filters:
        audit.record(request.user.username, "search", "records", {**_search_detail(request, query),
                                                                  "results": page.paginator.count})
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(request, "mingdan/records.html", {
        "page": page, "rows": [(r, names.get(r.pk, ""), summaries[r.pk]) for r in page.object_list], "facets": facets,
        "facets_fresh": counted,
        "query": query, "params": request.GET, "keep": keep.urlencode(), "events": EventType.choices,
        "statuses": CUSTODY_STATUSES, "dates": _applied_dates(request),
        "sources": kept("sources", Lens.everything(), lambda: list(
            Source.objects.filter(records__isnull=False).distinct().order_by("name").values_list("name", flat=True)))})


def _applied_dates(request) -> dict | None:
    """The date range a search applied, as days (a year or month typed is shown as the days it stands for)."""
    start, end = date_range(request.GET)
    if not start and not end:
        return None
    return {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None}


def _search_detail(request, query: str) -> dict:
    """What the audit keeps of a search: the typed query and every filter sealed with the case key (a place, an
    event type or a date range can say as much about whom one looks for as a name)."""
    filters = {k: request.GET[k][:200] for k in FILTERS if k != "q" and request.GET.get(k)}
    return {"query": active().seal(query) if query else "",
            "filters": active().seal(json.dumps(filters, ensure_ascii=False, sort_keys=True)) if filters else ""}


@figure("facets")
def _all_facets(reader: Lens):
    """The computation of the facets of the whole case for this reader."""
    return lambda: _facets(None, reader)


def _facets(records, reader: Lens) -> dict:
    """Counts per event type (only types this reader may read) and per source of the matching records (None: all)."""
    from django.db.models import Case, CharField, F, Value, When

    from mingdan.store.models import Event, EventType, Source

    within = {} if records is None else {"record__in": records.values("pk")}
    events = without_family_events(Event.objects, reader).filter(
        superseded_in__isnull=True, type_sensitivity__in=reader.readable, **within)
    # A sealed type is counted under its name, for the readers who may read it (equal types seal alike).
    sealed = [When(event_type=form, then=Value(kind)) for kind in EventType.values
              for form in reader.sealed_forms(kind)[1:]]
    label = Case(*sealed, default=F("event_type"), output_field=CharField()) if sealed else F("event_type")
    counted = (events.annotate(kind=label).values("kind").annotate(n=Count("record", distinct=True)).order_by("-n"))
    return {
        "event": [{"event_type": row["kind"], "n": row["n"]} for row in counted],
        "source": list(Source.objects.filter(**({} if records is None else {"records__in": records.values("pk")}))
                       # A source with no record (one that only published count claims) is no use as a filter.
                       .values("name").annotate(n=Count("records")).filter(n__gt=0).order_by("name")),
    }


def _record(pk: int):
    """The record with this id; 404 when absent."""
    from mingdan.store.models import Record

    record = Record.objects.select_related("source", "person").filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


@requires("browse")
def record_view(request, pk: int):
    """One record: every claim with its locator, its events, its person and its scored links."""
    from mingdan.store.models import PairLink

    record = _record(pk)
    reader = lens(request)
    # Every stored pair, whatever the run's band: a run stores each pair scored at least the review threshold alone,
    # and its band after weighing the rivals (linkage/one_to_one.py) may rest on a rival's hidden value, so leaving
    # out the run's "none" showed which pairs a hidden value had pushed down (an outside tester read a secret sex).
    links = (PairLink.objects.filter(Q(record_a=record) | Q(record_b=record))
             .select_related("record_a__source", "record_b__source", "run"))
    # Scored and ordered as this reader is shown them before the first 20 are taken.
    links = scores.shown_links(list(links), reader)[:20]
    return render(request, "mingdan/record.html", {
        "record": record, "fields": present.claims_by_field([record], reader, history=True),
        "name": present.display_names([record.pk], reader).get(record.pk, ""),
        "links": links, "may_edit": can(request.user, "edit"), "may_relate": can(request.user, "edit"),
        "relations": families.relations([record], reader, history=True),
        "harassment": families.harassment([record], reader, history=True)})


@requires("browse")
def person_view(request, person_id: str):
    """A person: claims per field across every linked record, conflicts, custody timeline, reviews."""
    from mingdan.store.models import Person, Record, ReviewDecision
    from mingdan.track.status import person_status

    from .case import current

    person = Person.objects.filter(person_id=person_id).first()
    if person is None:
        raise Http404
    reader = lens(request)
    records = list(Record.objects.filter(person=person).select_related("source")
                   .order_by("source_id", "sort_key", "record_id"))
    names = present.display_names([r.pk for r in records], reader)
    name, other_names = present.person_name([r.pk for r in records], reader)
    reviews = (ReviewDecision.objects.filter(Q(record_a__in=records) | Q(record_b__in=records))
               .select_related("record_a__source", "record_b__source").order_by("-decided_at"))
    fields = present.claims_by_field(records, reader)
    try:
        timeline = person_status(current(), person_id, lens=reader)
    except LookupError:
        timeline = None
    return render(request, "mingdan/person.html", {
        "person": person, "records": [(r, names.get(r.pk, "")) for r in records],
        "name": name, "other_names": other_names, "fields": fields, "reviews": reviews,
        "timeline": timeline, "timeline_partial": not present.reads_everything(reader),
        "relations": families.relations(records, reader), "harassment": families.harassment(records, reader)})


def _records_json(records, reader: Lens) -> list[dict]:
    """The JSON form of records: every visible claim per field, in one query for the whole page."""
    names = present.display_names([r.pk for r in records], reader)
    fields: dict[int, dict] = {r.pk: {} for r in records}
    for group in present.claims_by_field(records, reader):
        for shown in fields.values():  # the same keys for every record: an empty list says nothing readable
            shown.setdefault(group["field"], [])
        for c in group["claims"]:
            fields[c["record"].pk].setdefault(group["field"], []).append(
                {"value": c["value"], "kind": c["kind"], "verification": c["verification"],
                 "source": c["source"], "locator": c["locator"]})
    return [{"id": r.pk, "source": r.source.name, "record_id": r.record_id,
             "person_id": r.person.person_id if r.person_id else None,
             "name": names.get(r.pk) or None, "fields": fields[r.pk]} for r in records]


@requires("browse")
def records_json(request):
    """The search as JSON: the same filters and the same visibility as the page."""
    try:
        records, query = filtered_records(request)
    except FilterError as exc:
        return JsonResponse({"error": str(exc), "parameter": exc.parameter}, status=400,
                            json_dumps_params={"ensure_ascii": False})
    records = records.select_related("source", "person").order_by("source_id", "sort_key", "record_id")
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    audit.record(request.user.username, "search-json", "records",
                 {**_search_detail(request, query), "results": page.paginator.count})
    return JsonResponse({"count": page.paginator.count, "page": page.number, "pages": page.paginator.num_pages,
                         "dates": _applied_dates(request), "results": _records_json(list(page.object_list), lens(request))},
                        json_dumps_params={"ensure_ascii": False})


@requires("browse")
def record_json(request, pk: int):
    """One record as JSON, with withheld values left out."""
    return JsonResponse(_records_json([_record(pk)], lens(request))[0], json_dumps_params={"ensure_ascii": False})


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@requires("browse")
def export_csv(request):
    """The filtered records as CSV: one row per record and field value this user may read."""
    try:
        records, query = filtered_records(request)
    except FilterError as exc:
        return HttpResponse(f"{exc}\n", status=400, content_type="text/plain; charset=utf-8")
    records = list(records.select_related("source", "person").order_by("source_id", "sort_key", "record_id")[:100_000])
    reader = lens(request)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["source", "record_id", "person_id", "field", "value", "kind", "verification", "locator"])
    for start in range(0, len(records), 500):
        chunk = records[start:start + 500]
        for group in present.claims_by_field(chunk, reader):
            for claim in group["claims"]:  # only claims this reader may read
                record = claim["record"]
                writer.writerow([_cell(v) for v in (record.source.name, record.record_id,
                                                    record.person.person_id if record.person_id else "",
                                                    group["field"], claim["value"], claim["kind"],
                                                    claim["verification"], claim["locator"])])
    audit.record(request.user.username, "export", "records.csv",
                 {**_search_detail(request, query), "records": len(records)})
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="records.csv"'
    return response
