"""Linkage uncertainty: estimates over replicate linkages, combined with Rubin's rules on log n0."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy import stats

from .base import Estimator
from .table import CaptureTable


def replicate_tables(record_lists: Sequence[int], n_lists: int, pairs: Sequence[tuple[int, int, float]],
                     replicates: int, rng: np.random.Generator, list_names: Sequence[str] | None = None,
                     certain: Sequence[tuple[int, int]] = ()) -> list[CaptureTable]:
    """Capture tables from linkages drawn from the match probabilities.

    record_lists[i] is the list (0-based) of record i; pairs are (record a, record b, probability
    that they are the same person). In each replicate every pair is linked independently with
    its probability, `certain` pairs always; people are the connected components.
    """
    names = list(list_names) if list_names else [f"L{j + 1}" for j in range(n_lists)]
    lists = np.asarray(record_lists)
    a = np.array([p[0] for p in pairs], dtype=np.int64)
    b = np.array([p[1] for p in pairs], dtype=np.int64)
    probability = np.array([p[2] for p in pairs])
    tables = []
    for _ in range(replicates):
        chosen = rng.random(len(probability)) < probability
        roots = _components(len(lists), [*zip(a[chosen], b[chosen]), *certain])
        seen: dict[int, int] = {}
        for record, root in enumerate(roots):
            seen[root] = seen.get(root, 0) | (1 << int(lists[record]))
        patterns = [tuple(mask >> j & 1 for j in range(n_lists)) for mask in seen.values()]
        tables.append(CaptureTable.from_patterns(names, patterns, [1] * len(patterns)))
    return tables


def _components(size: int, edges) -> list[int]:
    parent = list(range(size))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in edges:
        rx, ry = find(int(x)), find(int(y))
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    return [find(x) for x in range(size)]


def combine_replicates(fits: Sequence[Estimator | tuple[float, float, int]], level: float = 0.95) -> dict:
    """Rubin's rules on log n0 (n0 = N - observed) across replicate linkages.

    Each fit is a fitted estimator with draws (within-replicate variance of log n0 from its draws,
    or from its interval when it has none), or a tuple (estimate, variance of log n0, observed).
    """
    points, variances, observed = [], [], []
    for fit in fits:
        if isinstance(fit, tuple):
            estimate, variance, seen = fit
        else:
            seen = fit.observed_
            estimate = fit.estimate_
            if fit.draws_ is not None:
                variance = float(np.var(np.log(np.maximum(fit.draws_ - seen, 0.5)), ddof=1))
            else:
                # Interval on the log scale read as +-1.96 standard errors.
                width = np.log(max(fit.upper_ - seen, 0.5)) - np.log(max(fit.lower_ - seen, 0.5))
                variance = float((width / (2 * 1.959964)) ** 2)
        points.append(np.log(max(estimate - seen, 0.5)))
        variances.append(variance)
        observed.append(seen)
    m = len(points)
    q = float(np.mean(points))
    within = float(np.mean(variances))
    between = float(np.var(points, ddof=1)) if m > 1 else 0.0
    total = within + (1 + 1 / m) * between
    if between > 0:
        ratio = (1 + 1 / m) * between / total
        df = (m - 1) / ratio ** 2  # Rubin (1987)
    else:
        df = np.inf
    t = stats.t.ppf(0.5 + level / 2, df) if np.isfinite(df) else stats.norm.ppf(0.5 + level / 2)
    seen = float(np.mean(observed))
    return {"estimate": seen + float(np.exp(q)), "lower": seen + float(np.exp(q - t * np.sqrt(total))),
            "upper": seen + float(np.exp(q + t * np.sqrt(total))), "observed": seen, "replicates": m,
            "within_variance": within, "between_variance": between, "df": float(df),
            "fraction_missing_information": float((1 + 1 / m) * between / total) if total else 0.0}


def estimate_over_linkages(tables: Sequence[CaptureTable], factory: Callable[[], Estimator]) -> dict:
    """Fit each replicate table and combine with Rubin's rules."""
    return combine_replicates([factory().fit(table) for table in tables])
