"""Score a linkage against truth.csv per pair of sources: pairwise precision, recall and F1 for
every pair of lists (within a list too), and the overall pairwise and B-cubed figures.

python -m mingdan.simulate.other_hands.score --truth DIR/truth.csv --clusters CLUSTERS.csv
(CLUSTERS.csv: source, record_id, person_id, as `mingdan link --clusters-out` writes it.)
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
from collections import Counter, defaultdict
from pathlib import Path


def _read(path: Path) -> dict[tuple[str, str], str]:
    with open(path, encoding="utf-8", newline="") as handle:
        return {(row["source"], row["record_id"]): row["person_id"] for row in csv.DictReader(handle)}


def _pairs(assign: dict[tuple[str, str], str]) -> set[tuple]:
    groups: dict[str, list] = defaultdict(list)
    for rec, pid in assign.items():
        groups[pid].append(rec)
    out = set()
    for members in groups.values():
        out.update(itertools.combinations(sorted(members), 2))
    return out


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "true_pairs": tp + fn,
            "found_pairs": tp + fp}


def bcubed(truth: dict, found: dict) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the records both sides know."""
    keys = [k for k in truth if k in found]
    t_size, f_size = Counter(truth[k] for k in keys), Counter(found[k] for k in keys)
    both = Counter((truth[k], found[k]) for k in keys)
    p = sum(both[(truth[k], found[k])] / f_size[found[k]] for k in keys) / len(keys)
    r = sum(both[(truth[k], found[k])] / t_size[truth[k]] for k in keys) / len(keys)
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r)}


def score(truth: dict, found: dict) -> dict:
    """Overall and per-source-pair figures."""
    missing = [k for k in truth if k not in found]
    if missing:
        raise ValueError(f"{len(missing)} records of the truth are not in the clusters, e.g. {missing[0]}")
    t_pairs, f_pairs = _pairs(truth), _pairs({k: found[k] for k in truth})
    per: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for pair in t_pairs | f_pairs:
        key = tuple(sorted((pair[0][0], pair[1][0])))
        per[key]["tp" if pair in t_pairs and pair in f_pairs else "fn" if pair in t_pairs else "fp"] += 1
    return {"pairwise": _prf(len(t_pairs & f_pairs), len(f_pairs - t_pairs), len(t_pairs - f_pairs)),
            "bcubed": bcubed(truth, found),
            "by_source_pair": {f"{a} | {b}": _prf(c["tp"], c["fp"], c["fn"]) for (a, b), c in sorted(per.items())}}


def main(argv: list[str] | None = None) -> int:
    """Print the figures as a table."""
    parser = argparse.ArgumentParser(prog="python -m mingdan.simulate.other_hands.score")
    parser.add_argument("--truth", type=Path, required=True)
    parser.add_argument("--clusters", type=Path, required=True)
    args = parser.parse_args(argv)
    result = score(_read(args.truth), _read(args.clusters))
    for kind in ("pairwise", "bcubed"):
        r = result[kind]
        print(f"{kind:>8}: precision {r['precision']:.4f}  recall {r['recall']:.4f}  F1 {r['f1']:.4f}")
    print(f"\n{'source pair':<62} {'true':>6} {'found':>6} {'prec':>6} {'recall':>6} {'F1':>6}")
    for key, r in result["by_source_pair"].items():
        print(f"{key:<62} {r['true_pairs']:>6} {r['found_pairs']:>6} {r['precision']:>6.3f} {r['recall']:>6.3f} {r['f1']:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
