"""Figures of the whole case kept between requests until the case changes.

The accounting, the custody status of everyone and the search facets read every event of the
case; on 100,000 records that takes seconds, too long for a page. They are kept per sensitivity
level (what a role may read changes them) and recomputed when the case's fingerprint
(store/revision.py) differs from the one they were computed at, so a figure is never silently
from an older state of the case: either it is recomputed before the page is shown (one thread
computes while the others wait), or, where the page says so (`stale_ok`), the figure from
before the change is shown, marked as such, while one background thread recomputes it.

The costly figures (SHARED) are also kept on disk in the case's kept/ folder, sealed with the
case key, so that the server's several processes compute each once (the first takes a file lock,
the others wait for it and read its result) and a restarted server does not compute them again.
A file names the figure, the case's fingerprint and the code that computed it; any other is stale.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import hashlib
import hmac
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mingdan.store.case import CaseError
from mingdan.store.private import private_folder

if TYPE_CHECKING:
    from mingdan.store.case import Case

#: Figures that cost seconds on a large case: shared between the server's processes through sealed files.
SHARED = frozenset({"accounting", "custody", "custody-status", "facets"})

_VALUES: dict[tuple, tuple[tuple, Any]] = {}
#: Figures asked for another day than today (an accounting `as_of`): any reader may ask for thousands of days, so a
#: few are kept, in memory only, the least recently used dropped first.
_OTHER_DAYS: collections.OrderedDict[tuple, tuple[tuple, Any]] = collections.OrderedDict()
OTHER_DAYS_KEPT = 8
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
    found = _lookup(key)
    now = fingerprint()
    if found is not None and found[0] == now:
        return (found[1], True) if stale_ok else found[1]
    if stale_ok and found is not None:
        computed = _already_kept(key, now) if key[0] in SHARED else None
        if computed is not None:  # another process has recomputed it: no need to show the older one
            _store(key, now, computed[0])
            return computed[0], True
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
        found = _lookup(key)
        if found is not None and found[0] == now:
            return found[1]
        value = _shared(key, now, compute) if key[0] in SHARED and not _other_day(key) else compute()
        _store(key, now, value)
        return value


def _other_day(key: tuple) -> bool:
    return any(isinstance(part, dt.date) and part != dt.date.today() for part in key)


def _lookup(key: tuple) -> tuple[tuple, Any] | None:
    if not _other_day(key):
        return _VALUES.get(key)
    with _GUARD:
        found = _OTHER_DAYS.get(key)
        if found is not None:
            _OTHER_DAYS.move_to_end(key)
        return found


def _store(key: tuple, now: tuple, value: Any) -> None:
    if not _other_day(key):
        _VALUES[key] = (now, value)
        return
    with _GUARD:
        _OTHER_DAYS[key] = (now, value)
        _OTHER_DAYS.move_to_end(key)
        while len(_OTHER_DAYS) > OTHER_DAYS_KEPT:
            _OTHER_DAYS.popitem(last=False)


def _shared(key: tuple, now: tuple, compute: Callable[[], Any]) -> Any:
    """The figure from its sealed file when another process (or an earlier server) computed it at this state."""
    from mingdan.store.crypto import active

    try:
        folder, stem, wanted, label = _file(key, now)
    except (OSError, CaseError):  # no usable kept/ folder (a file or a link in its place, no space, read-only): this
        return compute()          # process keeps it alone, and writes nothing anywhere else
    with _held(f"{stem}.lock") as held:  # one process computes; the others wait here, then read its file
        if not held:
            return compute()
        found = _read(wanted, label)
        if found is not None:
            return found[0]
        from . import elsewhere

        if elsewhere.worth_it(key[0]) and elsewhere.compute(key, stem):
            found = _read(wanted, label)
            if found is not None:
                return found[0]
        value = compute()
        try:
            data = active().seal_bytes(pickle.dumps((label, value), protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, TypeError, AttributeError):
            return value  # kept in this process only
        partial = wanted.with_suffix(".part")
        try:
            with open(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
                out.write(data)
            partial.replace(wanted)
        except OSError:
            partial.unlink(missing_ok=True)
            return value
        for old in folder.glob(f"{stem}-*.fig"):
            if old != wanted:
                old.unlink(missing_ok=True)
        return value


def _file(key: tuple, now: tuple) -> tuple[Path, str, Path, str]:
    """The kept/ folder, the figure's stem, its file at this state, and the label sealed inside it."""
    from mingdan.store.crypto import active

    from .case import current

    case = current()
    folder = private_folder(case.kept_dir)  # swapped for a link while the server runs: refused, never followed
    # The case's settings and gazetteer file shape figures too, and may change while no server runs.
    places = case.places_file.stat() if case.places_file.is_file() else None
    state = repr((now, _code(), sorted(case.config.items()), places and (places.st_size, places.st_mtime_ns)))
    keyring = active()
    secret = keyring.keys[keyring.current]
    # Names keyed with the case key: without it they do not say which figure or view a file holds.
    stem = hmac.new(secret, repr(key).encode(), hashlib.sha256).hexdigest()[:32]
    wanted = folder / f"{stem}-{hmac.new(secret, state.encode(), hashlib.sha256).hexdigest()[:32]}.fig"
    return folder, stem, wanted, repr((key, state))


def _read(path: Path, label: str) -> tuple[Any] | None:
    """(figure,) from a sealed file that says inside it is the figure and state wanted; None for any other file."""
    from mingdan.store.crypto import active

    if not path.is_file():
        return None
    try:
        # Sealed with AES-GCM under the case key, so written by this case's server: the label inside, not the name
        # outside, says which figure and view it holds (a file copied over another's name is refused).
        inside, value = pickle.loads(active().reveal_bytes(path.read_bytes()))
    except Exception:  # a key no longer held, a damaged or foreign file: computed again, never trusted
        path.unlink(missing_ok=True)
        return None
    if inside != label:
        path.unlink(missing_ok=True)
        return None
    return (value,)


def _already_kept(key: tuple, now: tuple) -> tuple[Any] | None:
    """(figure,) when another process has already computed this figure at this state."""
    from mingdan.store.crypto import CaseKeyError

    try:
        _, _, wanted, label = _file(key, now)
    except (CaseKeyError, OSError):  # no case key open, or no kept/ folder to be had
        return None
    return _read(wanted, label)


def tidy(case: Case) -> list[str]:
    """Remove kept figures not written for two days and half-written ones (a figure of an older day or state)."""
    removed = []
    for path in sorted(private_folder(case.kept_dir).glob("*")):
        if path.suffix == ".part" or (path.suffix == ".fig" and time.time() - path.stat().st_mtime > 2 * 86400):
            path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


@contextlib.contextmanager
def _held(name: str) -> Iterator[bool]:
    """Hold kept/NAME across the server's processes; yields False (nothing held) without a usable kept/ folder."""
    from mingdan.store.filelock import held

    from .case import current
    from .elsewhere import held_for_parent

    if held_for_parent(name.removesuffix(".lock")):  # the server process that started this one holds it
        yield True
        return
    with held(current().kept_dir / name) as got:
        yield got


_CODE: list[str] = []


def _code() -> str:
    """What identifies the code computing the figures (its files' names, sizes and times): a new version computes anew."""
    if not _CODE:
        package = Path(__file__).resolve().parent.parent
        stamp = sorted((str(p.relative_to(package)), p.stat().st_size, p.stat().st_mtime_ns) for p in package.rglob("*.py"))
        _CODE.append(hashlib.sha256(repr(stamp).encode()).hexdigest())
    return _CODE[0]


def _refresh(key: tuple, compute: Callable[[], Any]) -> None:
    """Recompute a figure in a background thread (one per figure at a time)."""
    from django.db import connections

    with _GUARD:
        if key in _REFRESHING:
            return
        _REFRESHING.add(key)

    def work() -> None:
        try:
            # Background recomputations take turns across the server's processes: after an import each worker started
            # the accounting of another view, and the four of them held both cores while users waited.
            with _held("background.lock"):
                _compute(key, compute)
        finally:
            with _GUARD:
                _REFRESHING.discard(key)
            connections.close_all()  # this thread's own connections

    threading.Thread(target=work, name=f"mingdan-kept-{key[0]}", daemon=True).start()


def forget() -> None:
    """Drop every kept figure of this process (tests that switch between cases; the files name their case's state)."""
    _VALUES.clear()
    _OTHER_DAYS.clear()
