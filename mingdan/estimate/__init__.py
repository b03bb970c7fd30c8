"""Multiple systems estimation: how many victims no list recorded (a pure core: numpy/scipy only).

Names are imported on first use (PEP 562), so `mingdan estimate --method loglinear` does not load
the DGA, LCMCR (Numba) or stepwise (SciPy) code it does not run.
"""

from __future__ import annotations

from importlib import import_module

_WHERE = {
    "estimate_table": ".api", "EstimationError": ".base", "Estimator": ".base", "DGA": ".dga", "LCMCR": ".lcmcr",
    "LogLinear": ".loglinear", "StratifiedEstimate": ".strata", "CaptureTable": ".table", "TableError": ".table",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_WHERE])
