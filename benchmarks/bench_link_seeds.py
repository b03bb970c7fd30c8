"""Does the count hang on the training's random draws? One frame of the blind generator linked with several seeds.

    .venv/bin/python benchmarks/bench_link_seeds.py [--records 100000] [--seed 1] [--keep DIR] [--seeds 1 2 3]
        [--peer DIR]

Builds (or reuses, with --keep) the linkage frame of the blind generator's lists with each record's
true person, as benchmarks/bench_link_bound.py does, then links it as `mingdan link` does
(bench_link_bound.link_frame: training, scoring, the rivals, the contradiction check, the list rule,
clustering at the default thresholds; nothing stored) once per training seed, each in a fresh
process. The seed draws Splink's random pairs for u and the pairs u and the prior are re-estimated on;
nothing else differs. Prints per seed the prior learnt (and its ratio to the true share of pairs that
are one person), pairwise precision, recall and F1, B-cubed F1 and the people found. With --peer (a
copy of another version, `git archive REV | tar -x -C DIR`) the peer links the same frame with the
same seeds in the same run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_CHILD = r"""
import json, sys, time
root, frame_path, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
sys.path.insert(0, root); sys.path.insert(0, root + "/benchmarks")
import pyarrow.parquet as pq
import bench_link_bound as bound
import mingdan.linkage.model as model_module
from mingdan.linkage.evaluate import scores
frame = pq.read_table(frame_path)
person = dict(zip(frame["unique_id"].to_pylist(), frame["person"].to_pylist()))
frame = frame.drop_columns(["person"])
train = model_module.train_and_predict
model_module.train_and_predict = lambda f, threshold=0.05, **k: train(f, threshold=threshold, seed=seed)
started = time.perf_counter()
model, clusters, _ = bound.link_frame(frame)
quality = scores(clusters, person)
records = frame.num_rows
print(json.dumps({"prior": model["probability_two_random_records_match"],
                  "true_prior": len(bound.true_pairs(person)) / (records * (records - 1) / 2),
                  "seconds": time.perf_counter() - started, **quality}))
"""


def link(root: Path, frame: Path, seed: int) -> dict:
    """One link of the frame by the mingdan at `root` with training seed `seed`, in a fresh process."""
    done = subprocess.run([sys.executable, "-c", _CHILD, str(root), str(frame), str(seed)],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3], help="training seeds")
    parser.add_argument("--keep", type=Path, help="folder to keep the lists, case and frame in (reused if present)")
    parser.add_argument("--peer", type=Path, help="a copy of another mingdan version to link the same frame")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    import bench_link_bound as bound

    folder = args.keep or Path(tempfile.mkdtemp(prefix="mingdan-seeds-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    frame = bound.build_frame(args.records, args.seed, folder)
    print(f"frame of about {args.records:,} records ready in {time.perf_counter() - started:.0f} s", flush=True)
    sides = [("this", ROOT)] + ([("peer", args.peer.resolve())] if args.peer else [])
    f1s: dict[str, list[float]] = {}
    for seed in args.seeds:
        for side, root in sides:
            got = link(root, frame, seed)
            pair, bcubed = got["pairwise"], got["bcubed"]
            f1s.setdefault(side, []).append(pair["f1"])
            print(f"{side:4} seed {seed}: prior {got['prior']:.3g} ({got['prior'] / got['true_prior']:.2f} of the truth); "
                  f"pairwise P {pair['precision']:.4f} R {pair['recall']:.4f} F1 {pair['f1']:.4f}; "
                  f"B-cubed F1 {bcubed['f1']:.4f}; {got['predicted_people']:,} people; {got['seconds']:.0f} s",
                  flush=True)
    for side, values in f1s.items():
        print(f"{side}: pairwise F1 from {min(values):.4f} to {max(values):.4f} over {len(values)} seeds "
              f"(spread {max(values) - min(values):.4f})")


if __name__ == "__main__":
    main()
