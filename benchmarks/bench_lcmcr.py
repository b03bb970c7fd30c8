"""LCMCR on Kosovo: the long-run posterior (>= 1 M sweeps) and sweeps per second against R's LCMCR.

    .venv/bin/python benchmarks/bench_lcmcr.py [--sweeps 200000] [--rlib /tmp/mingdan-peers/Rlib]
    .venv/bin/python benchmarks/bench_lcmcr.py --lists 15 --sweeps 11000 --skip-posterior

Part 1 runs 4 chains of mingdan's sampler, K = 10, 1.15 M sweeps in all, and prints the posterior
median and 95% interval of N with the issue's targets. Part 2 times one chain of each sampler for
the same number of sweeps (K = 10, a = b = 0.25, thinning 10), alternately three times, and prints
the median ratio. With --lists J the table is not Kosovo but J lists drawn from two latent classes
(3,000 people, seed 5: the 15-list case of issue 16). R's LCMCR is built by
benchmarks/peers/build_r_peers.sh (GPL: built beside us, never committed).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
KOSOVO = REPO / "data" / "published" / "mse" / "kosovo_1999_4lists.csv"
sys.path.insert(0, str(REPO))

R_SCRIPT = """
.libPaths(c("{lib}", .libPaths()))
suppressMessages(library(LCMCR))
d <- read.csv("{data}", comment.char = "#")
J <- ncol(d) - 1
for (j in 1:J) d[[j]] <- factor(d[[j]], levels = c(0, 1))
names(d)[J + 1] <- "Freq"
s <- lcmCR(d, tabular = TRUE, K = 10, a_alpha = 0.25, b_alpha = 0.25, buffer_size = 10000,
           thinning = 10, seed = 1, verbose = FALSE)
s$Update(1000, output = FALSE)
t <- system.time(s$Update({sweeps}, output = FALSE))[["elapsed"]]
cat(t, "\\n")
"""


def many_lists(lists: int, path: Path) -> Path:
    """A table of `lists` lists from two latent classes (as tests/estimate/test_many_lists.py), written to path."""
    rng = np.random.default_rng(5)
    hard = rng.random(3000) < 0.7
    catch = np.where(hard[:, None], rng.uniform(0.02, 0.08, lists), rng.uniform(0.1, 0.4, lists))
    rows = rng.random((3000, lists)) < catch
    patterns, counts = np.unique(rows[rows.any(axis=1)].astype(int), axis=0, return_counts=True)
    lines = [",".join([*(f"L{j + 1}" for j in range(lists)), "count"])]
    lines += [",".join([*map(str, row), str(count)]) for row, count in zip(patterns, counts)]
    path.write_text("\n".join(lines) + "\n")
    return path


def ours(sweeps: int, data: Path) -> float:
    """Seconds for one chain of `sweeps` sweeps (compiled beforehand)."""
    from mingdan.estimate import CaptureTable
    from mingdan.estimate.lcmcr_kernel import run_chain

    table = CaptureTable.from_csv(data)
    counts, patterns = table.cell_counts, table.cell_patterns
    run_chain(counts, patterns, 10, 0.25, 0.25, 10, 10, 10, 1, 1, 20)  # compile / load the cache
    start = time.perf_counter()
    run_chain(counts, patterns, 10, 0.25, 0.25, 0, 0, sweeps // 10, 10, 1, 20)
    return time.perf_counter() - start


def theirs(sweeps: int, lib: str, data: Path) -> float | None:
    """Seconds R's LCMCR takes for the same sweeps, or None when it is not built."""
    if not Path(lib, "LCMCR").is_dir():
        return None
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as handle:
        handle.write(R_SCRIPT.format(lib=lib, data=data, sweeps=sweeps))
    out = subprocess.run(["Rscript", handle.name], capture_output=True, text=True, check=True).stdout
    return float(out.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweeps", type=int, default=200_000)
    parser.add_argument("--rlib", default="/tmp/mingdan-peers/Rlib")
    parser.add_argument("--skip-posterior", action="store_true")
    parser.add_argument("--lists", type=int, default=None, help="time on a simulated table of this many lists")
    args = parser.parse_args()
    data = KOSOVO if args.lists is None else many_lists(args.lists, Path(tempfile.mkdtemp()) / "many.csv")
    from mingdan.estimate import LCMCR, CaptureTable

    if not args.skip_posterior:
        start = time.perf_counter()
        fitted = LCMCR(K=10, chains=4, burn_in=50_000, n_iter=23_750, thin=10, seed=2026).fit(CaptureTable.from_csv(KOSOVO))
        low, median, high = np.quantile(fitted.draws_, [0.025, 0.5, 0.975])
        print(f"posterior, {fitted.sweeps_:,} sweeps in {time.perf_counter() - start:.1f} s: median {median:,.0f} "
              f"(target 10,150-10,670: {'met' if 10_150 <= median <= 10_670 else 'NOT met'}); "
              f"2.5% {low:,.0f} (target 8,980 +-4%: {'met' if abs(low / 8980 - 1) <= 0.04 else 'NOT met'}); "
              f"97.5% {high:,.0f} (target 13,780 +-5%: {'met' if abs(high / 13780 - 1) <= 0.05 else 'NOT met'}); "
              f"R-hat {fitted.rhat_:.3f}, ESS {fitted.ess_:,.0f}")
        one = LCMCR(K=1, chains=2, burn_in=2_000, n_iter=20_000, thin=1, seed=2026).fit(CaptureTable.from_csv(KOSOVO))
        print(f"K = 1: median {one.estimate_:,.1f} (independence MLE 7,394.6: "
              f"{'within 1%' if abs(one.estimate_ / 7394.6 - 1) <= 0.01 else 'NOT within 1%'})")
    ratios = []
    for _ in range(3):
        mine = ours(args.sweeps, data)
        print(f"mingdan: {args.sweeps:,} sweeps in {mine:.2f} s = {args.sweeps / mine:,.0f} sweeps/s")
        peer = theirs(args.sweeps, args.rlib, data)
        if peer is None:
            print(f"R LCMCR: not built in {args.rlib} (run benchmarks/peers/build_r_peers.sh); no ratio")
            return
        print(f"R LCMCR: {args.sweeps:,} sweeps in {peer:.2f} s = {args.sweeps / peer:,.0f} sweeps/s")
        ratios.append(peer / mine)
    print(f"ratio (ours / R, sweeps per second), median of 3 pairs: {float(np.median(ratios)):.2f}x "
          "(target >= 1, aim 2)")


if __name__ == "__main__":
    main()
