"""Are the match probabilities what they say? Scored pairs of the blind generator's lists against the truth.

    .venv/bin/python benchmarks/bench_link_calibration.py [--records 100000] [--seed 1] [--keep DIR]

Builds (or reuses, with --keep) the linkage frame of the blind generator's lists with each record's true
person (as benchmarks/bench_link_bound.py does), trains and scores it as `mingdan link` does, weighs the
rivals, and prints, for bands of match probability, how many pairs were scored there and the share of
them that are one person. A calibrated model's share is the band's probability; a higher share means the
model is less sure than it should be. Also the prior learnt against the true share of all pairs that are
one person, and the expected number of true pairs (the probabilities summed) against the true pairs among
the scored pairs.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BANDS = (0.01, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.99, 1.0001)


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    import numpy as np

    import bench_link_bound as bound

    args = bound.frame_options(__doc__, 100_000)
    from mingdan.linkage.model import train_and_predict
    from mingdan.linkage.one_to_one import weigh_rivals

    frame, person = bound.frame_with_truth(args.records, args.seed, args.keep, "mingdan-calibration-")
    linker, scored = train_and_predict(frame, threshold=BANDS[0])
    prior = linker.misc.save_model_to_json()["probability_two_random_records_match"]
    true = bound.true_pairs(person)
    records = frame.num_rows
    print(f"{records:,} records; prior {prior:.3g}, true share of pairs one person "
          f"{len(true) / (records * (records - 1) / 2):.3g}")
    weighed, _ = weigh_rivals(frame, scored, BANDS[0])
    for label, table in (("scores", scored), ("after the rivals are weighed", weighed)):
        left, right = table["unique_id_l"].to_numpy(), table["unique_id_r"].to_numpy()
        probability = table["match_probability"].to_numpy()
        one = np.array([(min(a, b), max(a, b)) in true for a, b in zip(left, right)])
        print(f"{label}: {len(probability):,} pairs at {BANDS[0]} or more, {int(one.sum()):,} of them one person, "
              f"{probability.sum():,.0f} expected")
        for low, high in zip(BANDS, BANDS[1:]):
            band = (probability >= low) & (probability < high)
            if band.any():
                print(f"  {low:.2f}-{min(high, 1):.2f}: {int(band.sum()):8,} pairs, mean probability "
                      f"{probability[band].mean():.3f}, one person {one[band].mean():.3f}")


if __name__ == "__main__":
    main()
