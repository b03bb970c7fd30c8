"""Figures of the whole case kept between requests until the case changes.

The accounting, the custody status of everyone and the search facets read every event of the
case; on 100,000 records that takes seconds, too long for a page. They are kept per sensitivity
level (what a role may read changes them) and recomputed when the case's fingerprint
(store/revision.py) differs from the one they were computed at, so a figure is never silently
from an older state of the case: either it is recomputed before the page is shown (one thread
computes while the others wait), or, where the page says so (`stale_ok`), the figure from
before the change is shown, marked as such, while one background thread recomputes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

_VALUES: dict[tuple, tuple[tuple, Any]] = {}
_LOCKS: dict[tuple, threading.Lock] = {}
_REFRESHING: set[tuple] = set()
_GUARD = threading.Lock()


def kept(name: str, lens, compute: Callable[[], Any], *extra, stale_ok: bool = False) -> Any:
    """The figure `name` for this lens's level and families view (and extra key parts), computed again only after a change.

    With `stale_ok`, returns (figure, fresh): after a change, the previous figure and False
    while it is recomputed in the background (the first figure ever is always computed now).
    """
    from mingdan.store.revision import fingerprint

    # Two readers of one level may differ in what they see of families (an editor and a reviewer).
    key = (name, lens.level, bool(getattr(lens, "families", False)), *extra)
    found = _VALUES.get(key)
    if found is not None and found[0] == fingerprint():
        return (found[1], True) if stale_ok else found[1]
    if stale_ok and found is not None:
        _refresh(key, compute)
        return found[1], False
    value = _compute(key, compute)
    return (value, True) if stale_ok else value


def _compute(key: tuple, compute: Callable[[], Any]) -> Any:
    from mingdan.store.revision import fingerprint

    with _GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        now = fingerprint()  # read before computing: a change during the computation shows next time
        found = _VALUES.get(key)
        if found is not None and found[0] == now:
            return found[1]
        value = compute()
        _VALUES[key] = (now, value)
        return value


def _refresh(key: tuple, compute: Callable[[], Any]) -> None:
    """Recompute a figure in a background thread (one per figure at a time)."""
    from django.db import connections

    with _GUARD:
        if key in _REFRESHING:
            return
        _REFRESHING.add(key)

    def work() -> None:
        try:
            _compute(key, compute)
        finally:
            with _GUARD:
                _REFRESHING.discard(key)
            connections.close_all()  # this thread's own connections

    threading.Thread(target=work, name=f"mingdan-kept-{key[0]}", daemon=True).start()


def forget() -> None:
    """Drop every kept figure (tests that switch between cases)."""
    _VALUES.clear()
