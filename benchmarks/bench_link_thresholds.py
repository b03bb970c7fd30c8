"""Is the model's confidence right at each size? One training, linked at several auto_link thresholds, and
with one log-odds shift that makes the scores' sum meet the matches the prior expects.

    .venv/bin/python benchmarks/bench_link_thresholds.py [--records 100000] [--seed 1] [--keep DIR]

Builds (or reuses, with --keep) the blind generator's linkage frame with each record's true person, as
benchmarks/bench_link_bound.py does; trains and scores once as `mingdan link` does (scores kept down to 0.001),
then, for no shift and for the shift, weighs the rivals, clusters at each threshold and scores against the
truth. Prints the matches the prior expects (prior × pairs), the sum of the scores, the shift in bits that
makes them equal, and pairwise precision, recall, F1, B-cubed F1 and the people found per threshold. An
experiment, not what `mingdan link` does: see docs/linkage.md, "Not done".
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.7, 0.6, 0.5, 0.4, 0.3)


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    import pyarrow as pa
    from scipy.optimize import brentq

    import bench_link_bound as bound

    args = bound.frame_options(__doc__, 100_000)
    from mingdan.linkage.evaluate import scores
    from mingdan.linkage.model import train_and_predict
    from mingdan.linkage.one_to_one import weigh_rivals

    frame, person = bound.frame_with_truth(args.records, args.seed, args.keep, "mingdan-thresholds-")
    records = frame.num_rows
    started = time.perf_counter()
    linker, scored = train_and_predict(frame, threshold=0.001)
    model = linker.misc.save_model_to_json()
    expected = model["probability_two_random_records_match"] * records * (records - 1) / 2
    weight = scored["match_weight"].to_numpy()
    shift = brentq(lambda d: float((1 / (1 + 2.0 ** -(weight + d))).sum()) - expected, -20, 20)
    print(f"{records:,} records, {len(bound.true_pairs(person)):,} true pairs; the prior expects {expected:,.0f} "
          f"matches, the scores sum to {float(scored['match_probability'].to_numpy().sum()):,.0f}: shift "
          f"{shift:.3f} bits; trained and scored in {time.perf_counter() - started:.0f} s", flush=True)
    for bits in (0.0, shift):
        moved = weight + bits
        probability = 1 / (1 + 2.0 ** -moved)
        table = scored.set_column(scored.schema.get_field_index("match_weight"), "match_weight", pa.array(moved))
        table = table.set_column(table.schema.get_field_index("match_probability"), "match_probability",
                                 pa.array(probability))
        table, _ = weigh_rivals(frame, table.filter(pa.array(probability >= 0.2)), 0.2)
        for auto in THRESHOLDS:
            q = scores(bound.cluster_scored(frame, model, table, auto)[0], person)
            pair = q["pairwise"]
            print(f"shift {bits:5.3f} bits, auto_link {auto}: pairwise P {pair['precision']:.4f} R {pair['recall']:.4f} "
                  f"F1 {pair['f1']:.4f}; B-cubed F1 {q['bcubed']['f1']:.4f}; {q['predicted_people']:,} people "
                  f"({q['true_people']:,} true)", flush=True)


if __name__ == "__main__":
    main()
