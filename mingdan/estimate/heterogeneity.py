"""Rcapture's standard closed-population models: M0, Mt, and Mh / Mth with heterogeneity columns.

The heterogeneity columns are functions of k, the number of lists a cell is on (Rivest &
Baillargeon; Baillargeon & Rivest 2007, J. Stat. Software 19(5)): Chao's lower bound
(max(k - 2, 0), ..., max(k - J + 1, 0)), Poisson2 (2^k - 1), Darroch (k^2 / 2) and
Gamma3.5 (-log(1 + k / 3.5)).
"""

from __future__ import annotations

import numpy as np

from .table import CaptureTable

HETEROGENEITY = ("chao", "poisson2", "darroch", "gamma3.5")
STANDARD_MODELS = ("M0", "Mt", *(f"Mh {k}" for k in HETEROGENEITY), *(f"Mth {k}" for k in HETEROGENEITY))


def heterogeneity_design(J: int, kind: str | None, time_effects: bool) -> np.ndarray:  # noqa: N803
    """Design over all 2^J cells: M0 / Mt (kind None), or Mh / Mth with a heterogeneity column."""
    cells = np.arange(2 ** J)
    captured = np.array([bin(c).count("1") for c in cells], dtype=float)
    columns = [np.ones(len(cells))]
    if time_effects:
        columns += [(cells >> j & 1).astype(float) for j in range(J)]
    else:
        columns.append(captured)
    if kind == "chao":
        # Zero on cells caught once or twice, so N rests on f1 and f2 as in Chao's lower bound.
        columns += [np.maximum(captured - k + 1, 0) for k in range(3, J + 1)]
    elif kind == "poisson2":
        columns.append(2.0 ** captured - 1)
    elif kind == "darroch":
        columns.append(captured ** 2 / 2)
    elif kind == "gamma3.5":
        columns.append(-np.log1p(captured / 3.5))
    return np.column_stack(columns)


def standard_models(table: CaptureTable) -> list[dict]:
    """Rcapture closedp's table without Mb/Mbh: each model's N, stderr, deviance, df, AIC, BIC (Wald)."""
    from .base import EstimationError
    from .loglinear import LogLinear

    rows = []
    for name in STANDARD_MODELS:
        if name in ("M0", "Mt"):
            estimator = LogLinear(model="M0" if name == "M0" else "[]", interval="wald")
        else:
            family, kind = name.split()
            estimator = LogLinear(heterogeneity=kind, time_effects=family == "Mth", interval="wald")
        try:
            fitted = estimator.fit(table)
        except EstimationError as exc:
            rows.append({"model": name, "error": str(exc)})
            continue
        rows.append({"model": name, "N": fitted.estimate_, "stderr": fitted.stderr_, "deviance": fitted.deviance_,
                     "df": fitted.df_, "aic": float(fitted.aic_), "bic": float(fitted.bic_)})
    return rows
