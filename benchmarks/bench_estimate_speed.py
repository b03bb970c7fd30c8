"""Speed of the exact methods on 5 lists: DGA over all 822 graphs, and the log-linear model search.

    .venv/bin/python benchmarks/bench_estimate_speed.py

Targets (issue 4): dga on 5 lists <= 1 s; log-linear search of all 6,893 hierarchical models on
5 lists <= 2 s. Uses the 5-list Madigan & York table (grid 0..3,000 for dga).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    from mingdan.estimate import DGA, CaptureTable, LogLinear

    table = CaptureTable.from_csv(Path(__file__).resolve().parents[1] / "data/published/mse/madigan_york_5lists_dga_example.csv")
    DGA(delta=0.5, n_max=300).fit(table)  # warm caches (graph enumeration)
    LogLinear(model="[L1*L2]").fit(table)  # load the compiled IRLS kernel (Numba's on-disk cache)
    start = time.perf_counter()
    dga = DGA(delta=0.5, n_max=3000).fit(table)
    dga_seconds = time.perf_counter() - start
    print(f"dga, 5 lists, 822 graphs x 3,001 values of N: {dga_seconds:.2f} s "
          f"(target <= 1 s: {'met' if dga_seconds <= 1 else 'NOT met'}); median {dga.estimate_:,.0f}")
    for interval in ("wald", "profile"):
        start = time.perf_counter()
        search = LogLinear(interval=interval).fit(table)
        seconds = time.perf_counter() - start
        print(f"log-linear search, 5 lists, {len(search.ranking_) + len(search.skipped_):,} models, {interval} interval: "
              f"{seconds:.2f} s (target <= 2 s: {'met' if seconds <= 2 else 'NOT met'}); best {search.model_}")


if __name__ == "__main__":
    main()
