"""One call for the command line: read a table, fit a method (per stratum if asked), return a dict."""

from __future__ import annotations

from pathlib import Path

from importlib import import_module

from .base import Estimator
from .table import CaptureTable

# Each method's module is imported only when it is used (DGA and LCMCR load SciPy and Numba).
METHODS = {"lcmcr": (".lcmcr", "LCMCR"), "dga": (".dga", "DGA"), "loglinear": (".loglinear", "LogLinear")}


def make_estimator(method: str, seed: int | None = None, **settings) -> Estimator:
    """An estimator by name, with its settings (seed only where it matters)."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if method == "lcmcr" or (method == "loglinear" and settings.get("model") == "stepwise"):
        settings.setdefault("seed", seed)
    module, name = METHODS[method]
    kind = getattr(import_module(module, __package__), name)
    return kind(**checked_settings(method, kind, settings))


#: Settings that must be whole numbers, with their least value.
WHOLE = {"K": 1, "n_iter": 1, "burn_in": 0, "thin": 1, "chains": 1, "max_ratio": 1, "n_boot": 1, "n_max": 1,
         "n_min": 0, "max_order": 1, "seed": 0}
#: Settings that must be numbers above zero.
POSITIVE = ("a_alpha", "b_alpha", "delta", "prior_a", "prior_b")


def checked_settings(method: str, kind: type, settings: dict) -> dict:
    """The settings with each one's name, type and range checked, or a ValueError that names the setting."""
    import inspect
    import math

    known = [name for name in inspect.signature(kind.__init__).parameters if name != "self"]
    checked = {}
    for key, value in settings.items():
        if key not in known:
            raise ValueError(f"{method} has no setting {key!r}; its settings are {', '.join(known)}")
        if value is None:
            checked[key] = value
        elif key in WHOLE:
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{method}: {key} must be a whole number (digits, like 1000), not {value!r}")
            if value < WHOLE[key]:
                raise ValueError(f"{method}: {key} must be at least {WHOLE[key]}, not {value}")
            checked[key] = value
        elif key in POSITIVE:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"{method}: {key} must be a number above 0, not {value!r}")
            checked[key] = float(value)
        else:
            checked[key] = value
    return checked


def estimate_table(table: str | Path | CaptureTable, method: str, strata: str | None = None,
                   seed: int | None = None, keep_draws: bool = False, skip_invalid_strata: bool = False,
                   **settings) -> dict:
    """Fit the method to the table and return its results (with strata: each stratum and the total)."""
    if not isinstance(table, CaptureTable):
        table = CaptureTable.from_csv(table, strata=strata)
    if strata:
        from .strata import StratifiedEstimate

        combined = StratifiedEstimate(lambda: make_estimator(method, seed, **settings), seed=seed,
                                      skip_invalid=skip_invalid_strata).fit(table)
        result = combined.to_dict()
        result.update({"method": method, "settings": {**settings, "seed": seed, "strata": strata},
                       "lists": list(table.lists), "table_sha256": table.sha256()})
        result["warnings"] = [*table.warnings, *result.get("warnings", [])]
        if keep_draws:
            result["draws"] = combined.totals_.tolist()
        return result
    fitted = make_estimator(method, seed, **settings).fit(table)
    result = fitted.to_dict()
    if keep_draws:
        if fitted.draws_ is not None:
            result["draws"] = fitted.draws_.tolist()
        elif hasattr(fitted, "sample"):
            import numpy as np

            result["draws"] = fitted.sample(20_000, np.random.default_rng(seed)).tolist()
    return result
