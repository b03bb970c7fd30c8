"""Importing an uploaded list: sealed from its first byte, imported by a background job, followed on its page."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from mingdan.store import audit

from .case import current
from .roles import can, requires

UPLOAD_SUFFIXES = {".csv", ".xlsx", ".json", ".tsv", ".txt"}
#: The largest upload (the server refuses larger request bodies before they are read).
MAX_UPLOAD = 50 * 1024 * 1024
#: Background import processes this server started, kept to reap them when they end.
_STARTED: list = []


class SealedFile(UploadedFile):
    """An upload already sealed into the case's incoming folder (`sealed_as` names it there)."""

    def __init__(self, name: str, sealed_as: str, size: int):
        super().__init__(file=None, name=name, size=size)
        self.sealed_as = sealed_as


class SealedUploadHandler(FileUploadHandler):
    """Seals each chunk of an uploaded file as it arrives: the upload is never on disk (nor in /tmp) in clear."""

    def new_file(self, field_name, file_name, *args, **kwargs):
        from mingdan.ingest.importer import case_keyring
        from mingdan.ingest.uploads import SealedUpload

        super().new_file(field_name, file_name, *args, **kwargs)
        self.upload = SealedUpload(current(), case_keyring(current()))

    def receive_data_chunk(self, raw_data, start):
        if self.upload.size + len(raw_data) > MAX_UPLOAD:
            self.upload.abort()
            raise StopUpload(connection_reset=True)
        self.upload.write(raw_data)
        return None

    def file_complete(self, file_size):
        self.upload.close()
        return SealedFile(self.file_name, self.upload.name, self.upload.size)

    def upload_interrupted(self):
        if getattr(self, "upload", None) is not None:
            self.upload.abort()


def _reap() -> None:
    _STARTED[:] = [process for process in _STARTED if process.poll() is None]


@csrf_exempt
def import_view(request):
    """Upload a CSV, XLSX or JSON list; it is checked and imported in the background, like `mingdan import`."""
    if not request.user.is_authenticated:
        return redirect("/login?next=/import")
    if not can(request.user, "import"):
        raise PermissionDenied("import")  # before the body is read: nothing of it is kept
    if request.method == "POST":
        # The upload handler must be chosen before the body is read (and the CSRF check reads it).
        request.upload_handlers = [SealedUploadHandler(request)]
    response = _import_form(request)
    if request.method == "POST" and not getattr(request, "import_job", None):
        files = getattr(request, "_files", None)  # refused (no CSRF token, wrong type): the sealed upload goes
        for _field, uploads in files.lists() if files is not None else []:
            for upload in uploads:
                (current().incoming_dir / upload.sealed_as).unlink(missing_ok=True)
    return response


@csrf_protect
@requires("import")
def _import_form(request):
    from mingdan.store.models import ImportJob

    problems = []
    source = request.POST.get("source", "").strip()[:300]
    if request.method == "POST":
        upload = request.FILES.get("file")
        suffix = Path(upload.name).suffix.lower() if upload else ""
        if upload is None:
            problems.append(_("Choose a file."))
        elif suffix not in UPLOAD_SUFFIXES:
            problems.append(_("Only CSV, XLSX and JSON files can be imported."))
        else:
            job = ImportJob.objects.create(user=request.user.username, file_name=Path(upload.name).name[:300],
                                           source=source, upload=upload.sealed_as, size=upload.size,
                                           created=datetime.now(timezone.utc))
            from mingdan.ingest.jobs import start

            _reap()
            process = start(current(), job.pk)
            _STARTED.append(process)
            ImportJob.objects.filter(pk=job.pk).update(process=process.pid)
            request.import_job = job.pk
            audit.record(request.user.username, "import-started", job.file_name, {"job": job.pk, "bytes": upload.size})
            return redirect(f"/import/jobs/{job.pk}")
    jobs = ImportJob.objects.filter(user=request.user.username).order_by("-created")[:10]
    return render(request, "mingdan/import.html", {"problems": problems, "source": source, "jobs": jobs},
                  status=400 if problems else 200)


@requires("import")
def job_view(request, job_id: int):
    """An import's progress (the page reloads itself while it runs), then its result or its problems."""
    from mingdan.store.crypto import active
    from mingdan.store.models import ImportJob

    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or (job.user != request.user.username and not can(request.user, "audit")):
        raise Http404
    _reap()
    # The outcome quotes the uploader's own file (a problem may name a cell): sealed at rest, shown to them.
    outcome = json.loads(active().reveal(job.outcome)) if job.outcome else {}
    return render(request, "mingdan/import_job.html", {
        "job": job, "result": outcome.get("result"), "problems": outcome.get("problems", []),
        "running": job.state in (ImportJob.State.QUEUED, ImportJob.State.RUNNING)})
