"""python -m mingdan.simulate.other_hands --seed S --people N --out DIR [--plain-values]"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .case import simulate, write


def main(argv: list[str] | None = None) -> int:
    """Generate a case and print what was written."""
    parser = argparse.ArgumentParser(prog="python -m mingdan.simulate.other_hands",
                                     description="Simulated lists in other hands' styles, with known truth.")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same files")
    parser.add_argument("--people", type=int, default=3000, help="true people (victims and relatives)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write")
    parser.add_argument("--plain-values", action="store_true",
                        help="dates as EDTF, ages as numbers, sentences as ISO durations, no XLSX title row")
    args = parser.parse_args(argv)
    if args.people < 1:
        parser.error("--people must be at least 1")
    started = time.perf_counter()
    case = simulate(args.seed, args.people, plain_values=args.plain_values)
    paths = write(case, args.out)
    print(f"{case.records:,} records in {len(case.sources)} lists about {len(case.people):,} people "
          f"({'plain values' if args.plain_values else 'as written'}) in {time.perf_counter() - started:.1f} s")
    for path in paths:
        print(f"  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
