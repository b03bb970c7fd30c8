"""Poisson log-linear models on capture tables: terms, design matrices, IRLS, and the MLE checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import math
from contextlib import contextmanager

import numpy as np

from .base import EstimationError

# Whether fits and ranks use the compiled kernels (glm_kernels); see compiled_kernels().
_COMPILED = [False]
# Designs at least this large always use them: NumPy's per-step overhead no longer dominates.
COMPILED_SIZE = 20_000


def bits(term: int) -> list[int]:
    """The lists (0-based) in a term given as a bit mask."""
    return [j for j in range(term.bit_length()) if term >> j & 1]


def closure(generators: list[int], J: int) -> tuple[int, ...]:  # noqa: N803
    """Every interaction term (order >= 2) implied by the generators of a hierarchical model."""
    terms = set()
    for generator in generators:
        members = bits(generator)
        for size in range(2, len(members) + 1):
            for chosen in combinations(members, size):
                terms.add(sum(1 << j for j in chosen))
    return tuple(sorted(terms, key=lambda t: (bin(t).count("1"), t)))


@lru_cache(maxsize=16)
def hierarchical_models(J: int, max_order: int | None = None) -> list[tuple[int, ...]]:  # noqa: N803
    """All hierarchical models with every main effect and interactions up to max_order (default J - 1)."""
    top = J - 1 if max_order is None else max_order
    candidates = [sum(1 << j for j in c) for k in range(2, top + 1) for c in combinations(range(J), k)]
    models: list[tuple[int, ...]] = []

    def grow(position: int, chosen: list[int]) -> None:
        if position == len(candidates):
            models.append(tuple(chosen))
            return
        grow(position + 1, chosen)
        term = candidates[position]
        faces = [term & ~(1 << j) for j in bits(term)]
        if bin(term).count("1") == 2 or all(face in chosen for face in faces):
            chosen.append(term)
            grow(position + 1, chosen)
            chosen.pop()

    grow(0, [])
    return models


def design(J: int, terms: tuple[int, ...], extra: np.ndarray | None = None, with_unobserved: bool = False) -> np.ndarray:  # noqa: N803
    """Design matrix over cells 1..2^J-1 (or 0..2^J-1): intercept, main effects, interactions, extra columns."""
    cells = np.arange(0 if with_unobserved else 1, 2 ** J)
    columns = [np.ones(len(cells))]
    columns += [(cells >> j & 1).astype(float) for j in range(J)]
    columns += [((cells & term) == term).astype(float) for term in terms]
    matrix = np.column_stack(columns)
    if extra is not None:
        rows = extra if with_unobserved else extra[1:]
        matrix = np.column_stack([matrix, rows])
    return matrix


@dataclass
class PoissonFit:
    """A fitted Poisson log-linear model."""

    coef: np.ndarray
    mu: np.ndarray
    y: np.ndarray
    iterations: int
    converged: bool

    @property
    def loglik(self) -> float:
        """Log-likelihood with the log y! constants, as Rcapture reports it (computed when asked)."""
        return _loglik(self.y, self.mu)

    @property
    def deviance(self) -> float:
        """Deviance against the saturated model."""
        return _deviance(self.y, self.mu)


@contextmanager
def compiled_kernels(on: bool = True):
    """Within the block, fits and ranks use the Numba kernels (for searches and bootstraps of many fits)."""
    before = _COMPILED[0]
    _COMPILED[0] = before or on
    try:
        yield
    finally:
        _COMPILED[0] = before


def _use_compiled(X: np.ndarray) -> bool:
    return _COMPILED[0] or X.size >= COMPILED_SIZE


def fit_poisson(X: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-10) -> PoissonFit:  # noqa: N803
    """Maximum likelihood by iteratively reweighted least squares (log link)."""
    if _use_compiled(X):
        from .glm_kernels import irls

        coef, mu, iterations, status = irls(np.ascontiguousarray(X, dtype=np.float64), y.astype(np.float64),
                                            max_iter, tol)
        if status >= 0:
            return PoissonFit(coef, mu, y, iterations, status == 1)
    return _fit_poisson_numpy(X, y, max_iter, tol)


def _rank(X: np.ndarray, tol: float = 1e-9) -> int:  # noqa: N803
    """Numerical rank: Gaussian elimination with full pivoting (compiled) or NumPy's SVD (small, few calls)."""
    X = np.ascontiguousarray(X, dtype=np.float64)  # noqa: N806
    if _use_compiled(X):
        from .glm_kernels import rank

        return int(rank(X, tol))
    if X.size == 0:
        return 0
    singular = np.linalg.svd(X, compute_uv=False)
    return int((singular > tol * singular.max()).sum()) if singular.size and singular.max() > 0 else 0


def log_factorial_sum(values: np.ndarray) -> float:
    """sum(log(v!)) over an array of whole numbers (math.lgamma: no SciPy import on the quick path)."""
    return float(sum(math.lgamma(v + 1.0) for v in np.asarray(values, dtype=float).ravel()))


def _fit_poisson_numpy(X: np.ndarray, y: np.ndarray, max_iter: int = 100, tol: float = 1e-10) -> PoissonFit:  # noqa: N803
    """The same, with least squares at each step: slower, but safe when cells run to zero."""
    mu = y + 0.5
    eta = np.log(mu)
    deviance_old = np.inf
    positive = y > 0
    ylogy = float(np.sum(y[positive] * np.log(y[positive])))
    coef = np.zeros(X.shape[1])
    converged = False
    for iteration in range(1, max_iter + 1):
        z = eta + (y - mu) / mu
        weighted = X * mu[:, None]
        try:
            coef = np.linalg.solve(X.T @ weighted, weighted.T @ z)
        except np.linalg.LinAlgError:
            # Cells whose fitted value has run to zero make the normal equations singular.
            w = np.sqrt(mu)
            coef, *_ = np.linalg.lstsq(X * w[:, None], z * w, rcond=None)
        eta = np.clip(X @ coef, -700, 700)
        mu = np.exp(eta)
        deviance = _deviance_fast(y, mu, positive, ylogy)
        if abs(deviance - deviance_old) <= tol * (abs(deviance) + 0.1):
            converged = True
            break
        deviance_old = deviance
    return PoissonFit(coef, mu, y, iteration, converged)


def _loglik(y: np.ndarray, mu: np.ndarray) -> float:
    positive = y > 0
    return float(np.sum(y[positive] * np.log(mu[positive])) - mu.sum() - log_factorial_sum(y))


def _deviance_fast(y: np.ndarray, mu: np.ndarray, positive: np.ndarray, ylogy: float) -> float:
    return float(2 * (ylogy - np.sum(y[positive] * np.log(mu[positive])) - (y.sum() - mu.sum())))


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    positive = y > 0
    return float(2 * (np.sum(y[positive] * np.log(y[positive] / mu[positive])) - (y - mu).sum()))


def check_estimable(X: np.ndarray, y: np.ndarray, label: str, full_rank_known: bool = False) -> None:  # noqa: N803
    """Raise EstimationError when the model is not identifiable or the MLE of N does not exist.

    Following Chan, Silverman & Vincent (2021): the recession directions d of the likelihood keep
    the fitted values of the cells with counts and do not raise those of the empty cells. If some
    direction moves the intercept (log of the unobserved cell) both ways, N is not identifiable;
    if only one way, the MLE of N does not exist (it runs off to infinity or to the observed count).
    """
    X = np.ascontiguousarray(X, dtype=np.float64)  # noqa: N806
    if not full_rank_known and _rank(X) < X.shape[1]:
        raise EstimationError(f"model {label} is not identifiable: it has more parameters ({X.shape[1]}) "
                              "than the observed cells can determine")
    empty = y == 0
    if not empty.any():
        return
    # Directions must keep every cell with a count fixed: if those cells alone determine all the
    # parameters, or at least the intercept (the unit vector e0 lies in their row space), no
    # direction moves N and the linear programs are not needed (most models of a search).
    nonempty = np.ascontiguousarray(X[~empty])
    rank = _rank(nonempty)
    if rank == X.shape[1]:
        return
    unit = np.zeros((1, X.shape[1]))
    unit[0, 0] = 1.0
    if _rank(np.vstack([nonempty, unit])) == rank:
        return
    from scipy.optimize import linprog

    reach = []
    for sign in (1.0, -1.0):
        cost = np.zeros(X.shape[1])
        cost[0] = -sign  # maximise sign * d0
        result = linprog(cost, A_ub=X[empty], b_ub=np.zeros(empty.sum()),
                         A_eq=X[~empty] if (~empty).any() else None,
                         b_eq=np.zeros((~empty).sum()) if (~empty).any() else None,
                         bounds=[(-1, 1)] * X.shape[1], method="highs")
        reach.append(result.status == 0 and -result.fun > 1e-9)
    if all(reach):
        raise EstimationError(f"model {label} is not identifiable from this table: the empty cells leave the "
                              "number unobserved undetermined (Chan, Silverman & Vincent 2021); use a simpler model")
    if reach[0]:
        raise EstimationError(f"the maximum likelihood estimate does not exist for model {label}: with these empty "
                              "cells the likelihood keeps growing as the unobserved count goes to infinity")
    if reach[1]:
        raise EstimationError(f"the maximum likelihood estimate does not exist for model {label}: with these empty "
                              "cells the likelihood keeps growing as the unobserved count goes to zero")


def term_name(term: int, lists: tuple[str, ...]) -> str:
    """'ABA*EXH' for a term."""
    return "*".join(lists[j] for j in bits(term))


def model_name(terms: tuple[int, ...], lists: tuple[str, ...]) -> str:
    """The model written by its generators, e.g. '[ABA*EXH*OSCE + EXH*HRW + OSCE*HRW]'."""
    array = np.asarray(terms, dtype=np.int64)
    # A generator is a term contained in no other term of the model.
    contained = ((array[:, None] & array[None, :]) == array[:, None]) & (array[:, None] != array[None, :])
    generators = [int(t) for t in array[~contained.any(axis=1)]] if len(array) else []
    if not generators:
        return "[independence]"
    return "[" + " + ".join(term_name(t, lists) for t in sorted(generators, key=lambda t: (-bin(t).count("1"), t))) + "]"


def parse_model(text: str | list, lists: tuple[str, ...]) -> tuple[int, ...]:
    """Terms of a model written '[A*B*C + A*D]' (or 'A:B', or a list of terms); main effects implied."""
    parts = text if isinstance(text, list) else re.split(r"\s*\+\s*", text.strip().strip("[]").strip())
    generators = []
    for part in parts:
        part = part.strip() if isinstance(part, str) else part
        if not part or part in ("independence", "1"):
            continue
        names = re.split(r"\s*[*:·.]\s*", part) if isinstance(part, str) else list(part)
        unknown = [n for n in names if n not in lists]
        if unknown:
            raise EstimationError(f"model term {part!r}: no list named {', '.join(unknown)} (lists: {', '.join(lists)})")
        generators.append(sum(1 << lists.index(n) for n in names))
    return closure(generators, len(lists))
