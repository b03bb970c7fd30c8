"""LCMCR: Bayesian non-parametric latent-class capture-recapture (Manrique-Vallier 2016)."""

from __future__ import annotations

import numpy as np

from .base import EstimationError, Estimator
from .diagnostics import effective_sample_size, split_rhat
from .table import CaptureTable


# Sweeps with alpha held small before the burn-in (lcmcr_kernel.run_chain explains why).
WARM_UP = 500


class LCMCR(Estimator):
    """Dirichlet-process mixture of product-Bernoulli classes, truncated at K; prior 1/N on N."""

    method = "lcmcr"

    def __init__(self, K: int = 10, a_alpha: float = 0.25, b_alpha: float = 0.25, n_iter: int = 10_000,  # noqa: N803
                 burn_in: int = 10_000, thin: int = 10, chains: int = 4, seed: int | None = None):
        super().__init__(K=K, a_alpha=a_alpha, b_alpha=b_alpha, n_iter=n_iter, burn_in=burn_in, thin=thin,
                         chains=chains, seed=seed)
        if K < 1 or n_iter < 1 or thin < 1 or chains < 1 or burn_in < 0:
            raise ValueError("K, n_iter, thin and chains must be positive and burn_in not negative")
        self.K, self.a_alpha, self.b_alpha = K, a_alpha, b_alpha
        self.n_iter, self.burn_in, self.thin, self.chains, self.seed = n_iter, burn_in, thin, chains, seed

    def fit(self, table: CaptureTable) -> LCMCR:
        """Run the chains and summarise the posterior of N."""
        from .lcmcr_kernel import run_chain

        table.validate(min_lists=3, method="lcmcr")
        if table.J > 30:
            raise EstimationError("lcmcr: more than 30 lists")
        self.table_, self.observed_ = table, table.observed
        cells = np.flatnonzero(table.counts)
        cells = cells[cells > 0]
        cell_counts = table.counts[cells].astype(np.int64)
        cell_patterns = ((cells[:, None] >> np.arange(table.J)[None, :]) & 1).astype(np.int64)
        seeds = np.random.SeedSequence(self.seed).generate_state(self.chains)
        draws, alphas, classes = [], [], []
        for seed in seeds:
            kept_n, kept_alpha, kept_classes = run_chain(
                cell_counts, cell_patterns, self.K, float(self.a_alpha),
                float(self.b_alpha), WARM_UP, self.burn_in, self.n_iter, self.thin, int(seed % (2 ** 31)))
            draws.append(kept_n)
            alphas.append(kept_alpha)
            classes.append(kept_classes)
        self.chains_ = np.array(draws)
        self.draws_ = self.chains_.ravel()
        self.estimate_ = float(np.median(self.draws_))
        self.lower_, self.upper_ = (float(q) for q in np.quantile(self.draws_, [0.025, 0.975]))
        self.mean_ = float(self.draws_.mean())
        self.rhat_ = split_rhat(self.chains_) if self.chains > 1 or self.n_iter >= 4 else float("nan")
        self.ess_ = effective_sample_size(self.chains_)
        self.alpha_mean_ = float(np.mean(alphas))
        self.classes_mean_ = float(np.mean(classes))
        self.sweeps_ = self.chains * (WARM_UP + self.burn_in + self.n_iter * self.thin)
        return self

    def sample(self, size: int, rng: np.random.Generator) -> np.ndarray:
        """Draws of N resampled from the posterior draws (for combining strata)."""
        self._check_fitted()
        return rng.choice(self.draws_, size=size, replace=True)

    def extra(self) -> dict:
        """Posterior mean, diagnostics and sampler sizes."""
        return {"mean": self.mean_, "rhat": self.rhat_, "ess": self.ess_, "sweeps": self.sweeps_,
                "alpha_mean": self.alpha_mean_, "classes_in_use_mean": self.classes_mean_,
                "quantiles": {str(q): float(np.quantile(self.draws_, q)) for q in (0.025, 0.25, 0.5, 0.75, 0.975)}}
