"""LCMCR: Bayesian non-parametric latent-class capture-recapture (Manrique-Vallier 2016)."""

from __future__ import annotations

import numpy as np

from .base import Estimator
from .diagnostics import effective_sample_size, split_rhat
from .table import CaptureTable


# Sweeps with alpha held small before the burn-in (lcmcr_kernel.run_chain explains why).
WARM_UP = 3000


#: Below this effective sample size, or above this R-hat, the result carries a warning.
MIN_ESS = 400
MAX_RHAT = 1.05


class LCMCR(Estimator):
    """Dirichlet-process mixture of product-Bernoulli classes, truncated at K; prior 1/N on N."""

    method = "lcmcr"

    def __init__(self, K: int = 10, a_alpha: float = 0.25, b_alpha: float = 0.25, n_iter: int = 10_000,  # noqa: N803
                 burn_in: int = 10_000, thin: int = 10, chains: int = 4, seed: int | None = None,
                 max_ratio: int = 20):
        super().__init__(K=K, a_alpha=a_alpha, b_alpha=b_alpha, n_iter=n_iter, burn_in=burn_in, thin=thin,
                         chains=chains, seed=seed, max_ratio=max_ratio)
        if K < 1 or n_iter < 1 or thin < 1 or chains < 1 or burn_in < 0 or max_ratio < 1:
            raise ValueError("K, n_iter, thin, chains and max_ratio must be positive and burn_in not negative")
        self.K, self.a_alpha, self.b_alpha = K, a_alpha, b_alpha
        self.n_iter, self.burn_in, self.thin, self.chains, self.seed = n_iter, burn_in, thin, chains, seed
        # The unobserved count is at most max_ratio x observed, as in R's LCMCR (which redraws above 20 x n).
        self.max_ratio = int(max_ratio)

    def fit(self, table: CaptureTable) -> LCMCR:
        """Run the chains and summarise the posterior of N."""
        from .lcmcr_kernel import run_chain

        table.validate(min_lists=3, method="lcmcr")
        self.table_, self.observed_, self.warnings_ = table, table.observed, []
        # Only the patterns someone has: a sweep costs what the observed patterns cost, whatever 2^J is.
        cell_counts, cell_patterns = table.cell_counts.astype(np.int64), table.cell_patterns
        seeds = np.random.SeedSequence(self.seed).generate_state(self.chains)
        draws, alphas, classes = [], [], []
        for seed in seeds:
            kept_n, kept_alpha, kept_classes = run_chain(
                cell_counts, cell_patterns, self.K, float(self.a_alpha),
                float(self.b_alpha), WARM_UP, self.burn_in, self.n_iter, self.thin, int(seed % (2 ** 31)),
                self.max_ratio)
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
        if not self.ess_ >= MIN_ESS or not self.rhat_ <= MAX_RHAT:
            # An interval from a handful of draws, or from chains that disagree, is printed like any other: say so.
            self.warnings_.append(
                f"the chains are too short to trust this interval: {self.draws_.size:,} draws, effective sample size "
                f"{self.ess_:.0f} (want at least {MIN_ESS}), R-hat {self.rhat_:.3f} (want at most {MAX_RHAT}); raise "
                "n_iter or burn_in")
        near_limit = float(np.mean(self.draws_ - self.observed_ >= 0.9 * self.max_ratio * self.observed_))
        if near_limit > 0.01:
            self.warnings_.append(
                f"{near_limit:.0%} of the draws of N are within 10% of the limit N <= {self.max_ratio + 1} x observed: "
                "the lists overlap too little for the data to bound N, and the upper end of the interval is that "
                "limit, not a finding (raise max_ratio to see how far it goes)")
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
