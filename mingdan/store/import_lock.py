"""One import (or amendment) at a time per case, and the clean-up of what a killed import left behind."""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .case import Case, CaseError

LOCK_FILE = "import.lock"

_HOLDING = threading.local()  # the case whose import lock this thread holds


class CaseBusy(CaseError):
    """Another import holds the case longer than the caller may wait."""


@contextmanager
def import_lock(case: Case, waiting: Callable[[], object] | None = None,
                timeout: float | None = None) -> Iterator[None]:
    """Hold the case's import lock: one import (or amendment) at a time, and no clean-up meanwhile.

    Calls `waiting()` once if another holder makes this one wait; raises CaseBusy after
    `timeout` seconds (None: waits as long as it takes).
    """
    if getattr(_HOLDING, "root", None) == case.root:  # this thread holds it already (a change made under it)
        yield
        return
    handle = _lock_handle(case)
    try:
        if not _try_lock(handle):
            if waiting is not None:
                waiting()
            if timeout is None:
                fcntl.flock(handle, fcntl.LOCK_EX)
            else:
                deadline = time.monotonic() + timeout
                while not _try_lock(handle):
                    if time.monotonic() > deadline:
                        raise CaseBusy("another import into this case is running; try again when it has finished")
                    time.sleep(0.1)
        _HOLDING.root = case.root
        yield
    finally:
        _HOLDING.root = None
        os.close(handle)  # closing releases the lock


def _lock_handle(case: Case) -> int:
    """The case's import lock file, opened (created 0600 if absent), never through a link."""
    try:
        # A dangling link in its place made an import create a file outside the case (an outside tester, rerun44).
        return os.open(case.root / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        raise CaseError(f"{case.root / LOCK_FILE} cannot be opened as the case's own file ({exc.strerror}): a link "
                        "or a folder in its place is never followed; move it aside") from None


def import_running(root: Path) -> bool:
    """True while some process holds the case's import lock (an import, an amendment, or indexing after one)."""
    path = Path(root) / LOCK_FILE
    try:
        handle = os.open(path, os.O_RDWR | os.O_NOFOLLOW)
    except OSError:  # none, or a link in its place (refused by import_lock): no import can hold it
        return False
    try:
        if _try_lock(handle):
            return False
        return True
    finally:
        os.close(handle)


def _try_lock(handle: int) -> bool:
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def remove_leftovers(case: Case, locked: bool = False) -> list[str]:
    """Remove what a killed import left behind; the names removed (nothing while another import runs).

    Left behind can be: sealed uploads in incoming/ whose import job's process is gone (the job
    is marked failed), links to memory files of dead processes, half-written or orphaned sealed
    originals in originals/ (written before the import's transaction, which then never
    committed), and files of an interrupted key rotation. `locked`: the caller holds the lock.
    """
    if locked or getattr(_HOLDING, "root", None) == case.root:
        return _remove_leftovers(case)
    handle = _lock_handle(case)
    try:
        if not _try_lock(handle):
            return []  # an import is running: what looks left behind may be its own
        return _remove_leftovers(case)
    finally:
        os.close(handle)


def _remove_leftovers(case: Case) -> list[str]:
    import shutil

    from mingdan.store.models import Document, ImportJob

    live = set()
    for job in ImportJob.objects.filter(state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING]):
        if job.process and _alive(job.process):
            live.add(job.upload)
        elif job.outcome:  # killed after its commit, while indexing names (the server's start indexes them)
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportJob.State.DONE, finished=datetime.now(timezone.utc), stage="")
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                state=ImportJob.State.FAILED, finished=datetime.now(timezone.utc), stage="stopped",
                outcome="")  # its process was killed: its transaction never committed
    kept = set(Document.objects.values_list("stored_as", flat=True))
    removed = []
    for path in sorted(case.incoming_dir.iterdir()) if case.incoming_dir.is_dir() else []:
        if path.name in live or path.name == LOCK_FILE:
            continue
        if path.is_dir() and not path.is_symlink():
            if any(link.is_symlink() and link.exists() for link in path.iterdir()):
                continue  # a memory file of a live process
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(str(path.relative_to(case.root)))
    for path in sorted(case.originals_dir.iterdir()) if case.originals_dir.is_dir() else []:
        if path.is_file() and (path.name.startswith((".incoming-", ".rotating-"))
                               or str(path.relative_to(case.root)) not in kept):
            path.unlink()
            removed.append(str(path.relative_to(case.root)))
    return removed


def _alive(pid: int) -> bool:
    """True when a process with this id runs an import job (ids are reused, so its command is checked)."""
    try:
        return b"mingdan.ingest.jobs" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
