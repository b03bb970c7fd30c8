"""An exclusive lock on a file, across threads and processes (flock), held for a block."""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LockBusy(Exception):
    """Another process held the lock longer than the caller may wait; the message names the file and the holder."""


@contextmanager
def held(path: Path, timeout: float | None = None) -> Iterator[bool]:
    """Hold an exclusive lock on `path` (created 0600 in a 0700 folder); yields False, holding nothing, when the
    file cannot be had (a read-only case, a file where its folder should be): the caller decides what that means.

    With a `timeout`, raises LockBusy after that many seconds of waiting (without one it waits as long as it takes).
    """
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        yield False
        return
    owned = True  # False once a waiter gave up: the thread still waiting on the handle closes it
    try:
        if timeout is None:
            fcntl.flock(handle, fcntl.LOCK_EX)  # a waiter is woken as soon as the holder lets go
        else:
            taken, owned = _wait(handle, timeout)
            if not taken:
                raise LockBusy(f"{path} has been held for {timeout:g} s by {holder(path)}; nothing was done. "
                               "If that process is stuck, stop it; the lock is let go when it ends")
        yield True
    finally:
        if owned:
            os.close(handle)  # closing releases the lock


def _wait(handle: int, timeout: float) -> tuple[bool, bool]:
    """Take the lock within `timeout` seconds; (taken, still owned by the caller).

    flock has no time limit of its own, and whoever could write the case folder could hold one for ever (an outside
    tester held the audit log's for 69 s and every audited page waited with it). A thread waits in flock, so the
    caller is let in as soon as the lock is free (polling instead put the 99th percentile of a contended wait at
    5-9 ms against 1.7 ms); if the caller gives up, that thread keeps the handle and lets it go when it gets it.
    """
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True, True
    except BlockingIOError:
        pass
    got = threading.Event()
    guard = threading.Lock()
    abandoned = []

    def take() -> None:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with guard:
            if not abandoned:
                got.set()
                return
        os.close(handle)  # the caller gave up: let the lock go at once

    threading.Thread(target=take, name="lock-wait", daemon=True).start()
    if got.wait(timeout):
        return True, True
    with guard:
        if got.is_set():
            return True, True
        abandoned.append(True)
    return False, False


def holder(path: Path) -> str:
    """Who holds the lock on this file, as far as /proc/locks tells ("process 123 (name)"), for a message."""
    try:
        found = os.stat(path)
    except OSError:
        return "another process"
    device = f"{os.major(found.st_dev):02x}:{os.minor(found.st_dev):02x}:{found.st_ino}"
    try:
        lines = Path("/proc/locks").read_text().splitlines()
    except OSError:
        lines = []
    for line in lines:
        fields = line.split()
        if "->" not in fields and len(fields) >= 6 and fields[5] == device:
            try:
                name = Path(f"/proc/{fields[4]}/comm").read_text().strip()
            except OSError:
                name = "unknown"
            return f"process {fields[4]} ({name})"
    return "another process"
