"""Costly figures computed in a separate, lower-priority process, so a server process's threads keep answering.

A server process runs one Python thread at a time: on a case of 744,883 records everyone's
custody takes 79 s, and computed in one of its threads it held that process's page threads back
for as long (after a 50 MB import, pages waited seconds). The figure is computed instead by
`python -m mingdan.web.elsewhere`, started by the thread that wants it, at a lower priority; the
thread waits for it without holding the interpreter, then reads the sealed file it wrote in the
case's kept/ folder (web/kept.py), as it would read another server process's. Only on a case
large enough for the start of a process (about a second) to be worth it (`ELSEWHERE_RECORDS`).
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections.abc import Callable
from typing import Any

#: Records from which a costly figure is computed in its own process (MINGDAN_FIGURES_ELSEWHERE overrides;
#: 0 always, -1 never). Below it a figure takes well under a second in the server's own thread.
ELSEWHERE_RECORDS = 20_000
#: How a figure is computed, by name: (the reader's lens, the key's extra parts) -> the computation.
FIGURES: dict[str, Callable[..., Callable[[], Any]]] = {}
#: Set in the process that computes a figure for a server process: figures within it are computed here.
_CHILD = "MINGDAN_FIGURE_CHILD"
#: The server process that started it (the child ends when that process does).
_PARENT = "MINGDAN_FIGURE_PARENT"
#: Seconds a server process waits for a figure's process before it ends it and computes the figure itself
#: (MINGDAN_FIGURES_TIMEOUT overrides): far above the longest measured (everyone's custody of 744,883
#: records, 79 s), so only a process that hangs (a stalled disk, a stopped process) meets it.
TIMEOUT = 900.0


def figure(name: str):
    """Register how the figure `name` is computed from a lens and its key's extra parts."""
    def register(build: Callable[..., Callable[[], Any]]):
        FIGURES[name] = build
        return build
    return register


def worth_it(name: str) -> bool:
    """True when this figure should be computed in another process (a registered figure of a large case)."""
    if name not in FIGURES or os.environ.get(_CHILD):
        return False
    threshold = int(os.environ.get("MINGDAN_FIGURES_ELSEWHERE", ELSEWHERE_RECORDS))
    if threshold < 0:
        return False
    if threshold == 0:
        return True
    from mingdan.store.models import Record

    return Record.objects.count() >= threshold


def compute(key: tuple, stem: str) -> bool:
    """Compute the figure of `key` in a child process that writes its kept file; True when the child succeeded.

    The caller holds the figure's lock (kept/STEM.lock); the child computes without taking it.
    """
    from mingdan.store.lens import LEVELS

    from .case import current

    name, level, families, *extra = key
    readable = LEVELS[:LEVELS.index(level) + 1] if level else ()
    environment = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environment.update({_CHILD: stem, _PARENT: str(os.getpid()), "MINGDAN_CASE_DIR": str(current().root),
                        "DJANGO_SETTINGS_MODULE": "mingdan.web.settings", "MINGDAN_IMPORT_WORKER": "never"})
    job = pickle.dumps((name, readable, families, tuple(extra)), protocol=pickle.HIGHEST_PROTOCOL)
    timeout = float(os.environ.get("MINGDAN_FIGURES_TIMEOUT", TIMEOUT))
    try:
        # Its standard error is the server's: a failure is logged there, and the server computes the figure itself.
        done = subprocess.run([sys.executable, "-m", "mingdan.web.elsewhere"], input=job, env=environment,
                              stdout=subprocess.DEVNULL, check=False, timeout=timeout)
    except subprocess.TimeoutExpired:  # subprocess.run has killed it
        print(f"mingdan: the process computing the figure {name!r} did not finish in {timeout:.0f} s and was ended; "
              "computing it here", file=sys.stderr)
        return False
    except OSError as exc:
        print(f"mingdan: could not start a process for the figure {name!r} ({exc}); computing it here",
              file=sys.stderr)
        return False
    if done.returncode != 0:
        print(f"mingdan: the process computing the figure {name!r} ended with {done.returncode}; computing it here",
              file=sys.stderr)
    return done.returncode == 0


def held_for_parent(stem: str) -> bool:
    """True in the child computing the figure of this stem: its server process holds the lock."""
    return os.environ.get(_CHILD) == stem


def main() -> None:
    """Entry point of the child: read the job, compute the figure, write its kept file."""
    from mingdan.web.workers import die_with

    die_with(int(os.environ[_PARENT]))  # first: a server that ends while this one starts ends it too
    from mingdan.store.priority import lower

    lower()  # the server's pages first
    name, readable, families, extra = pickle.loads(sys.stdin.buffer.read())  # from the server process
    import django

    django.setup()
    from mingdan.store.case import open_case
    from mingdan.store.lens import Lens
    from mingdan.store.settings import CASE_DIR

    from mingdan.web import elsewhere, views_people, views_reports  # noqa: F401 - the views register the figures
    from mingdan.web.case import use
    from mingdan.web.kept import kept

    use(open_case(CASE_DIR, setup_database=False))
    lens = Lens(tuple(readable), families=families)
    # This module runs as __main__: the figures were registered in the module of its name, not here.
    kept(name, lens, elsewhere.FIGURES[name](lens, *extra), *extra)


if __name__ == "__main__":
    main()
