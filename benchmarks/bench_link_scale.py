"""Linkage speed and memory by phase, against plain Splink with the same blocking on raw fields (issue 3, scale).

    .venv/bin/python benchmarks/bench_link_scale.py [--people 6200] [--seed 11]

Simulates the five lists, imports them (not timed), then times: building the frame from the
store (names read into keys), train + predict with mingdan's model, clustering, and the same
Splink model on the raw name strings, in the same process. Peak memory is the process's
maximum resident set. The issue's target is 1,000,000 records in <= 3 minutes and <= 4 GB.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def peak_gb() -> float:
    """The process's peak resident memory so far, in GB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=6200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mingdan-link-scale-") as folder:
        folder = Path(folder)
        os.environ["MINGDAN_CASE_DIR"] = str(folder / "case")
        from mingdan.api import import_file, init_case
        from mingdan.demo import demo_lists
        from mingdan.linkage.frame import record_frame
        from mingdan.linkage.model import train_and_predict
        from mingdan.linkage.run import cluster
        from mingdan.simulate import SimulationSettings, simulate_case, write_case

        write_case(simulate_case(SimulationSettings(seed=args.seed, people=args.people)), folder / "sim")
        case = init_case(folder / "case")
        for path, mapping in demo_lists(folder / "sim"):
            import_file(case, path, mapping_path=mapping)
        times = {}
        start = time.perf_counter()
        frame = record_frame()
        times["frame"] = time.perf_counter() - start
        start = time.perf_counter()
        _, pairs = train_and_predict(frame)
        times["train + predict"] = time.perf_counter() - start
        start = time.perf_counter()
        cluster([r["unique_id"] for r in frame],
                [(p["unique_id_l"], p["unique_id_r"], p["match_probability"]) for p in pairs
                 if p["match_probability"] >= 0.6], set())
        times["cluster"] = time.perf_counter() - start
        ours = times["train + predict"] + times["cluster"]
        start = time.perf_counter()
        _, raw_pairs = train_and_predict(frame, raw_names=True)
        raw = time.perf_counter() - start
        print(f"{len(frame):,} records; " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items())
              + f"; {len(pairs):,} pairs scored; peak memory {peak_gb():.2f} GB")
        print(f"train + predict + cluster {ours:.1f} s; plain Splink on raw names, same blocking: {raw:.1f} s "
              f"({len(raw_pairs):,} pairs); ratio {ours / raw:.1f}x; "
              f"{ours / len(frame) * 1e6:.0f} s per million records at this size (target 180 s)")


if __name__ == "__main__":
    main()
