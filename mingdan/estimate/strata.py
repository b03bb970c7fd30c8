"""Estimates per stratum, combined into a total with an interval."""

from __future__ import annotations

import warnings as python_warnings
from collections.abc import Callable

import numpy as np

from .base import EstimationError, Estimator
from .table import CaptureTable


class StratifiedEstimate:
    """Fit one estimator per stratum; add posterior draws, or bootstrap the sum when there are none."""

    def __init__(self, factory: Callable[[], Estimator], combine: str = "auto", n_boot: int = 200,
                 n_draws: int = 20_000, seed: int | None = None, min_lists: int = 3, skip_invalid: bool = False):
        if combine not in ("auto", "draws", "bootstrap"):
            raise ValueError("combine must be auto, draws or bootstrap")
        self.factory, self.combine, self.n_boot, self.n_draws = factory, combine, n_boot, n_draws
        self.seed, self.min_lists, self.skip_invalid = seed, min_lists, skip_invalid

    def fit(self, table: CaptureTable) -> StratifiedEstimate:
        """Fit every stratum under the usual validity rules and combine."""
        if not table.strata:
            raise EstimationError("the table has no strata: give the stratum column (--strata)")
        rng = np.random.default_rng(self.seed)
        self.warnings_: list[str] = []
        self.fits_: dict[str, Estimator] = {}
        self.skipped_: dict[str, int] = {}
        for label, stratum in table.strata.items():
            empty = [name for name, size in stratum.list_sizes().items() if size == 0]
            if empty:
                self.warnings_.append(f"stratum {label}: list {', '.join(empty)} has no records there and is dropped")
                stratum = stratum.drop_lists(empty)
            if stratum.J < self.min_lists:
                reason = f"stratum {label}: only {stratum.J} lists have records there; at least {self.min_lists} are needed"
                if not self.skip_invalid:
                    raise EstimationError(reason + " (or allow skipping it: its observed count then enters the total "
                                                   "as it is, a lower bound)")
                self.warnings_.append(reason + f"; its {stratum.observed} observed people are added as they are")
                self.skipped_[label] = stratum.observed
                continue
            self.fits_[label] = self.factory().fit(stratum)
        for message in self.warnings_:
            python_warnings.warn(message, stacklevel=2)
        if not self.fits_:
            raise EstimationError("no stratum can be estimated")
        totals = np.zeros(self.n_draws if self._use_draws() else self.n_boot) + sum(self.skipped_.values())
        for label, fitted in self.fits_.items():
            totals += self._draws(fitted, table.strata[label] if not self._use_draws() else None, rng, len(totals))
        self.totals_ = totals
        self.estimate_ = float(np.median(totals)) if self._use_draws() else float(
            sum(f.estimate_ for f in self.fits_.values()) + sum(self.skipped_.values()))
        self.lower_, self.upper_ = (float(q) for q in np.quantile(totals, [0.025, 0.975]))
        self.observed_ = table.observed
        return self

    def _use_draws(self) -> bool:
        probe = self.factory()
        has = hasattr(probe, "sample")
        return self.combine == "draws" or (self.combine == "auto" and has)

    def _draws(self, fitted: Estimator, stratum: CaptureTable | None, rng: np.random.Generator, size: int) -> np.ndarray:
        if stratum is None:
            return fitted.sample(size, rng)
        # Multinomial bootstrap of the stratum's observed cells, refitting the same estimator.
        probabilities = stratum.counts[1:] / stratum.observed
        refit = fitted.fixed if hasattr(fitted, "fixed") else self.factory  # the chosen model, not a new search
        draws = np.empty(size)
        for b in range(size):
            counts = np.concatenate([[0], rng.multinomial(stratum.observed, probabilities)])
            try:
                draws[b] = refit().fit(CaptureTable(stratum.lists, counts)).estimate_
            except (EstimationError, ValueError):
                draws[b] = np.nan
        if np.isnan(draws).mean() > 0.05:
            raise EstimationError("more than 5% of the bootstrap tables cannot be estimated; the interval would mislead")
        return np.where(np.isnan(draws), np.nanmedian(draws), draws)

    def to_dict(self) -> dict:
        """The combined total and each stratum's result."""
        return {"estimate": self.estimate_, "lower": self.lower_, "upper": self.upper_, "observed": self.observed_,
                "combine": "draws" if self._use_draws() else "bootstrap", "warnings": self.warnings_,
                "strata_not_estimated": self.skipped_,
                "strata": {label: f.to_dict() for label, f in self.fits_.items()}}
