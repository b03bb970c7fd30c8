"""What every estimator shares: settings in __init__, fit(table) returns self, results in attributes."""

from __future__ import annotations

import numpy as np

from .table import CaptureTable


class EstimationError(ValueError):
    """No number can be given (the MLE does not exist, the model is not identifiable, ...)."""


class Estimator:
    """Base of LogLinear, DGA and LCMCR."""

    method = "estimator"

    def __init__(self, **settings):
        self.settings = settings
        self.estimate_: float | None = None
        self.lower_: float | None = None
        self.upper_: float | None = None
        self.observed_: int | None = None
        self.draws_: np.ndarray | None = None
        self.table_: CaptureTable | None = None
        self.warnings_: list[str] = []

    def fit(self, table: CaptureTable) -> Estimator:
        """Fit to the table and return self."""
        raise NotImplementedError

    def _check_fitted(self) -> None:
        if self.estimate_ is None:
            raise EstimationError(f"{self.method}: call fit(table) first")

    def extra(self) -> dict:
        """Method-specific results for to_dict()."""
        return {}

    def to_dict(self) -> dict:
        """JSON-serialisable results: estimate, lower, upper, observed, method, settings and more."""
        self._check_fitted()
        result = {
            "method": self.method, "estimate": float(self.estimate_), "lower": float(self.lower_),
            "upper": float(self.upper_), "observed": int(self.observed_), "settings": dict(self.settings),
            "lists": list(self.table_.lists), "table_sha256": self.table_.sha256(),
        }
        result.update(self.extra())
        warnings = [*self.table_.warnings, *self.warnings_]
        if warnings:
            result["warnings"] = warnings
        return result

    def summary(self) -> str:
        """A readable multi-line summary."""
        self._check_fitted()
        lines = [f"{self.method}: N = {self.estimate_:,.1f} (95% {self.lower_:,.1f} - {self.upper_:,.1f}); "
                 f"observed {self.observed_:,} on {self.table_.J} lists ({', '.join(self.table_.lists)})"]
        lines += [f"  {key}: {value}" for key, value in self.extra().items() if not isinstance(value, (list, dict))]
        lines += [f"  warning: {warning}" for warning in [*self.table_.warnings, *self.warnings_]]
        return "\n".join(lines)
