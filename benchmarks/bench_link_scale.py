"""Linkage speed and memory by phase, against plain Splink with the same blocking on raw fields (issue 3, scale).

    .venv/bin/python benchmarks/bench_link_scale.py [--people 620000] [--seed 11] [--keep DIR]

Simulates the five lists and imports them into a case (not timed), then runs, each in a fresh
process so its peak memory is its own (VmHWM), and its quality measured against the simulator's truth
after the timing: mingdan's linkage (frame from the store, train + predict,
cluster) and the same Splink model on the raw name strings with the same blocking on raw fields.
The issue's target: 1,000,000 records, train + predict + cluster, in <= 3 minutes and <= 4 GB.
620,000 simulated people give about 1,000,000 records.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def peak_gb() -> float:
    """This process's peak resident memory so far, in GB: the high-water mark of its own memory map.

    Not getrusage's ru_maxrss: Linux carries that across exec, so a phase started by a parent that
    had built and imported the million records reported the parent's peak (both sides showed 4.44 GB).
    """
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024 / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def run_phase(case_dir: Path, raw_names: bool) -> dict:
    """Frame, train + predict and cluster in this process; times in seconds and the peak in GB."""
    os.environ["MINGDAN_CASE_DIR"] = str(case_dir)
    from mingdan.api import open_case
    from mingdan.linkage.frame import frame_table
    from mingdan.linkage.model import train_and_predict
    from mingdan.linkage.clustering import cluster

    open_case(case_dir)
    times = {}
    start = time.perf_counter()
    frame = frame_table()
    times["frame"] = time.perf_counter() - start
    after_frame = peak_gb()
    start = time.perf_counter()
    # As `mingdan link` does with the default bands: pairs below review (0.2) are not kept.
    _, pairs = train_and_predict(frame, raw_names=raw_names, threshold=0.2)
    times["train + predict"] = time.perf_counter() - start
    start = time.perf_counter()
    ids = frame["unique_id"].to_pylist()
    sources, record_ids = frame["source"].to_pylist(), frame["record_id"].to_pylist()
    del frame
    linked = pairs["match_probability"].to_numpy() >= 0.6
    edges = tuple(pairs[column].to_numpy()[linked] for column in ("unique_id_l", "unique_id_r", "match_probability"))
    clusters = cluster(ids, edges, set())
    times["cluster"] = time.perf_counter() - start
    peak = peak_gb()
    quality = None
    truth_path = case_dir.parent / "sim" / "truth.csv"
    if truth_path.exists():
        from mingdan.linkage.evaluate import read_truth, scores

        key = dict(zip(ids, zip(sources, record_ids)))
        quality = scores({key[record]: root for record, (root, _) in clusters.items()}, read_truth(truth_path))
    return {"records": len(ids), "pairs": pairs.num_rows, "people": len({root for root, _ in clusters.values()}),
            "times": times, "peak_gb": peak, "peak_after_frame_gb": after_frame,
            "quality": quality and {k: quality[k] for k in ("pairwise", "bcubed", "true_people")}}


def _ratio(value: float | None) -> str:
    """A ratio to three places, or n/a where it is over no pairs (no pair linked: evaluate.scores gives None)."""
    return "n/a" if value is None else f"{value:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=620_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", type=Path, help="Build the case here and keep it (reused when it exists).")
    parser.add_argument("--phase", choices=["ours", "raw"], help=argparse.SUPPRESS)
    parser.add_argument("--case", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.case, raw_names=args.phase == "raw")))
        return
    folder = args.keep or Path(tempfile.mkdtemp(prefix="mingdan-link-scale-"))
    case_dir = folder / "case"
    if not (case_dir / "mingdan.toml").exists():
        os.environ["MINGDAN_CASE_DIR"] = str(case_dir)
        from mingdan.api import import_file, init_case
        from mingdan.demo import demo_lists
        from mingdan.simulate import SimulationSettings, simulate_case, write_case

        start = time.perf_counter()
        write_case(simulate_case(SimulationSettings(seed=args.seed, people=args.people)), folder / "sim")
        case = init_case(case_dir)
        for path, mapping in demo_lists(folder / "sim"):
            import_file(case, path, mapping_path=mapping)
        print(f"simulated {args.people:,} people and imported their lists in {time.perf_counter() - start:.0f} s "
              "(not timed below)", flush=True)
    results = {}
    for phase in ("ours", "raw"):
        done = subprocess.run([sys.executable, __file__, "--phase", phase, "--case", str(case_dir)],
                              capture_output=True, text=True, check=True)
        results[phase] = json.loads(done.stdout.strip().splitlines()[-1])
    ours, raw = results["ours"], results["raw"]
    linkage = ours["times"]["train + predict"] + ours["times"]["cluster"]
    raw_linkage = raw["times"]["train + predict"] + raw["times"]["cluster"]
    print(f"{ours['records']:,} records; frame from the store {ours['times']['frame']:.1f} s, train + predict "
          f"{ours['times']['train + predict']:.1f} s, cluster {ours['times']['cluster']:.1f} s; {ours['pairs']:,} pairs "
          f"scored; {ours['people']:,} people; peak memory {ours['peak_gb']:.2f} GB "
          f"({ours['peak_after_frame_gb']:.2f} GB after the frame)")
    print(f"plain Splink on raw names, same blocking on raw fields: train + predict + cluster {raw_linkage:.1f} s "
          f"({raw['pairs']:,} pairs, peak {raw['peak_gb']:.2f} GB); ratio {linkage / raw_linkage:.2f}x")
    for label, side in (("mingdan", ours), ("plain Splink", raw)):
        if side.get("quality"):
            pairwise, bcubed = side["quality"]["pairwise"], side["quality"]["bcubed"]
            print(f"{label}: {side['people']:,} people for {side['quality']['true_people']:,} listed; pairwise "
                  f"precision {_ratio(pairwise['precision'])}, recall {_ratio(pairwise['recall'])}, "
                  f"F1 {_ratio(pairwise['f1'])}; B-cubed F1 {_ratio(bcubed['f1'])}")
    print(f"train + predict + cluster {linkage:.1f} s (target <= 180 s: {'met' if linkage <= 180 else 'NOT met'}); "
          f"peak {ours['peak_gb']:.2f} GB (target <= 4 GB: {'met' if ours['peak_gb'] <= 4 else 'NOT met'})")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
