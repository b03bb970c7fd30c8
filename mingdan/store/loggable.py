"""What of an exception a log may say: its type always, its text only when that is known to hold no values."""

from __future__ import annotations

from .case import CaseError


def loggable(exc: BaseException) -> str:
    """The exception's type, with its text for the case's own errors and the reason (not the file) of an OS error.

    An exception's text can hold a value (a name that failed to parse, a query), and the log is not sealed. A
    CaseError is written for the user and names only files, settings and entry numbers (the audit log's breaks, a
    lock and its holder): withholding it left the log saying nothing of why the pages failed (rt43). An OS
    error's file name is left out: an upload's name is a value.
    """
    kind = type(exc)
    name = f"{kind.__module__}.{kind.__qualname__}"
    if isinstance(exc, CaseError):
        return f"{name}: {exc}"
    if isinstance(exc, OSError) and exc.strerror:
        return f"{name}: [Errno {exc.errno}] {exc.strerror} (file name withheld)"
    return f"{name} (message withheld)"
