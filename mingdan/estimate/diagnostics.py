"""Convergence diagnostics of MCMC chains: split R-hat and effective sample size (BDA3, Geyer)."""

from __future__ import annotations

import numpy as np


def split_rhat(chains: np.ndarray) -> float:
    """Split-R-hat of an (m chains x n draws) array (Gelman et al., BDA3 section 11.4)."""
    chains = np.asarray(chains, dtype=float)
    half = chains.shape[1] // 2
    if half < 2:
        return float("nan")
    split = np.concatenate([chains[:, :half], chains[:, half: 2 * half]], axis=0)
    n = split.shape[1]
    means = split.mean(axis=1)
    within = split.var(axis=1, ddof=1).mean()
    between = n * means.var(ddof=1)
    if within == 0:
        return 1.0 if between == 0 else float("inf")
    pooled = (n - 1) / n * within + between / n
    return float(np.sqrt(pooled / within))


def effective_sample_size(chains: np.ndarray) -> float:
    """ESS of an (m x n) array from the chains' autocorrelations, Geyer's initial monotone sequence."""
    chains = np.asarray(chains, dtype=float)
    m, n = chains.shape
    if n < 4:
        return float(m * n)
    centred = chains - chains.mean(axis=1, keepdims=True)
    size = 1 << (2 * n - 1).bit_length()
    spectrum = np.fft.rfft(centred, size, axis=1)
    autocovariance = np.fft.irfft(spectrum * np.conj(spectrum), size, axis=1)[:, :n] / n
    within = chains.var(axis=1, ddof=1).mean()
    if within == 0:
        return float(m * n)
    pooled = (n - 1) / n * within + chains.mean(axis=1).var(ddof=1) if m > 1 else within
    rho = 1 - (within - autocovariance.mean(axis=0)) / pooled
    rho[0] = 1.0
    total, previous = 0.0, np.inf
    for t in range(0, n - 1, 2):
        pair = rho[t] + rho[t + 1]
        if pair < 0:
            break
        pair = min(pair, previous)  # monotone
        total += pair
        previous = pair
    tau = -1 + 2 * total
    return float(m * n / max(tau, 1.0 / np.log10(max(m * n, 10))))
