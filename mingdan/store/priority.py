"""Lower a background process's claim on the processors, so the server's pages come first."""

from __future__ import annotations

import os
from pathlib import Path

#: Niceness of background work (imports started from the web, figures computed for the server).
BACKGROUND = 10


def lower(niceness: int = BACKGROUND) -> None:
    """Run this process at `niceness`, also against processes of other sessions.

    Linux shares the processors first between sessions (autogroups) and only then by niceness
    within one: an import job in its own session took a core's full half from the server's
    pages whatever its niceness. So the session's own niceness is lowered too, where the kernel
    offers it (/proc/self/autogroup), but only by a process that began its own session: another
    shares its session's group with the server, whose share would be lowered with it. Raising
    niceness needs no privilege.
    """
    if os.getsid(0) == os.getpid():
        try:
            Path("/proc/self/autogroup").write_text(str(niceness))
        except OSError:  # no autogroups (another system, or disabled): niceness alone decides
            pass
    try:
        os.nice(max(0, niceness - os.nice(0)))
    except OSError:
        pass
