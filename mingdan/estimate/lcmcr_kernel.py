"""The Gibbs sampler of the latent-class model (Manrique-Vallier 2016), on cell counts, in Numba.

One sweep costs O(M x K x J) for the M capture patterns actually observed: people are never
handled one by one, and patterns nobody has are never visited, so 15 or 40 lists cost what their
observed patterns cost, not 2^J. Allocations of the people in a cell to the latent classes are
multinomial; the unobserved count is negative binomial given the probability of being missed by
every list (prior 1/N on N).

Class weights and capture probabilities are kept as logarithms and Beta variables are drawn as
ratios of Gamma variables on the log scale. With a small concentration alpha the stick-breaking
fractions of the empty classes sit within 1e-30 or less of one, so log(1 - V) must be computed
without going through V: clamping V below one (as this sampler once did) shortened the tail of
the sticks, inflated alpha's posterior and put weight on classes the data do not support, which
moved the posterior of N up by 3-7% on every table against R's LCMCR.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def _log_gamma(shape):
    """log of a Gamma(shape, 1) draw; below shape 1 by Gamma(shape + 1) x U^(1/shape), which never underflows."""
    if shape >= 1.0:
        return np.log(np.random.gamma(shape, 1.0))
    return np.log(np.random.gamma(shape + 1.0, 1.0)) + np.log(1.0 - np.random.random()) / shape


@njit(cache=True)
def _log_beta(a, b):
    """(log V, log(1 - V)) for V ~ Beta(a, b), accurate when V is within any distance of 0 or 1."""
    if a == 1.0 and b == 1.0:
        u = 1.0 - np.random.random()
        return np.log(u), np.log1p(-u) if u < 1.0 else -np.inf
    if a == 1.0:
        # 1 - V ~ Beta(b, 1): log(1 - V) = log(U) / b exactly, one uniform.
        log_rest = np.log(1.0 - np.random.random()) / b
        return np.log(-np.expm1(log_rest)), log_rest
    x = _log_gamma(a)
    y = _log_gamma(b)
    top = max(x, y)
    total = top + np.log(np.exp(x - top) + np.exp(y - top))
    return x - total, y - total


@njit(cache=True)
def _allocate(size, log_weights, weights, rest, out):
    """Split size people over the classes with probabilities proportional to exp(log_weights).

    weights and rest are scratch arrays of length K (no allocation per call).
    """
    K = log_weights.shape[0]  # noqa: N806
    top = log_weights[0]
    for k in range(1, K):
        top = max(top, log_weights[k])
    for k in range(K):
        weights[k] = np.exp(log_weights[k] - top)
        out[k] = 0
    # rest[k]: the weight of classes k..K-1, summed from the end so it never goes negative.
    total = 0.0
    for k in range(K - 1, -1, -1):
        total += weights[k]
        rest[k] = total
    if size == 1:
        # One person: a single categorical draw instead of up to K binomials.
        u = np.random.random() * total
        for k in range(K):
            u -= weights[k]
            if u < 0.0:
                out[k] = 1
                return
        for k in range(K - 1, -1, -1):
            if weights[k] > 0.0:
                out[k] = 1
                return
    remaining = size
    for k in range(K - 1):
        if weights[k] <= 0.0:
            continue
        p = weights[k] / rest[k]
        if p >= 1.0:
            out[k] = remaining
            return
        draw = np.random.binomial(remaining, p)
        out[k] = draw
        remaining -= draw
        if remaining == 0:
            return
    out[K - 1] = remaining


@njit(cache=True)
def _unobserved(n, missed, limit):
    """NegBin(n, 1 - missed) truncated to <= limit: rejection, and inversion when rejection keeps failing."""
    for _ in range(100):
        draw = np.random.negative_binomial(n, 1.0 - missed)
        if draw <= limit:
            return draw
    # Nearly all the mass is beyond the limit (the lists barely overlap): invert the truncated
    # distribution, log p(k) = lgamma(n + k) - lgamma(k + 1) + k log(missed) + const, k = 0..limit.
    log_p = np.empty(limit + 1)
    top = -np.inf
    for k in range(limit + 1):
        log_p[k] = math.lgamma(n + k) - math.lgamma(k + 1.0) + k * np.log(missed)
        top = max(top, log_p[k])
    total = 0.0
    for k in range(limit + 1):
        log_p[k] = np.exp(log_p[k] - top)
        total += log_p[k]
    u = np.random.random() * total
    for k in range(limit + 1):
        u -= log_p[k]
        if u < 0.0:
            return k
    return limit


@njit(cache=True)
def _order_by_size(sizes, missed_by_class, log_pi, log_lam1, log_lam0):
    """Relabel the classes in decreasing order of size (once, at the end of the warm-up)."""
    order = np.argsort(-sizes, kind="mergesort")
    sizes[:] = sizes[order]
    missed_by_class[:] = missed_by_class[order]
    log_pi[:] = log_pi[order]
    for j in range(log_lam1.shape[0]):
        log_lam1[j, :] = log_lam1[j, order]
        log_lam0[j, :] = log_lam0[j, order]


@njit(cache=True)
def run_chain(cell_counts, cell_patterns, K, a_alpha, b_alpha, warm_up, burn_in, n_keep, thin, seed,  # noqa: N803
              max_ratio):
    """One chain over the observed cells; returns kept draws of N, alpha and the number of classes in use.

    cell_counts[m] > 0 people share the 0/1 capture pattern cell_patterns[m] (J lists). The first
    warm_up sweeps hold alpha at a small value and end by ordering the classes by size (see below).
    The unobserved count is limited to max_ratio times the observed (the prior 1/N truncated there).
    """
    np.random.seed(seed)
    M, J = cell_patterns.shape  # noqa: N806
    n = 0
    for m in range(M):
        n += cell_counts[m]
    # Start: capture probabilities at each list's share of the observed, equal class weights.
    log_lam1 = np.empty((J, K))
    log_lam0 = np.empty((J, K))
    for j in range(J):
        caught = 0
        for m in range(M):
            caught += cell_counts[m] * cell_patterns[m, j]
        share = min(max(caught / n, 1e-3), 1.0 - 1e-3)
        for k in range(K):
            log_lam1[j, k] = np.log(share)
            log_lam0[j, k] = np.log1p(-share)
    # Random sticks and a small alpha. Started with spread weights and alpha = 1, the first sweeps
    # share people evenly over all K classes, alpha follows to 20-30, and the chain can sit in that
    # state for 250,000 sweeps before collapsing to the one or two classes the posterior puts its
    # mass on (Western US, K = 10). So the warm-up holds alpha near the posterior's typical value,
    # a / (b + log n) (the fixed point of its update when the last occupied class holds ~n), lets
    # empty classes drain, then puts the classes in decreasing order of size, as stick-breaking
    # expects, before alpha is released.
    log_rest = 0.0
    log_pi = np.empty(K)
    for k in range(K - 1):
        log_v, log_not_v = _log_beta(1.0, 1.0)
        log_pi[k] = log_rest + log_v
        log_rest += log_not_v
    log_pi[K - 1] = log_rest
    alpha = a_alpha / (b_alpha + np.log(max(n, 2)))
    n0 = 0
    missed_by_class = np.zeros(K, dtype=np.int64)
    share_k = np.zeros(K, dtype=np.int64)
    log_weights = np.empty(K)
    scratch_w = np.empty(K)
    scratch_r = np.empty(K)
    log_missed = np.empty(K)
    sizes = np.zeros(K, dtype=np.int64)
    caught_jk = np.zeros((J, K), dtype=np.int64)
    # The lists each pattern names, packed: members[starts[m]:starts[m + 1]].
    starts = np.zeros(M + 1, dtype=np.int64)
    for m in range(M):
        starts[m + 1] = starts[m] + cell_patterns[m].sum()
    members = np.empty(starts[M], dtype=np.int64)
    for m in range(M):
        i = starts[m]
        for j in range(J):
            if cell_patterns[m, j] == 1:
                members[i] = j
                i += 1
    log_odds = np.empty((J, K))
    base = np.empty(K)
    keep_n = np.empty(n_keep)
    keep_alpha = np.empty(n_keep)
    keep_classes = np.empty(n_keep)
    kept = 0
    for sweep in range(warm_up + burn_in + n_keep * thin):
        # 1. The observed people of each cell, over the classes.
        for k in range(K):
            sizes[k] = missed_by_class[k]
            for j in range(J):
                caught_jk[j, k] = 0
        # log P(pattern, class k) = log pi_k + sum_j log(1 - lambda_jk) + sum over the pattern's lists of
        # log(lambda_jk / (1 - lambda_jk)): with many lists a pattern names few of them, so each cell
        # costs K x (lists it names), not K x J.
        for k in range(K):
            value = log_pi[k]
            for j in range(J):
                value += log_lam0[j, k]
                log_odds[j, k] = log_lam1[j, k] - log_lam0[j, k]
            base[k] = value
        for m in range(M):
            for k in range(K):
                value = base[k]
                for i in range(starts[m], starts[m + 1]):
                    value += log_odds[members[i], k]
                log_weights[k] = value
            _allocate(cell_counts[m], log_weights, scratch_w, scratch_r, share_k)
            for k in range(K):
                count = share_k[k]
                if count:
                    sizes[k] += count
                    for i in range(starts[m], starts[m + 1]):
                        caught_jk[members[i], k] += count
        # 2. Capture probabilities per list and class, Beta(1 + caught, 1 + missed); the unobserved
        #    people of class k are missed by every list.
        for k in range(K):
            for j in range(J):
                caught = caught_jk[j, k]
                log_lam1[j, k], log_lam0[j, k] = _log_beta(1.0 + caught, 1.0 + (sizes[k] - caught))
        # 3. Stick-breaking weights: V_k ~ Beta(1 + n_k, alpha + people in later classes).
        tail = 0
        for k in range(K):
            tail += sizes[k]
        log_rest = 0.0
        for k in range(K - 1):
            tail -= sizes[k]
            log_v, log_not_v = _log_beta(1.0 + sizes[k], alpha + tail)
            log_pi[k] = log_rest + log_v
            log_rest += log_not_v
        log_pi[K - 1] = log_rest
        # 4. The unobserved count: n0 | rest ~ NegBin(n, 1 - P(missed by all)) under the 1/N prior,
        #    then its people over the classes.
        top = -np.inf
        for k in range(K):
            value = log_pi[k]
            for j in range(J):
                value += log_lam0[j, k]
            log_missed[k] = value
            top = max(top, value)
        missed_all = 0.0
        for k in range(K):
            missed_all += np.exp(log_missed[k] - top)
        missed_all *= np.exp(top)
        missed_all = min(missed_all, 1.0 - 1e-15)
        n0 = _unobserved(n, missed_all, max_ratio * n)
        if n0 > 0:
            _allocate(n0, log_missed, scratch_w, scratch_r, missed_by_class)
        else:
            for k in range(K):
                missed_by_class[k] = 0
        # 5. The concentration: alpha ~ Gamma(a + K - 1, b - log pi_K), with log pi_K = sum log(1 - V_k).
        if sweep >= warm_up:
            alpha = np.random.gamma(a_alpha + K - 1.0, 1.0 / (b_alpha - log_rest))
        elif sweep == warm_up - 1:
            _order_by_size(sizes, missed_by_class, log_pi, log_lam1, log_lam0)
        kept_sweep = sweep - warm_up - burn_in
        if kept_sweep >= 0 and kept_sweep % thin == 0:
            keep_n[kept] = n + n0
            keep_alpha[kept] = alpha
            used = 0
            for k in range(K):
                if sizes[k] > 0:
                    used += 1
            keep_classes[kept] = used
            kept += 1
    return keep_n, keep_alpha, keep_classes
