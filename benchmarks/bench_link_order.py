"""Does the count hang on the import order? One frame linked as it is and with its record ids reversed.

    .venv/bin/python benchmarks/bench_link_order.py [--records 30000] [--seed 1] [--keep DIR]

Builds (or reuses, with --keep) the blind generator's linkage frame, as benchmarks/bench_link_bound.py does,
and links it as `mingdan link` does (bound.link_frame) twice: as built, and with every record's id reversed
(the last imported gets the first id, as importing the lists in the other order would do; rows sorted by the
new ids). Also links it with its last record dropped (one record fewer, the ids of the others unchanged).
Prints the people found and how many records are grouped differently from the first link.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def regrouped(first: dict, second: dict) -> tuple[int, int, int]:
    """(people in first, people in second, records whose group differs), over the records of first."""
    groups_first, groups_second = defaultdict(set), defaultdict(set)
    for record in first:
        groups_first[first[record]].add(record)
        groups_second[second[record]].add(record)
    moved = sum(1 for record in first if groups_first[first[record]] != groups_second[second[record]])
    return len(groups_first), len(groups_second), moved


def main() -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import pyarrow as pa

    import bench_link_bound as bound

    args = bound.frame_options(__doc__, 30_000)
    frame, _ = bound.frame_with_truth(args.records, args.seed, args.keep, "mingdan-order-")
    _, base, _ = bound.link_frame(frame)
    ids = frame["unique_id"].to_numpy()
    reversed_ids = ids.max() + ids.min() - ids
    turned = frame.set_column(frame.schema.get_field_index("unique_id"), "unique_id", pa.array(reversed_ids))
    _, other, _ = bound.link_frame(turned.take(pa.array(np.argsort(reversed_ids))))
    back = dict(zip(reversed_ids.tolist(), ids.tolist()))
    other = {back[record]: back[root] for record, root in other.items()}
    people, people_reversed, moved = regrouped(base, other)
    print(f"{frame.num_rows:,} records: {people:,} people; ids reversed {people_reversed:,} ({people_reversed - people:+,}),"
          f" {moved:,} records grouped differently", flush=True)
    last = int(ids.max())
    _, fewer, _ = bound.link_frame(frame.filter(pa.array(ids != last)))
    kept = {record: root for record, root in base.items() if record != last}
    people, people_fewer, moved = regrouped(kept, fewer)
    print(f"last record dropped: {people:,} people among the others, {people_fewer:,} ({people_fewer - people:+,}), "
          f"{moved:,} records grouped differently")


if __name__ == "__main__":
    main()
