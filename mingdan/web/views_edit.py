"""Entering records, amending a value (always a new claim), and importing an uploaded file."""

from __future__ import annotations

import csv
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mingdan.ingest.fields import CellError
from mingdan.ingest.problems import ImportFailed
from mingdan.store import audit
from mingdan.store.crypto import reveal

from .case import current
from .roles import requires

#: Fields a record form offers (one event per entry; more events come as more entries or imports).
ENTRY_FIELDS = ["record_id", "name", "name_variants", "sex", "age", "birth", "occupation", "place",
                "event", "event_date", "facility", "sentence", "notes"]
UPLOAD_SUFFIXES = {".csv", ".xlsx", ".json", ".tsv", ".txt"}


def _import(path: Path, source: str, user: str, supersede: bool = True):
    from mingdan.ingest.importer import import_file

    return import_file(current(), path, source_name=source, user=user, supersede=supersede)


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
            stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / f"entered-{request.user.username}-{stamp}.csv"
                with open(path, "w", encoding="utf-8", newline="") as handle:
                    writer = csv.DictWriter(handle, fieldnames=ENTRY_FIELDS)
                    writer.writeheader()
                    writer.writerow(values)
                try:
                    _import(path, source, request.user.username, supersede=False)
                except ImportFailed as exc:
                    problems.extend(f"{p.column}: {p.reason}" if p.column else p.reason for p in exc.problems)
            if not problems:
                record = Record.objects.get(source__name=source, record_id=values["record_id"].strip())
                audit.record(request.user.username, "write", f"record {record.pk}", {"action": "entered"})
                return redirect(f"/records/{record.pk}")
    return render(request, "mingdan/record_new.html", {
        "values": values, "source": source, "problems": problems, "events": EventType.choices,
        "sources": Source.objects.order_by("name").values_list("name", flat=True)})


@requires("edit")
def edit_view(request, pk: int):
    """Amend one field of a record: the old claim stays, the new one supersedes it and says who and when."""
    from mingdan.ingest.amend import AMENDABLE, amend
    from mingdan.store.models import Claim, Record

    record = Record.objects.select_related("source").filter(pk=pk).first()
    if record is None:
        raise Http404
    field = request.POST.get("field") or request.GET.get("field") or "name"
    if field not in AMENDABLE:
        field = "name"
    problem = None
    if request.method == "POST":
        try:
            amend(current(), record, field, request.POST.get("value", ""), request.user.username,
                  request.POST.get("reason", "").strip()[:200])
        except CellError as exc:
            problem = f"{field}: {exc}"
        else:
            audit.record(request.user.username, "write", f"record {record.pk}", {"action": "amended", "field": field})
            return redirect(f"/records/{record.pk}")
    now = Claim.objects.current().filter(record=record, field=field).order_by("-id").first()
    return render(request, "mingdan/record_edit.html", {
        "record": record, "field": field, "fields": AMENDABLE, "problem": problem,
        "current": reveal(now.value) if now else "", "value": request.POST.get("value", "")})


@requires("import")
def import_view(request):
    """Upload a CSV, XLSX or JSON list; the same validation and report as `mingdan import`."""
    result, problems = None, []
    source = request.POST.get("source", "").strip()
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None:
            problems.append(_("Choose a file."))
        elif suffix not in UPLOAD_SUFFIXES:
            problems.append(_("Only CSV, XLSX and JSON files can be imported."))
        else:
            name = Path(upload.name).name
            with tempfile.TemporaryDirectory() as folder:
                path = Path(folder) / name
                with open(path, "wb") as out:
                    for chunk in upload.chunks():
                        out.write(chunk)
                try:
                    result = _import(path, source or None, request.user.username)
                except ImportFailed as exc:
                    problems.extend(str(p).replace(str(path), name) for p in exc.problems)
            audit.record(request.user.username, "import", name,
                         {"status": "refused" if problems else result.status, "problems": len(problems),
                          "rows": getattr(result, "rows_imported", 0) if result else 0})
    return render(request, "mingdan/import.html", {"result": result, "problems": problems, "source": source})
