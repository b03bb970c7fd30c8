"""The case this web process serves."""

from __future__ import annotations

_SERVED: list = []


def use(case) -> None:
    """Serve this case (called once at start; tests call it with their case)."""
    from . import scores
    from .kept import forget

    _SERVED[:] = [case]
    forget()
    scores.forget()


def current():
    """The served case (by default the one MINGDAN_CASE_DIR names)."""
    if not _SERVED:
        from mingdan.store.case import open_case
        from mingdan.store.settings import CASE_DIR

        _SERVED.append(open_case(CASE_DIR, setup_database=False))
    return _SERVED[0]
