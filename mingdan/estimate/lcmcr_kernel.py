"""The Gibbs sampler of the latent-class model (Manrique-Vallier 2016), on cell counts, in Numba.

One sweep costs O(cells x K + J x K): people are never handled one by one. Allocations of the
people in a cell to the latent classes are multinomial; the unobserved count is negative
binomial given the probability of being missed by every list (prior 1/N on N).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _multinomial(n, probabilities, out):
    """Split n into len(probabilities) counts by sequential binomials."""
    remaining = n
    mass = 1.0
    K = probabilities.shape[0]  # noqa: N806
    for k in range(K - 1):
        if remaining <= 0:
            out[k] = 0
            continue
        p = probabilities[k] / mass if mass > 0 else 0.0
        if p >= 1.0:
            draw = remaining
        elif p <= 0.0:
            draw = 0
        else:
            draw = np.random.binomial(remaining, p)
        out[k] = draw
        remaining -= draw
        mass -= probabilities[k]
    out[K - 1] = remaining


@njit(cache=True)
def run_chain(counts, patterns, K, a_alpha, b_alpha, burn_in, n_keep, thin, seed):  # noqa: N803
    """One chain: returns kept draws of N, alpha and the number of classes in use."""
    np.random.seed(seed)
    cells, J = patterns.shape  # noqa: N806  (cell 0 is the unobserved pattern)
    n = 0
    for c in range(1, cells):
        n += counts[c]
    lam = np.empty((J, K))
    for j in range(J):
        for k in range(K):
            lam[j, k] = np.random.beta(1.0, 1.0)
    alpha = 1.0
    v = np.empty(K)
    pi = np.empty(K)
    for k in range(K - 1):
        v[k] = np.random.beta(1.0, alpha)
    v[K - 1] = 1.0
    n0 = n // 2 + 1
    cell_probability = np.empty((cells, K))
    allocation = np.zeros((cells, K), dtype=np.int64)
    row = np.empty(K)
    share = np.empty(K, dtype=np.int64)
    keep_n = np.empty(n_keep)
    keep_alpha = np.empty(n_keep)
    keep_classes = np.empty(n_keep)
    kept = 0
    total_sweeps = burn_in + n_keep * thin
    for sweep in range(total_sweeps):
        # Stick-breaking weights.
        rest = 1.0
        for k in range(K):
            pi[k] = v[k] * rest
            rest *= 1.0 - v[k]
        # Probability of each capture pattern within each class.
        for c in range(cells):
            for k in range(K):
                p = pi[k]
                for j in range(J):
                    p *= lam[j, k] if patterns[c, j] == 1 else 1.0 - lam[j, k]
                cell_probability[c, k] = p
        # Allocate the people of every cell (the unobserved n0 included) to classes.
        for c in range(cells):
            size = n0 if c == 0 else counts[c]
            total = 0.0
            for k in range(K):
                total += cell_probability[c, k]
            for k in range(K):
                row[k] = cell_probability[c, k] / total
            _multinomial(size, row, share)
            for k in range(K):
                allocation[c, k] = share[k]
        # Class-specific capture probabilities.
        for k in range(K):
            for j in range(J):
                caught = 0
                missed = 0
                for c in range(cells):
                    if patterns[c, j] == 1:
                        caught += allocation[c, k]
                    else:
                        missed += allocation[c, k]
                lam[j, k] = np.random.beta(1.0 + caught, 1.0 + missed)
        # Stick-breaking fractions and the concentration alpha.
        sizes = np.zeros(K)
        for k in range(K):
            for c in range(cells):
                sizes[k] += allocation[c, k]
        tail = 0.0
        log_rest = 0.0
        for k in range(K - 1, -1, -1):
            if k < K - 1:
                v[k] = np.random.beta(1.0 + sizes[k], alpha + tail)
                if v[k] > 1.0 - 1e-12:
                    v[k] = 1.0 - 1e-12
                log_rest += np.log(1.0 - v[k])
            tail += sizes[k]
        alpha = np.random.gamma(a_alpha + K - 1, 1.0 / (b_alpha - log_rest))
        # The unobserved count, given the probability of being missed by every list.
        missed_all = 0.0
        rest = 1.0
        for k in range(K):
            weight = v[k] * rest
            rest *= 1.0 - v[k]
            q = weight
            for j in range(J):
                q *= 1.0 - lam[j, k]
            missed_all += q
        if missed_all > 1.0 - 1e-12:
            missed_all = 1.0 - 1e-12
        n0 = np.random.negative_binomial(n, 1.0 - missed_all)
        if sweep >= burn_in and (sweep - burn_in) % thin == 0:
            keep_n[kept] = n + n0
            keep_alpha[kept] = alpha
            used = 0
            for k in range(K):
                if sizes[k] > 0:
                    used += 1
            keep_classes[kept] = used
            kept += 1
    return keep_n, keep_alpha, keep_classes
