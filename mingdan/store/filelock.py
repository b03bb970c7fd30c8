"""An exclusive lock on a file, across threads and processes (flock), held for a block."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def held(path: Path) -> Iterator[bool]:
    """Hold an exclusive lock on `path` (created 0600 in a 0700 folder); yields False, holding nothing, when the
    file cannot be had (a read-only case, a file where its folder should be): the caller decides what that means."""
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a waiter is woken as soon as the holder lets go
        yield True
    finally:
        os.close(handle)  # closing releases the lock
