"""The compiled (Numba) kernels of the log-linear fits: imported only for work that repays loading Numba.

A three-list table is fitted in milliseconds with NumPy; importing Numba and loading these from
its cache costs a few tenths of a second, which only a search over thousands of models, a
bootstrap or a table of many lists earns back (glm.compiled_kernels decides).
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def irls(X, y, max_iter, tol):  # noqa: N803
    """IRLS by normal equations; status 1 converged, 0 not, -1 singular (the caller falls back)."""
    n, p = X.shape
    mu = y + 0.5
    eta = np.log(mu)
    coef = np.zeros(p)
    ylogy = 0.0
    for i in range(n):
        if y[i] > 0:
            ylogy += y[i] * np.log(y[i])
    deviance_old = np.inf
    for iteration in range(1, max_iter + 1):
        a = np.zeros((p, p))
        b = np.zeros(p)
        for i in range(n):
            z = eta[i] + (y[i] - mu[i]) / mu[i]
            for r in range(p):
                xr = X[i, r] * mu[i]
                if xr != 0.0:
                    b[r] += xr * z
                    for c in range(p):
                        a[r, c] += xr * X[i, c]
        try:
            coef = np.linalg.solve(a, b)
        except Exception:  # noqa: BLE001 - numba raises a generic error for singular systems
            return coef, mu, iteration, -1
        deviance = 0.0
        total = 0.0
        for i in range(n):
            e = 0.0
            for r in range(p):
                e += X[i, r] * coef[r]
            e = min(max(e, -700.0), 700.0)
            eta[i] = e
            mu[i] = np.exp(e)
            total += y[i] - mu[i]
            if y[i] > 0:
                deviance -= y[i] * e
        deviance = 2.0 * (ylogy + deviance - total)
        if not np.isfinite(deviance):
            return coef, mu, iteration, -1
        if abs(deviance - deviance_old) <= tol * (abs(deviance) + 0.1):
            return coef, mu, iteration, 1
        deviance_old = deviance
    return coef, mu, max_iter, 0


@njit(cache=True)
def rank(X, tol=1e-9):  # noqa: N803
    """Numerical rank by Gaussian elimination with full pivoting (small 0/1 designs; SVD costs 20x more here)."""
    a = X.copy()
    n, p = a.shape
    scale = 0.0
    for i in range(n):
        for j in range(p):
            scale = max(scale, abs(a[i, j]))
    if scale == 0.0:
        return 0
    rank = 0
    for step in range(min(n, p)):
        best, bi, bj = 0.0, -1, -1
        for i in range(step, n):
            for j in range(step, p):
                if abs(a[i, j]) > best:
                    best, bi, bj = abs(a[i, j]), i, j
        if best <= tol * scale:
            break
        for j in range(p):
            a[step, j], a[bi, j] = a[bi, j], a[step, j]
        for i in range(n):
            a[i, step], a[i, bj] = a[i, bj], a[i, step]
        for i in range(step + 1, n):
            factor = a[i, step] / a[step, step]
            if factor != 0.0:
                for j in range(step, p):
                    a[i, j] -= factor * a[step, j]
        rank += 1
    return rank
