"""DGA: Bayesian model averaging over decomposable graphical models (Madigan & York 1997)."""

from __future__ import annotations

from functools import lru_cache
from itertools import combinations

import numpy as np
from .special import gammaln, logsumexp

from .base import EstimationError, Estimator
from .table import CaptureTable

PRIORS = ("1/N", "negbin")


@lru_cache(maxsize=8)
def decomposable_graphs(J: int) -> tuple[tuple[tuple[int, int], ...], ...]:  # noqa: N803
    """Every decomposable (chordal) graph on J vertices, as a tuple of edges; 8, 61 and 822 for 3, 4, 5."""
    pairs = list(combinations(range(J), 2))
    graphs = []
    for mask in range(2 ** len(pairs)):
        edges = tuple(pair for k, pair in enumerate(pairs) if mask >> k & 1)
        if elimination(J, edges) is not None:
            graphs.append(edges)
    return tuple(graphs)


def elimination(J: int, edges: tuple[tuple[int, int], ...]) -> list[tuple[int, int]] | None:  # noqa: N803
    """A perfect elimination ordering as (vertex, later neighbours as a bit mask), or None if not chordal."""
    neighbours = {v: set() for v in range(J)}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    remaining, order = set(range(J)), []
    while remaining:
        for v in sorted(remaining):
            later = neighbours[v] & remaining
            if all(b in neighbours[a] for a, b in combinations(sorted(later), 2)):
                order.append((v, sum(1 << u for u in later)))
                remaining.remove(v)
                break
        else:
            return None
    return order


def graph_name(edges: tuple[tuple[int, int], ...], lists: tuple[str, ...]) -> str:
    """'EXH-ABA, OSCE-HRW' (or 'independence')."""
    return ", ".join(f"{lists[a]}-{lists[b]}" for a, b in edges) or "independence"


class DGA(Estimator):
    """Posterior of N averaged over all decomposable graphical models, with a hyper-Dirichlet prior."""

    method = "dga"

    def __init__(self, delta: float | None = None, prior: str = "1/N", prior_a: float | None = None,
                 prior_b: float | None = None, n_max: int | None = None, n_min: int = 0):
        super().__init__(delta=delta, prior=prior, prior_a=prior_a, prior_b=prior_b, n_max=n_max, n_min=n_min)
        if prior not in PRIORS:
            raise ValueError(f"prior must be one of {PRIORS}")
        if prior == "negbin" and (prior_a is None or prior_b is None):
            raise ValueError("the negative binomial prior needs prior_a and prior_b")
        self.delta, self.prior, self.prior_a, self.prior_b = delta, prior, prior_a, prior_b
        self.n_max, self.n_min = n_max, n_min

    def fit(self, table: CaptureTable) -> DGA:
        """Compute the posterior over (graph, unobserved count) exactly on a grid."""
        table.validate(min_lists=3, max_lists=5, method="dga")
        self.table_, self.observed_ = table, table.observed
        J, n = table.J, table.observed  # noqa: N806
        delta = self.delta if self.delta is not None else 2.0 ** -J
        n_max = self.n_max if self.n_max is not None else max(300, 10 * n)
        missing = np.arange(self.n_min, n_max + 1, dtype=float)
        total = n + missing
        alpha = delta * 2 ** J
        # F(A) = log marginal likelihood of the table collapsed onto the lists in A (F(empty) = 0).
        patterns = table.patterns
        log_d = gammaln(alpha) - gammaln(alpha + total)
        F = {}  # noqa: N806
        for subset in range(2 ** J):
            members = [j for j in range(J) if subset >> j & 1]
            a = delta * 2 ** (J - len(members))
            keys = (patterns[:, members] * (1 << np.arange(len(members)))).sum(axis=1) if members else np.zeros(2 ** J, int)
            marginal = np.bincount(keys, weights=table.counts, minlength=2 ** len(members))
            fixed = np.sum(gammaln(a + marginal[1:]) - gammaln(a))
            F[subset] = log_d + fixed + gammaln(a + marginal[0] + missing) - gammaln(a)
        coefficient = gammaln(total + 1) - gammaln(missing + 1) - gammaln(table.counts[1:] + 1).sum()
        if self.prior == "1/N":
            log_prior = -np.log(np.maximum(total, 1))
        else:
            a, b = self.prior_a, self.prior_b
            log_prior = total * np.log(b) - (total + a) * np.log1p(b) + gammaln(total + a) - gammaln(total + 1) - gammaln(a)
        graphs = decomposable_graphs(J)
        log_post = np.empty((len(graphs), len(missing)))
        for g, edges in enumerate(graphs):
            marginal_likelihood = sum(F[later | 1 << v] - F[later] for v, later in elimination(J, edges))
            log_post[g] = marginal_likelihood + coefficient + log_prior
        log_post -= logsumexp(log_post)
        weights = np.exp(log_post)
        self.graphs_ = graphs
        self.missing_grid_ = missing
        self.posterior_ = weights.sum(axis=0)
        model_probs = weights.sum(axis=1)
        self.model_probabilities_ = {graph_name(e, table.lists): float(p) for e, p in zip(graphs, model_probs)}
        top = int(np.argmax(model_probs))
        self.top_model_ = graph_name(graphs[top], table.lists)
        self.top_model_probability_ = float(model_probs[top])
        self.top_model_mode_ = float(n + missing[np.argmax(weights[top])])
        cdf = np.cumsum(self.posterior_)
        self.mean_ = float(np.sum(self.posterior_ * total))
        # Madigan & York's point estimate: the minimiser of relative squared error E[((N - a) / N)^2].
        self.relative_loss_estimate_ = float(np.sum(self.posterior_ / total) / np.sum(self.posterior_ / total ** 2))
        self.mode_ = float(total[np.argmax(self.posterior_)])
        self.estimate_ = float(total[np.searchsorted(cdf, 0.5)])
        self.lower_ = float(total[np.searchsorted(cdf, 0.025)])
        self.upper_ = float(total[min(np.searchsorted(cdf, 0.975), len(total) - 1)])
        self.edge_mass_ = float(self.posterior_[-1])
        if self.posterior_[-5:].sum() > 1e-3:
            raise EstimationError(f"dga: the posterior of N still has mass at the end of the grid (N = {total[-1]:,.0f});"
                                  " give a larger n_max")
        return self

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Draws of N from the model-averaged posterior (for combining strata)."""
        self._check_fitted()
        return self.observed_ + rng.choice(self.missing_grid_, size=size, p=self.posterior_ / self.posterior_.sum())

    def extra(self) -> dict:
        """Mean, mode, top model and the model probabilities."""
        ranked = sorted(self.model_probabilities_.items(), key=lambda item: -item[1])
        return {"mean": self.mean_, "relative_loss_estimate": self.relative_loss_estimate_, "mode": self.mode_, "top_model": self.top_model_,
                "top_model_probability": self.top_model_probability_, "top_model_mode": self.top_model_mode_,
                "delta": self.delta if self.delta is not None else 2.0 ** -self.table_.J,
                "graphs": len(self.graphs_), "model_probabilities": dict(ranked[:10])}
