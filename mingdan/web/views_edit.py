"""Entering records and amending a value (always a new claim)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mingdan.ingest.fields import CellError
from mingdan.ingest.problems import ImportFailed
from mingdan.store import audit
from mingdan.store.import_lock import CaseBusy, import_lock

from .case import current
from .roles import lens, requires

#: Fields a record form offers (one event per entry; more events come as more entries or imports).
ENTRY_FIELDS = ["record_id", "name", "name_variants", "sex", "age", "birth", "occupation", "place",
                "event", "event_date", "facility", "sentence", "notes"]
#: Seconds a form waits for an import that holds the case before it says so.
WAIT = 20


@contextmanager
def _change(request, detail: dict, target: str = "") -> Iterator[audit.Pending]:
    """Make a change of the case holding its import lock, then the audit log's: the change is made only when its
    entry can follow, and the log's lock is never held while an import is waited for (every audited page needs it).

    Checked first and recorded after, an amendment waiting for an import was made without its entry when the log's
    lock was held elsewhere meanwhile (an outside tester, rerun44).
    """
    with import_lock(current(), timeout=WAIT), audit.recording(request.user.username, "write", target, detail) as entry:
        yield entry


def _import_typed(values: dict, source: str, user: str) -> str:
    """Import one typed record through the importer and return its status; what was typed is held in memory only.

    The original opens with a title row (the importer reads the rows above the header as a title,
    not data) saying who entered it, when and for which source: each entry is its own report, so
    two sources given the same values (two interviews, say) are two originals and two records, not
    one file "already imported" under the first source's name.
    """
    from mingdan.ingest.importer import import_file
    from mingdan.ingest.uploads import memory_file

    now = datetime.now(timezone.utc)
    text = io.StringIO()
    csv.writer(text).writerow([f"Entered in mingdan by {user} at {now.isoformat()} for the source {source}"])
    writer = csv.DictWriter(text, fieldnames=ENTRY_FIELDS)
    writer.writeheader()
    writer.writerow(values)
    with memory_file(current(), f"entered-{user}-{now:%Y%m%dT%H%M%S%f}.csv", [text.getvalue().encode("utf-8")]) as path:
        return import_file(current(), path, source_name=source, user=user, supersede=False, wait=WAIT).status


@requires("edit")
def new_record_view(request):
    """A form for one record; it goes through the importer's validation and keeps what was typed as its original."""
    from mingdan.store.models import EventType, Record, Source

    values = {field: request.POST.get(field, "") for field in ENTRY_FIELDS}
    source = request.POST.get("source", "").strip()
    problems: list[str] = []
    if request.method == "POST":
        if not source:
            problems.append(_("Name the source: who reported this (an interview, a list, a court document)."))
        if not values["record_id"].strip():
            problems.append(_("Give the record an identifier."))
        elif Record.objects.filter(source__name=source, record_id=values["record_id"].strip()).exists():
            problems.append(_("This source already has a record with that identifier; open it and edit it instead."))
        if not problems:
            try:
                with _change(request, {"action": "entered"}) as entry:
                    _import_typed(values, source, request.user.username)
                    stored = Record.objects.filter(source__name=source, record_id=values["record_id"].strip()).first()
                    entry.target = f"record {stored.pk}" if stored else "record ?"
            except ImportFailed as exc:
                problems.extend(f"{p.column}: {p.reason}" if p.column else p.reason for p in exc.problems)
            except CaseBusy:
                problems.append(_("An import into this case is running; try again when it has finished."))
            record = Record.objects.filter(source__name=source, record_id=values["record_id"].strip()).first()
            if not problems and record is None:  # never a server error: say that nothing was stored
                problems.append(_("The record was not stored; nothing was changed. Try again."))
            if not problems:
                return redirect(f"/records/{record.pk}")
    return render(request, "mingdan/record_new.html", {
        "values": values, "source": source, "problems": problems, "events": EventType.choices,
        "sources": Source.objects.order_by("name").values_list("name", flat=True)})


@requires("edit")
def edit_view(request, pk: int):
    """Amend one field of a record: the old claim stays, the new one supersedes it and says who and when.

    The current value is shown through the request's lens (so the read is audited); a field whose
    current value the role may not read cannot be amended by it.
    """
    from mingdan.ingest.amend import AMENDABLE, amend
    from mingdan.store.models import Claim, Record

    record = Record.objects.select_related("source").filter(pk=pk).first()
    if record is None:
        raise Http404
    reader = lens(request)
    field = request.POST.get("field") or request.GET.get("field") or "name"
    if field not in AMENDABLE:
        # Refused, never taken for the name: a mistyped or forged field must not amend another one.
        return render(request, "mingdan/error.html", {"status": 400, "message": _(
            "This field cannot be amended here; choose one of the fields the form offers.")}, status=400)
    now = Claim.objects.current().filter(record=record, field=field).order_by("-id").first()
    allowed = now is None or reader.may(now.sensitivity)
    problem = None if allowed else _("This field holds a value your role may not read. An amendment would replace "
                                     "it, so your role may not amend this field; an administrator can.")
    if request.method == "POST" and allowed:
        try:
            with _change(request, {"action": "amended", "field": field}, f"record {record.pk}"):
                amend(current(), record, field, request.POST.get("value", ""), request.user.username,
                      request.POST.get("reason", "").strip()[:200], wait=WAIT)
        except CellError as exc:
            problem = f"{field}: {exc}"
        except CaseBusy:
            problem = _("An import into this case is running; try again when it has finished.")
        else:
            return redirect(f"/records/{record.pk}")
    return render(request, "mingdan/record_edit.html", {
        "record": record, "field": field, "fields": AMENDABLE, "problem": problem, "allowed": allowed,
        "current": reader.value(now.value, now.sensitivity, record.pk) if now else "",
        "value": request.POST.get("value", "")}, status=200 if allowed else 403)


@requires("edit")
def relation_view(request, pk: int):
    """Enter a relation of this record's person to another record's: a claim with a cited source and locator,
    restricted unless chosen otherwise; a current relation between the two records is superseded, never overwritten."""
    from mingdan.ingest.relate import SENSITIVITIES, relate
    from mingdan.ingest.vocab import RELATION_KINDS
    from mingdan.store.models import Record

    record = Record.objects.select_related("source").filter(pk=pk).first()
    if record is None:
        raise Http404
    reader = lens(request)
    # An editor may enter a relation only at a level it may read (a secret one is the admin's).
    levels = [level for level in SENSITIVITIES if reader.may(level)]
    values = {key: request.POST.get(key, "").strip()[:300]
              for key in ("kind", "other", "cited_source", "cited_locator", "sensitivity")}
    problem = None
    if request.method == "POST":
        try:
            if values["sensitivity"] not in levels:
                raise CellError(_("Choose a sensitivity your role may read."))
            with _change(request, {"action": "related"}, f"record {record.pk}"):
                relate(current(), record, values["kind"], values["other"], values["cited_source"],
                       values["cited_locator"], request.user.username, values["sensitivity"], wait=WAIT)
        except CellError as exc:
            problem = str(exc)
        except CaseBusy:
            problem = _("An import into this case is running; try again when it has finished.")
        else:
            return redirect(f"/records/{record.pk}")
    return render(request, "mingdan/record_relate.html", {
        "record": record, "kinds": RELATION_KINDS, "levels": levels, "values": values, "problem": problem},
        status=400 if problem else 200)


@requires("edit")
def withdraw_relation_view(request, pk: int, relation: str):
    """Withdraw a current relation of this record (POST, with a reason): it stays, marked withdrawn, and is audited.

    `relation` is the relation's opaque token (families.relation_token), never its number."""
    from django.http import HttpResponseNotAllowed

    from mingdan.ingest.relate import withdraw

    from .families import find_relation

    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    found = find_relation(pk, relation[:64])
    # Only a relation of this record, and one this editor may read (a secret one is the admin's to withdraw).
    if found is None or lens(request).family(found.kind, found.sensitivity, found.record_id) is None:
        raise Http404
    try:
        with _change(request, {"action": "relation-withdrawn", "relation": found.pk}, f"record {pk}"):
            withdraw(current(), found, request.POST.get("reason", "")[:600], request.user.username, wait=WAIT)
    except CellError as exc:
        return render(request, "mingdan/error.html", {"status": 400, "message": str(exc)}, status=400)
    except CaseBusy:
        return render(request, "mingdan/error.html",
                      {"status": 409, "message": _("An import into this case is running; try again when it has finished.")}, status=409)
    return redirect(f"/records/{pk}")
