"""Speed of the log-linear model search (issue 4 target: all hierarchical models on 5 lists in <= 2 s).

    .venv/bin/python benchmarks/bench_loglinear.py

Times, on the published tables in data/published/mse: the search of all 6,893 hierarchical
models on the 5-list Madigan & York table (Wald and profile intervals; this table has empty cells,
so the existence/identifiability checks run), the 113-model search on Kosovo, and the
Chan-Silverman-Vincent stepwise selection. Each is the best of three runs after a warm-up that
loads Numba's compiled kernels; the model enumeration (cached per process) is cleared before
each run so that its cost is counted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def best_of(runs: int, action) -> tuple[float, object]:
    """Shortest wall time of several runs, and the last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    from mingdan.estimate import CaptureTable, LogLinear
    from mingdan.estimate.glm import hierarchical_models

    def search(table: CaptureTable, **settings) -> LogLinear:
        hierarchical_models.cache_clear()
        return LogLinear(**settings).fit(table)

    data = ROOT / "data/published/mse"
    five = CaptureTable.from_csv(data / "madigan_york_5lists_dga_example.csv")
    kosovo = CaptureTable.from_csv(data / "kosovo_1999_4lists.csv")
    LogLinear(interval="wald").fit(five)  # warm-up: compiled kernels
    for interval in ("wald", "profile"):
        seconds, fitted = best_of(3, lambda: search(five, interval=interval))
        total = len(fitted.ranking_) + len(fitted.skipped_)
        print(f"5 lists, {total:,} hierarchical models ({len(fitted.skipped_)} refused by the checks), "
              f"{interval} interval: {seconds:.2f} s (target <= 2 s: {'met' if seconds <= 2 else 'NOT met'}); "
              f"min-BIC {fitted.model_}, N = {fitted.estimate_:,.1f}")
    seconds, fitted = best_of(3, lambda: search(kosovo))
    print(f"Kosovo, {len(fitted.ranking_)} models, profile interval: {seconds:.2f} s; min-BIC {fitted.model_}, "
          f"N = {fitted.estimate_:,.1f} ({fitted.lower_:,.0f}-{fitted.upper_:,.0f})")
    seconds, fitted = best_of(3, lambda: LogLinear(model="stepwise", interval="wald").fit(five))
    print(f"5 lists, stepwise (Chan et al. 2021): {seconds:.3f} s; {fitted.model_}, N = {fitted.estimate_:,.1f}")


if __name__ == "__main__":
    main()
