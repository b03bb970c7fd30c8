"""Whole-command time of `mingdan estimate --table` against `Rscript` doing the same fit (issue 16).

    .venv/bin/python benchmarks/bench_startup.py [--runs 7] [--rlib /tmp/mingdan-peers/Rlib]

Three pairs, each run alternately (ours, R, ours, R, ...) so that a machine shared with others
slows both alike; the medians of wall and CPU time (user + system of the child) and their ratio:

- log-linear, 3 lists (Madigan & York's spina bifida): every hierarchical model ranked by BIC and
  the profile-likelihood interval of the best; R: Rcapture closedpMS.t then closedpCI.t;
- DGA, 5 lists (dga's own example, delta = 0.5, prior 1/N): R: dga's bma.cr over all 822 graphs;
- LCMCR, Kosovo, 2 chains x 11,000 sweeps; R: LCMCR the same.

R's packages are built by benchmarks/peers/build_r_peers.sh (GPL: beside us, never committed).
Target: the 3-list log-linear command under 0.5 s wall on a quiet machine, and no slower than R.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MSE = REPO / "data" / "published" / "mse"
MINGDAN = str(Path(sys.executable).with_name("mingdan"))

R_LOGLINEAR = """
suppressMessages(library(Rcapture, lib.loc = "{lib}"))
d <- read.csv("{table}", comment.char = "#")
m <- closedpMS.t(d, dfreq = TRUE)
best <- rownames(m$results)[which.min(m$results[, "BIC"])]
print(closedpCI.t(d, dfreq = TRUE, mX = best)$CI)
"""
R_DGA = """
.libPaths(c("{lib}", .libPaths()))
suppressMessages(library(dga))
d <- read.csv("{table}", comment.char = "#")
Y <- array(0, dim = rep(2, 5))
for (i in seq_len(nrow(d))) Y[matrix(unlist(d[i, 1:5]) + 1, nrow = 1)] <- d$count[i]
data(graphs5)
w <- bma.cr(Y, Nmissing = 1:300, delta = 0.5, graphs = graphs5)
p <- colSums(w); cdf <- cumsum(p) / sum(p)
cat(sum(Y) + (1:300)[which(cdf >= 0.5)[1]], "\\n")
"""
R_LCMCR = """
.libPaths(c("{lib}", .libPaths()))
suppressMessages(library(LCMCR))
d <- read.csv("{table}", comment.char = "#")
for (j in 1:4) d[[j]] <- factor(d[[j]], levels = c(0, 1))
names(d)[5] <- "Freq"
N <- c()
for (seed in 1:2) {{
  s <- lcmCR(d, tabular = TRUE, K = 10, a_alpha = 0.25, b_alpha = 0.25, seed = seed, buffer_size = 1000,
             thinning = 10, verbose = FALSE)
  N <- c(N, lcmCR_PostSampl(s, burnin = 1000, samples = 1000, thinning = 10, output = FALSE))
}}
print(quantile(N, c(0.025, 0.5, 0.975)))
"""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the command (its output thrown away)."""
    before = os.times()
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = os.times()
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def pair(label: str, ours: list[str], theirs: list[str], runs: int) -> None:
    """Alternate the two commands; print medians and the median of the per-pair ratios."""
    timed(ours), timed(theirs)  # warm the file cache (and Numba's) once, uncounted
    rows = [(timed(ours), timed(theirs)) for _ in range(runs)]
    for name, index in (("wall", 0), ("cpu", 1)):
        mine = statistics.median(r[0][index] for r in rows)
        peer = statistics.median(r[1][index] for r in rows)
        ratio = statistics.median(r[0][index] / r[1][index] for r in rows)
        print(f"{label}: {name} mingdan {mine:.3f} s, R {peer:.3f} s, ratio {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rlib", default="/tmp/mingdan-peers/Rlib")
    args = parser.parse_args()
    three = MSE / "madigan_york_spina_bifida_3lists.csv"
    five = MSE / "madigan_york_5lists_dga_example.csv"
    kosovo = MSE / "kosovo_1999_4lists.csv"
    with tempfile.TemporaryDirectory() as folder:
        scripts = {}
        for name, text, table in (("loglinear", R_LOGLINEAR, three), ("dga", R_DGA, five), ("lcmcr", R_LCMCR, kosovo)):
            scripts[name] = Path(folder, f"{name}.R")
            scripts[name].write_text(text.format(lib=args.rlib, table=table))
        pair("log-linear, 3 lists", [MINGDAN, "estimate", "--table", str(three), "--method", "loglinear"],
             ["Rscript", str(scripts["loglinear"])], args.runs)
        pair("DGA, 5 lists", [MINGDAN, "estimate", "--table", str(five), "--method", "dga", "--set", "delta=0.5",
                              "--set", "n_max=300"], ["Rscript", str(scripts["dga"])], args.runs)
        pair("LCMCR, Kosovo, 2 x 11,000 sweeps", [MINGDAN, "estimate", "--table", str(kosovo), "--method", "lcmcr",
                                                 "--seed", "1", "--set", "chains=2", "--set", "burn_in=1000",
                                                 "--set", "n_iter=1000"], ["Rscript", str(scripts["lcmcr"])], args.runs)


if __name__ == "__main__":
    main()
