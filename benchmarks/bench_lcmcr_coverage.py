"""Coverage of LCMCR's 95% interval on the simulation designs of Manrique-Vallier (2016).

    .venv/bin/python benchmarks/bench_lcmcr_coverage.py [--replicates 100] [--designs sim1,sim2,...]

True N = 2,000 on five lists, people in latent strata with their own capture probabilities
(data/published/mse/README.md). Each replicate draws a fresh table and fits LCMCR (K = 10,
2 chains); the script prints the share of 95% intervals that contain 2,000 (target >= 85%),
the median estimate and the median R-hat.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DESIGNS = {
    "sim1": ((1800, 200), ((.033, .033, .099, .132, .033), (.660, .825, .759, .990, .693))),
    "sim2": ((1600, 400), ((.013, .013, .099, .132, .033), (.560, .825, .759, .990, .593))),
    "sim3": ((1600, 400), ((.113, .113, .199, .232, .133), (.860, .925, .859, .990, .793))),
    "sim4": ((1600, 200, 200), ((.1, .05, .15, .2, .1), (.5, .4, .6, .4, .5), (.8, .9, .6, .7, .7))),
    "sim5": ((1600, 400), ((.113, .113, .199, .832, .733), (.860, .925, .859, .190, .193))),
}


def draw_table(design: str, rng: np.random.Generator):
    """One simulated capture table of the design."""
    from mingdan.estimate import CaptureTable

    sizes, probabilities = DESIGNS[design]
    rows = np.concatenate([rng.random((size, 5)) < np.array(p) for size, p in zip(sizes, probabilities)])
    seen = rows[rows.any(axis=1)].astype(int)
    return CaptureTable.from_individuals(["L1", "L2", "L3", "L4", "L5"], seen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=100)
    parser.add_argument("--designs", default=",".join(DESIGNS))
    parser.add_argument("--burn-in", type=int, default=10_000)
    parser.add_argument("--keep", type=int, default=2_000)
    parser.add_argument("--thin", type=int, default=10)
    args = parser.parse_args()
    from mingdan.estimate import LCMCR

    for design in args.designs.split(","):
        rng = np.random.default_rng(hash(design) % 2 ** 32)
        covered, medians, rhats = 0, [], []
        start = time.perf_counter()
        for replicate in range(args.replicates):
            fitted = LCMCR(K=10, chains=2, burn_in=args.burn_in, n_iter=args.keep, thin=args.thin,
                           seed=replicate).fit(draw_table(design, rng))
            covered += fitted.lower_ <= 2000 <= fitted.upper_
            medians.append(fitted.estimate_)
            rhats.append(fitted.rhat_)
        share = covered / args.replicates
        print(f"{design}: {covered}/{args.replicates} intervals cover N = 2,000 ({share:.0%}, target >= 85%: "
              f"{'met' if share >= 0.85 else 'NOT met'}); median estimate {np.median(medians):,.0f}; "
              f"median R-hat {np.median(rhats):.3f}; {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
