"""LogLinear: Poisson log-linear models of a capture table, chosen by AIC or BIC, with profile intervals."""

from __future__ import annotations

import math

import numpy as np

from .base import EstimationError, Estimator
from .glm import (
    check_estimable, compiled_kernels, design, fit_poisson, hierarchical_models, log_factorial_sum, model_name,
    parse_model, term_name,
)
from .heterogeneity import HETEROGENEITY, heterogeneity_design
from .table import CaptureTable

CRITERIA = ("bic", "aic")
INTERVALS = ("profile", "wald", "bca")
# The levels SparseMSE reports; 0.025 and 0.975 make the 95% interval.
BCA_LEVELS = (0.025, 0.05, 0.1, 0.16, 0.84, 0.9, 0.95, 0.975)
# Every hierarchical model is fitted up to this many lists (6,893 models at 5; about 7.8 million at 6).
MAX_SEARCH_LISTS = 5
# A single given model: the design has 2^J - 1 rows.
MAX_MODEL_LISTS = 16
# The stepwise selections refit over all 2^J - 1 patterns many times (32,767 of them at 15 lists).
MAX_STEPWISE_LISTS = 12
CHI2_95 = 3.841458820694124


class LogLinear(Estimator):
    """Rcapture-style log-linear models: one given model, or the best of all hierarchical models."""

    method = "loglinear"

    def __init__(self, model: str | list | None = None, criterion: str = "bic", heterogeneity: str | None = None,
                 interval: str | None = None, max_order: int | None = None, time_effects: bool = True,
                 pthresh: float = 0.02, n_boot: int = 1000, seed: int | None = None):
        # The stepwise selection's own interval is the BCa bootstrap that repeats the selection.
        interval = interval or ("bca" if model == "stepwise" else "profile")
        super().__init__(model=model, criterion=criterion, heterogeneity=heterogeneity, interval=interval,
                         max_order=max_order, time_effects=time_effects, pthresh=pthresh,
                         **({"n_boot": n_boot, "seed": seed} if interval == "bca" else {}))
        if criterion not in CRITERIA:
            raise ValueError(f"criterion must be one of {CRITERIA}")
        if heterogeneity is not None and heterogeneity not in HETEROGENEITY:
            raise ValueError(f"heterogeneity must be one of {HETEROGENEITY}")
        if interval not in INTERVALS:
            raise ValueError(f"interval must be one of {', '.join(INTERVALS)}")
        if interval == "bca" and model != "stepwise":
            raise ValueError("interval='bca' (the bootstrap that repeats the model choice) goes with model='stepwise'")
        if n_boot < 100:
            raise ValueError("n_boot must be at least 100 for a BCa interval")
        self.model, self.criterion, self.heterogeneity = model, criterion, heterogeneity
        self.interval, self.max_order, self.time_effects = interval, max_order, time_effects
        if not 0 <= pthresh < 1:
            raise ValueError("pthresh (the stepwise p-value threshold) must be in [0, 1)")
        self.pthresh, self.n_boot, self.seed = pthresh, n_boot, seed

    def fit(self, table: CaptureTable) -> LogLinear:
        """Fit the model (or search every hierarchical model) and compute N and its interval."""
        table.validate(min_lists=2, method="loglinear")
        self._check_size(table)
        self.table_, self.observed_ = table, table.observed
        self.steps_: list | None = None
        self.bootstrap_: dict | None = None
        if self.model == "stepwise":
            return self._fit_stepwise(table)
        y = table.counts[1:].astype(float)
        if self.heterogeneity is not None:
            candidates = [((), self.heterogeneity)]
        elif self.model == "M0":
            candidates = [((), "M0")]
        elif self.model == "stepwise-criterion":
            candidates = [(stepwise(table, y, self.criterion), None)]
        elif self.model is not None:
            candidates = [(parse_model(self.model, table.lists), None)]
        else:
            candidates = [(terms, None) for terms in hierarchical_models(table.J, self.max_order)]
        ranking, skipped = [], []
        # Thousands of small fits (5 lists) repay loading the compiled kernels; a hundred do not.
        with compiled_kernels(len(candidates) > 1000):
            for terms, kind in candidates:
                try:
                    ranking.append(self._fit_one(table, y, terms, kind))
                except EstimationError as exc:
                    skipped.append({"model": self._label(table, terms, kind), "reason": str(exc)})
        if not ranking:
            raise EstimationError(skipped[0]["reason"] if len(skipped) == 1 else
                                  "no model could be fitted: " + "; ".join(s["reason"] for s in skipped[:3]))
        ranking.sort(key=lambda r: r[self.criterion])
        best = ranking[0]
        self.model_, self.terms_ = best["model"], best["terms"]
        self.estimate_, self.coef_ = best["N"], best["coef"]
        self.ranking_ = [{k: v for k, v in r.items() if k not in ("coef", "X", "terms", "extra", "mu")} for r in ranking]
        self.skipped_ = skipped
        self.aic_, self.bic_, self.deviance_, self.df_ = best["aic"], best["bic"], best["deviance"], best["df"]
        self._interval(best["X_full"], best["mu"], y)
        return self

    def _check_size(self, table: CaptureTable) -> None:
        """Refuse, with the reason, what would take hours or not fit in memory."""
        if self.model is None and self.heterogeneity is None and table.J > MAX_SEARCH_LISTS:
            raise EstimationError(f"loglinear: searching every hierarchical model works up to {MAX_SEARCH_LISTS} lists "
                                  f"(6,893 models); this table has {table.J}. Give a model (--set model='[A*B + C]'), "
                                  "use --set model=stepwise (Chan, Silverman & Vincent), or --method lcmcr")
        if self.model in ("stepwise", "stepwise-criterion") and table.J > MAX_STEPWISE_LISTS:
            raise EstimationError(f"loglinear {self.model}: {table.J} lists is more than the {MAX_STEPWISE_LISTS} it "
                                  f"supports (each of its many refits covers all {2 ** table.J - 1:,} capture "
                                  "patterns); use --method lcmcr, or merge small lists as Chan, Silverman & Vincent do")
        if table.J > MAX_MODEL_LISTS:
            raise EstimationError(f"loglinear: {table.J} lists make 2^{table.J} - 1 = {2 ** table.J - 1:,} capture "
                                  f"patterns, one row each; at most {MAX_MODEL_LISTS} lists are supported. "
                                  "Use --method lcmcr, which works on the patterns observed")

    def _interval(self, X_full: np.ndarray, mu: np.ndarray, y: np.ndarray) -> None:  # noqa: N803
        """Standard error (delta method) and the Wald or profile interval of the fitted model."""
        X = X_full[1:]  # noqa: N806
        covariance = np.linalg.pinv(X.T @ (X * mu[:, None]))
        n0 = self.estimate_ - self.observed_
        # Delta method on the intercept, plus n0 for the sampling variation of the unseen count.
        self.stderr_ = float(np.sqrt(n0 ** 2 * covariance[0, 0] + n0))
        if self.interval == "wald":
            self.lower_ = max(float(self.observed_), self.estimate_ - 1.959964 * self.stderr_)
            self.upper_ = self.estimate_ + 1.959964 * self.stderr_
        elif self.interval == "profile":
            self.lower_, self.upper_ = profile_interval(y, X_full, self.observed_)

    def _fit_stepwise(self, table: CaptureTable) -> LogLinear:
        """Chan, Silverman & Vincent (2021): stepwise choice, estimate, and the BCa interval over the choice."""
        from .stepwise import _Checks, bca_interval, stepwise

        checks = _Checks()
        chosen = stepwise(table, self.pthresh, checks)
        fit = chosen.fit
        self.steps_ = chosen.steps
        self.terms_ = fit.active
        self.empty_overlaps_ = [term_name(pair, table.lists) for pair in fit.empty]
        self.model_ = model_name(fit.active, table.lists) + "".join(f" + {name} at -inf (no overlap)"
                                                                    for name in self.empty_overlaps_)
        self.estimate_, self.coef_ = fit.estimate, fit.fit.coef
        y = table.counts[fit.cells].astype(float)
        p = fit.X.shape[1] + len(fit.empty)  # an effect at -inf is still a parameter (as SparseMSE's AIC counts it)
        self.aic_ = -2 * fit.fit.loglik + 2 * p
        self.bic_ = -2 * fit.fit.loglik + p * np.log(table.observed)
        self.deviance_, self.df_ = fit.fit.deviance, int(len(y) - fit.X.shape[1])
        self.ranking_, self.skipped_ = [{"model": self.model_, "N": self.estimate_, "aic": self.aic_, "bic": self.bic_,
                                         "deviance": self.deviance_, "df": self.df_, "parameters": p}], []
        X_full = np.vstack([np.concatenate([[1.0], np.zeros(fit.X.shape[1] - 1)]), fit.X])  # noqa: N806
        self._interval(X_full, fit.fit.mu, y)
        if self.interval == "bca":
            boot = bca_interval(table, lambda t: stepwise(t, self.pthresh, checks).fit.estimate, self.estimate_,
                                n_boot=self.n_boot, seed=self.seed, levels=BCA_LEVELS)
            self.draws_ = boot.pop("replicates")
            self.bootstrap_ = boot
            self.lower_, self.upper_ = boot["quantiles"]["0.025"], boot["quantiles"]["0.975"]
        return self

    def fixed(self) -> LogLinear:
        """The chosen model as an estimator of its own (for bootstrap refits: no search, Wald interval)."""
        if self.heterogeneity is not None:
            return LogLinear(heterogeneity=self.heterogeneity, time_effects=self.time_effects, interval="wald")
        if self.model == "M0":
            return LogLinear(model="M0", interval="wald")
        if self.model == "stepwise":
            # Refits repeat the selection (as the BCa bootstrap does): the choice is part of the estimate.
            return LogLinear(model="stepwise", pthresh=self.pthresh, interval="wald")
        return LogLinear(model=self.model_, interval="wald")

    def _design(self, J: int, terms: tuple[int, ...]) -> np.ndarray:  # noqa: N803
        """Columns picked from one design of every term, built once per fit (up to 10 lists).

        The table of every term has 2^J rows and nearly 2^J columns: 8 MB at 10 lists but 8.6 GB
        at 15, so beyond 10 lists each model's few columns are built directly (the same columns,
        in the same order).
        """
        if J > 10:
            return design(J, terms, with_unobserved=True)
        if getattr(self, "_all_terms", None) is None or self._all_terms[0] != J:
            everything = tuple(t for t in range(1, 2 ** J) if bin(t).count("1") >= 2)
            self._all_terms = (J, {t: i for i, t in enumerate(everything)}, design(J, everything, with_unobserved=True))
        _, where, full = self._all_terms
        return full[:, [*range(J + 1), *(J + 1 + where[t] for t in terms)]]

    def _label(self, table: CaptureTable, terms: tuple[int, ...], kind: str | None) -> str:
        if kind is None:
            return model_name(terms, table.lists)
        if kind == "M0":
            return "M0"
        return f"{'Mth' if self.time_effects else 'Mh'} {kind}"

    def _fit_one(self, table: CaptureTable, y: np.ndarray, terms: tuple[int, ...], kind: str | None) -> dict:
        label = self._label(table, terms, kind)
        if kind is None:
            X_full = self._design(table.J, terms)  # noqa: N806
        else:
            X_full = (heterogeneity_design(table.J, None, time_effects=False) if kind == "M0"  # noqa: N806
                      else heterogeneity_design(table.J, kind, self.time_effects))
        X = X_full[1:]  # noqa: N806
        if X.shape[1] > len(y):
            # The interaction of every list: more parameters than observed cells, so the cell never seen takes any
            # value (df < 0); fitting it printed a number outside its own interval, or never ended with two lists.
            raise EstimationError(f"{label}: the model has {X.shape[1]} parameters for {len(y)} observed capture "
                                  f"patterns (df = {len(y) - X.shape[1]}): with the interaction of all "
                                  f"{table.J} lists the number never seen is not identifiable. Leave that term out "
                                  "(Rcapture drops it and fits the model below it)")
        # A hierarchical model below the J-way term always has a full-rank design on the observed
        # cells; only extra columns (heterogeneity) and empty cells need checking.
        if kind is not None or (y == 0).any():
            check_estimable(X, y, label, full_rank_known=kind is None)
        fitted = fit_poisson(X, y)
        if kind == "chao":
            # Chao's lower bound: heterogeneity terms estimated negative are dropped and the model refitted.
            first = 1 + (table.J if self.time_effects else 1)
            while True:
                negative = [i for i in range(first, X.shape[1]) if fitted.coef[i] < 0]
                if not negative:
                    break
                keep = [i for i in range(X.shape[1]) if i != negative[-1]]
                X, X_full = X[:, keep], X_full[:, keep]  # noqa: N806
                fitted = fit_poisson(X, y)
        n0 = float(np.exp(fitted.coef[0]))
        p = X.shape[1]
        return {
            "model": label, "terms": terms, "N": table.observed + n0, "mu": fitted.mu,
            "deviance": fitted.deviance, "df": int(len(y) - p), "parameters": p,
            "aic": -2 * fitted.loglik + 2 * p, "bic": -2 * fitted.loglik + p * np.log(table.observed),
            "coef": fitted.coef, "X_full": X_full, "converged": fitted.converged,
        }

    def extra(self) -> dict:
        """Model chosen, fit statistics and the ranking."""
        steps = {"stepwise_steps": self.steps_} if getattr(self, "steps_", None) is not None else {}
        if getattr(self, "bootstrap_", None):
            steps["bootstrap"] = self.bootstrap_
        if getattr(self, "empty_overlaps_", None):
            steps["empty_overlaps"] = self.empty_overlaps_
        return {**steps, "model": self.model_, "criterion": self.criterion, "aic": self.aic_, "bic": self.bic_,
                "deviance": self.deviance_, "df": self.df_, "stderr": self.stderr_, "interval": self.interval,
                "models_fitted": len(self.ranking_), "models_skipped": len(self.skipped_),
                "ranking": [{k: (float(v) if isinstance(v, (np.floating, float)) else v) for k, v in r.items()
                             if k != "X_full"} for r in self.ranking_[:10]]}


def stepwise(table: CaptureTable, y: np.ndarray, criterion: str = "bic") -> tuple[int, ...]:
    """Two-list effects added or removed one at a time while the criterion improves (Chan et al. 2021).

    Each candidate must pass the existence and identifiability checks before it is compared.
    """
    pairs = [(1 << a) | (1 << b) for a in range(table.J) for b in range(a + 1, table.J)]

    def score(terms: tuple[int, ...]) -> float:
        X = design(table.J, terms)  # noqa: N806
        try:
            check_estimable(X, y, model_name(terms, table.lists))
        except EstimationError:
            return np.inf
        fitted = fit_poisson(X, y)
        penalty = 2.0 if criterion == "aic" else np.log(table.observed)
        return -2 * fitted.loglik + penalty * X.shape[1]

    current: tuple[int, ...] = ()
    current_score = score(current)
    while True:
        moves = [tuple(sorted(set(current) ^ {pair})) for pair in pairs]
        scored = [(score(move), move) for move in moves]
        best_score, best = min(scored, key=lambda item: item[0])
        if best_score >= current_score - 1e-9:
            return current
        current, current_score = best, best_score


def profile_loglik(n0: float, y: np.ndarray, X_full: np.ndarray, constant: float | None = None) -> float:  # noqa: N803
    """Multinomial profile log-likelihood of N = observed + n0 (Cormack 1992), maximised over the model.

    constant is -sum(log y!), which does not depend on n0 (computed here when not given).
    """
    counts = np.concatenate([[n0], y])
    fitted = fit_poisson(X_full, counts)
    total = counts.sum()
    positive = counts > 0
    constant = -log_factorial_sum(y) if constant is None else constant
    return float(math.lgamma(total + 1) - math.lgamma(n0 + 1) + constant
                 + np.sum(counts[positive] * np.log(fitted.mu[positive] / total)))


def profile_interval(y: np.ndarray, X_full: np.ndarray, n: int, level_chi2: float = CHI2_95) -> tuple[float, float]:  # noqa: N803
    """95% profile-likelihood interval for N; y are the counts of X_full's rows after the first (unobserved) one."""
    constant = -log_factorial_sum(y)
    loglik = lambda n0: profile_loglik(n0, y, X_full, constant)  # noqa: E731
    guess = max(np.exp(fit_poisson(X_full[1:], y).coef[0]), 1.0)
    peak = _maximise(loglik, 0.0, guess * 20 + 10, 1e-6)
    top = loglik(peak)
    drop = lambda n0: top - loglik(n0) - level_chi2 / 2  # noqa: E731
    lower = 0.0 if drop(0.0) <= 0 else _root(drop, 0.0, peak, 1e-6)
    high = max(peak * 2, peak + 10)
    for _ in range(60):
        if drop(high) > 0:
            break
        high *= 2
    else:
        raise EstimationError("the profile-likelihood interval has no upper end: the data cannot bound N")
    upper = _root(drop, peak, high, 1e-6)
    return n + lower, n + upper


GOLDEN = (math.sqrt(5) - 1) / 2


def _maximise(f, low: float, high: float, xtol: float) -> float:
    """Golden-section search for the maximum of a unimodal f on [low, high] (to xtol)."""
    a, b = low, high
    c, d = b - GOLDEN * (b - a), a + GOLDEN * (b - a)
    fc, fd = f(c), f(d)
    while b - a > xtol:
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - GOLDEN * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + GOLDEN * (b - a)
            fd = f(d)
    # The maximum may sit on the lower end (n0 = 0: no one unseen).
    return max((low, (a + b) / 2), key=f)


def _root(f, low: float, high: float, xtol: float) -> float:
    """The root of f between low and high (f changes sign there) by bisection, to xtol."""
    f_low = f(low)
    while high - low > xtol:
        middle = (low + high) / 2
        f_middle = f(middle)
        if (f_middle > 0) == (f_low > 0):
            low, f_low = middle, f_middle
        else:
            high = middle
    return (low + high) / 2
