"""Chan, Silverman & Vincent (2021): stepwise choice of two-list effects and a BCa bootstrap that repeats it.

The procedure, as the paper defines it and SparseMSE's `estimate_population_stepwise` runs it:

- Start from the main-effects Poisson model on every capture pattern (empty ones included).
- For each two-list effect not yet in the model, compare the number of people on both lists with
  the current model's fitted number; its p-value is the smaller of the two Poisson tails,
  min(P(X <= observed), P(X >= observed)), so an overlap far below expectation counts as much as
  one far above it.
- An effect whose model would have no maximum likelihood estimate, or would not be identifiable,
  gets p = 1. A pair of lists with no one in common is not dropped: its effect is fitted at minus
  infinity, i.e. the patterns that contain both lists are taken out of the model with the term.
- Add the effect with the smallest p-value (ties: the first pair in list order) while it is below
  the threshold (0.02); refit; repeat.

The interval is the bootstrap BCa interval (Efron 1987): the observed people are resampled
multinomially over their capture patterns and the whole selection is repeated on each resample,
so the interval carries the uncertainty of choosing the model; the acceleration comes from the
jackknife that removes one person at a time (one refit per observed pattern, weighted by its count).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .base import EstimationError
from .glm import PoissonFit, _rank, compiled_kernels, fit_poisson, term_name
from .table import CaptureTable

@dataclass
class PairFit:
    """A model with main effects and some two-list effects, fitted to the patterns it keeps."""

    pairs: tuple[int, ...]  # every two-list effect chosen, in the order it was added
    active: tuple[int, ...]  # those fitted as parameters (their lists overlap)
    empty: tuple[int, ...]  # those fitted at minus infinity (their lists share no one)
    cells: np.ndarray  # the capture patterns kept (indices 1 .. 2^J - 1)
    X: np.ndarray  # design over `cells`: intercept, main effects, active pairs  # noqa: N815
    fit: PoissonFit
    observed: int

    @property
    def estimate(self) -> float:
        """N = observed + exp(intercept)."""
        return self.observed + float(np.exp(self.fit.coef[0]))


def pairs_of(J: int) -> list[int]:  # noqa: N803
    """Every two-list effect as a bit mask, in the order (1,2), (1,3), ..., (1,J), (2,3), ..."""
    return [(1 << a) | (1 << b) for a in range(J) for b in range(a + 1, J)]


@lru_cache(maxsize=4)
def _full_design(J: int) -> tuple[np.ndarray, dict[int, int]]:  # noqa: N803
    """Intercept, main effects and every two-list effect over patterns 1 .. 2^J - 1, and each pair's column."""
    cells = np.arange(1, 2 ** J)
    pairs = pairs_of(J)
    columns = [np.ones(len(cells))] + [(cells >> j & 1).astype(float) for j in range(J)]
    columns += [((cells & pair) == pair).astype(float) for pair in pairs]
    return np.column_stack(columns), {pair: J + 1 + i for i, pair in enumerate(pairs)}


def _layout(table: CaptureTable, pairs: tuple[int, ...]) -> tuple[tuple[int, ...], tuple[int, ...], np.ndarray, np.ndarray]:
    """Split the pairs into fitted and empty ones; the rows (patterns - 1) no empty pair covers; the design."""
    full, column = _full_design(table.J)
    counts = table.counts[1:]
    active, empty = [], []
    keep = np.ones(len(counts), dtype=bool)
    for pair in pairs:
        both = full[:, column[pair]] == 1.0
        if counts[both].any():
            active.append(pair)
        else:
            empty.append(pair)
            keep &= ~both
    X = full[:, [*range(table.J + 1), *(column[pair] for pair in active)]]  # noqa: N806
    if empty:
        rows = np.flatnonzero(keep)
        return tuple(active), tuple(empty), rows, X[rows]
    return tuple(active), (), np.arange(len(counts)), X


def fit_pairs(table: CaptureTable, pairs: tuple[int, ...]) -> PairFit:
    """Fit main effects plus these two-list effects (empty overlaps at minus infinity)."""
    active, empty, rows, X = _layout(table, pairs)  # noqa: N806
    fitted = fit_poisson(X, table.counts[1:][rows].astype(float))
    return PairFit(tuple(pairs), active, empty, rows + 1, X, fitted, table.observed)


class _Checks:
    """Existence and identifiability of a model's MLE; both depend only on which patterns are empty."""

    def __init__(self) -> None:
        self.cache: dict = {}

    def __call__(self, table: CaptureTable, pairs: tuple[int, ...]) -> str | None:
        key = (table.J, tuple(sorted(pairs)), np.packbits(table.counts[1:] > 0).tobytes())
        if key not in self.cache:
            _, _, rows, X = _layout(table, pairs)  # noqa: N806
            self.cache[key] = _problem(X, table.counts[1:][rows] > 0)
        return self.cache[key]


def _problem(X: np.ndarray, positive: np.ndarray) -> str | None:  # noqa: N803
    """None if the MLE exists and is unique, else why not (Haberman 1974; Fienberg & Rinaldo 2012)."""
    X = np.ascontiguousarray(X)  # noqa: N806
    p = X.shape[1]
    if _rank(np.ascontiguousarray(X.T @ X)) < p:
        return "not identifiable: more parameters than the patterns it keeps can determine"
    on = np.ascontiguousarray(X[positive])
    if len(on) and _rank(on) == p:
        return None  # the non-empty patterns alone pin every parameter
    # A direction d that leaves every non-empty pattern's fitted value alone (X_on d = 0) and lowers
    # some empty pattern's (X_off d <= 0, not all 0) makes the likelihood rise forever.
    basis = _null_space(on) if len(on) else np.eye(p)
    off = X[~positive] @ basis
    off = np.unique(np.round(off[np.abs(off).max(axis=1) > 1e-9], 9), axis=0)
    if not len(off):
        return None
    from scipy.optimize import linprog

    result = linprog(off.sum(axis=0), A_ub=off, b_ub=np.zeros(len(off)),
                     bounds=[(-1, 1)] * basis.shape[1], method="highs")
    if result.status == 0 and -result.fun > 1e-7:
        return "the maximum likelihood estimate does not exist: the empty patterns let the likelihood rise forever"
    return None


def _null_space(matrix: np.ndarray) -> np.ndarray:
    _, singular, vt = np.linalg.svd(matrix)
    rank = int((singular > singular.max() * 1e-10).sum()) if len(singular) else 0
    return vt[rank:].T


@dataclass
class Stepwise:
    """The chosen model and the record of each step."""

    fit: PairFit
    steps: list[dict] = field(default_factory=list)


def stepwise(table: CaptureTable, pthresh: float = 0.02, checks: _Checks | None = None) -> Stepwise:
    """Chan, Silverman & Vincent's forward selection of two-list effects (see the module docstring)."""
    from scipy.special import pdtr, pdtrc

    checks = checks or _Checks()
    candidates = pairs_of(table.J)
    full, column = _full_design(table.J)
    if not (table.counts[1:] @ full[:, 1:table.J + 1]).all():
        raise EstimationError("a list has no one on it (in this resample): main effects cannot be fitted")
    both = full[:, [column[pair] for pair in candidates]]
    overlaps = table.counts[1:] @ both
    chosen: tuple[int, ...] = ()
    current = fit_pairs(table, chosen)
    steps: list[dict] = []
    if pthresh <= 0:
        return Stepwise(current, steps)
    while len(chosen) < len(candidates):
        mu = np.zeros(2 ** table.J - 1)
        mu[current.cells - 1] = current.fit.mu
        open_ = [i for i, pair in enumerate(candidates) if pair not in chosen]
        expected = mu @ both[:, open_]
        observed = overlaps[open_]
        lower = pdtr(observed, expected)
        upper = np.where(observed > 0, pdtrc(observed - 1, expected), 1.0)
        pvalues = np.minimum(lower, upper)
        picked = None
        for rank in np.lexsort((open_, pvalues)):
            if pvalues[rank] >= pthresh:
                break
            pair = candidates[open_[rank]]
            problem = checks(table, (*chosen, pair))
            step = {"term": term_name(pair, table.lists), "observed": int(observed[rank]),
                    "expected": float(expected[rank]), "p_value": float(pvalues[rank])}
            if problem:
                steps.append({**step, "added": False, "reason": problem})
                continue
            steps.append({**step, "added": True, "empty_overlap": bool(observed[rank] == 0)})
            picked = pair
            break
        if picked is None:
            break
        chosen = (*chosen, picked)
        current = fit_pairs(table, chosen)
    return Stepwise(current, steps)


def resample(table: CaptureTable, rng: np.random.Generator) -> CaptureTable:
    """The observed people drawn again, multinomially over their capture patterns."""
    cells = np.flatnonzero(table.counts)
    counts = np.zeros_like(table.counts)
    counts[cells] = rng.multinomial(table.observed, table.counts[cells] / table.observed)
    return CaptureTable(table.lists, counts)


def bca_interval(table: CaptureTable, estimate, point: float, n_boot: int = 1000, seed: int | None = None,
                 levels: tuple[float, ...] = (0.025, 0.975)) -> dict:
    """BCa bootstrap quantiles of estimate(table) (Efron 1987), the selection repeated on every resample."""
    with compiled_kernels():
        return _bca(table, estimate, point, n_boot, seed, levels)


def _bca(table: CaptureTable, estimate, point: float, n_boot: int, seed: int | None, levels: tuple[float, ...]) -> dict:
    from scipy.special import ndtr, ndtri

    rng = np.random.default_rng(seed)
    replicates = np.array([_safe(estimate, resample(table, rng)) for _ in range(n_boot)])
    failed = int(np.isnan(replicates).sum())
    if failed > 0.05 * n_boot:
        raise EstimationError(f"{failed} of {n_boot} bootstrap tables could not be estimated; the interval would mislead")
    replicates = replicates[~np.isnan(replicates)]
    # Jackknife: one person fewer in each observed pattern, weighted by the pattern's count.
    cells = np.flatnonzero(table.counts)
    weights = table.counts[cells].astype(float)
    jackknife = np.empty(len(cells))
    for i, cell in enumerate(cells):
        counts = table.counts.copy()
        counts[cell] -= 1
        jackknife[i] = estimate(CaptureTable(table.lists, counts))
    spread = np.sum(weights * jackknife) / weights.sum() - jackknife
    denominator = 6 * np.sum(weights * spread ** 2) ** 1.5
    acceleration = float(np.sum(weights * spread ** 3) / denominator) if denominator > 0 else 0.0
    below = float(np.mean(replicates < point))
    if below in (0.0, 1.0):
        raise EstimationError("every bootstrap estimate fell on one side of the estimate; no BCa interval")
    bias = float(ndtri(below))
    z = ndtri(np.asarray(levels))
    adjusted = ndtr(bias + (bias + z) / (1 - acceleration * (bias + z)))
    quantiles = np.quantile(replicates, adjusted, method="median_unbiased")
    return {"quantiles": {str(level): float(q) for level, q in zip(levels, quantiles)}, "acceleration": acceleration,
            "bias_correction": bias, "n_boot": n_boot, "failed": failed, "replicates": replicates}


def _safe(estimate, table: CaptureTable) -> float:
    try:
        return float(estimate(table))
    except (EstimationError, ValueError, np.linalg.LinAlgError):
        return float("nan")
