"""Imports started from the web, run by a background process: `python -m mingdan.ingest.jobs CASE JOB_ID`.

The web server only seals the upload and records the job; this process imports it, so a long
or hostile file never holds the server's threads, memory or interpreter. It runs at a lower
priority, validates in its own process only (the server keeps the other core), writes its
progress into the job every few seconds, and its outcome (sealed: problems may quote cells)
when done. It holds the case's import lock, so imports queue; if it is killed, the import's
transaction never commits and the next start removes its upload (store.import_lock.remove_leftovers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from mingdan.store.case import Case, CaseError, open_case
from mingdan.store.import_lock import import_lock, remove_leftovers
from mingdan.store.loggable import loggable

#: Seconds between progress updates written into the job.
PROGRESS_EVERY = 1.0


def start(case: Case, job_id: int) -> subprocess.Popen:
    """Start the background process of a job (it outlives the request; the caller keeps the handle to reap it)."""
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    environment.update(MINGDAN_CASE_DIR=str(case.root), DJANGO_SETTINGS_MODULE="mingdan.store.settings",
                       MINGDAN_IMPORT_WORKER="never")
    # Its standard error is the server's: an unexpected failure is logged there, like the server's own.
    return subprocess.Popen([sys.executable, "-m", "mingdan.ingest.jobs", str(case.root), str(job_id)],
                            env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            start_new_session=True)


def _may_read(username: str) -> tuple[str, ...]:
    """The sensitivities the uploader's role may read (nothing for a user without an account)."""
    from mingdan.store.lens import ROLE_READS
    from mingdan.store.models import Account

    role = Account.objects.filter(user__username=username).values_list("role", flat=True).first()
    return ROLE_READS.get(role or "", ())


def _reads_every_level(username: str) -> bool:
    """True for a role that reads public, restricted and secret values (it may be told any source's name)."""
    from mingdan.store.models import Sensitivity

    return set(Sensitivity.values) <= set(_may_read(username))


def run(case: Case, job_id: int) -> None:
    """Import the job's upload into the case and record how it went."""
    from mingdan.store import audit
    from mingdan.store.models import ImportJob

    from .importer import case_keyring, import_file
    from .problems import ImportFailed
    from .uploads import memory_file, sealed_chunks

    jobs = ImportJob.objects.filter(pk=job_id)
    job = jobs.get()
    jobs.update(process=os.getpid())
    last = [0.0]

    def progress(stage: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY or stage != "importing":
            last[0] = now
            jobs.update(stage=stage[:40], rows_done=done)

    def own_name(told) -> str:
        # The worker reads the upload through a link in the case's private folder: its path is no one's business.
        return str(told).replace(str(path), job.file_name) if path else str(told)

    def waiting() -> None:
        jobs.update(stage="waiting for another import")

    with import_lock(case, waiting=waiting):
        remove_leftovers(case, locked=True)
        jobs.update(state=ImportJob.State.RUNNING, stage="reading")
        keyring = case_keyring(case)
        path = None
        try:
            audit.ready()  # nothing is imported that its entry could not follow
            with memory_file(case, job.file_name, sealed_chunks(case, keyring, job.upload)) as path:
                result = import_file(case, path, source_name=job.source or None, user=job.user, progress=progress,
                                     locked=True, may_read=_may_read(job.user))
            shown = {**result.to_dict(), "file": job.file_name}
            shown["warnings"] = [own_name(warning) for warning in shown.get("warnings", [])]
            if result.status == "already imported" and not _reads_every_level(job.user):
                # The same file is in the case under some source; which one, and its version, is not said to a
                # role that may not read every level (the source may be one it cannot see).
                shown.update(source="", version=None, rows=None, encoding="")
            outcome = {"result": shown}
            state, counts = ImportJob.State.DONE, {"status": result.status, "rows": result.rows_imported}
        except ImportFailed as exc:
            outcome = {"problems": [own_name(problem) for problem in exc.problems]}
            state, counts = ImportJob.State.FAILED, {"status": "refused", "problems": len(exc.problems)}
        except Exception as exc:  # the page says it failed; the log says where, without the exception's text
            frames = "".join(traceback.format_list(traceback.extract_tb(exc.__traceback__)))
            print(f"import job {job_id} failed:\n{frames}{loggable(exc)}", file=sys.stderr)
            told = str(exc) if isinstance(exc, CaseError) else f"the import failed ({type(exc).__name__})"
            outcome = {"problems": [f"{job.file_name}: {told}; nothing was imported"]}
            state, counts = ImportJob.State.FAILED, {"status": "error"}
        finally:
            (case.incoming_dir / job.upload).unlink(missing_ok=True)
        sealed = keyring.seal(json.dumps(outcome, ensure_ascii=False))
        done = state == ImportJob.State.DONE
        if done:
            # The list is in the case from its commit: said and audited before the names are indexed. A job killed
            # while indexing was reported as "nothing was imported", with no audit entry, though its records stayed
            # (an outside tester); the next start marks such a job done (store.import_lock._remove_leftovers) and indexes.
            jobs.update(outcome=sealed)
        else:  # said before the entry, which may be what failed (rerun44: the page said "running" for good)
            jobs.update(state=state, stage="", finished=datetime.now(timezone.utc), outcome=sealed)
        audit.record(job.user, "import", job.file_name, {"job": job_id, **counts})
        if done:
            from mingdan.store.search import refresh_index

            # Said only once audited: the page showed "indexing names" a moment before the entry was written, and a
            # job killed in that moment had none (a test under load).
            jobs.update(stage="indexing names")
            refresh_index()  # still holding the lock, so the server leaves the names to this process
    jobs.update(state=state, stage="", finished=datetime.now(timezone.utc), outcome=sealed)


def main() -> None:
    """Entry point of the background process."""
    from mingdan.store.priority import lower

    lower()  # searches and logins first
    root, job_id = Path(sys.argv[1]), int(sys.argv[2])
    run(open_case(root), job_id)


if __name__ == "__main__":
    main()
