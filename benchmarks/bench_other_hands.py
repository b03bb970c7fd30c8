"""Whole-process time and peak memory of the second generator (other hands' styles) at about
100,000 records, beside mingdan's own simulator writing about as many records in the same run.

.venv/bin/python benchmarks/bench_other_hands.py [--records 100000] [--out /tmp/bench-oh]
Prints records, seconds, peak RSS for each and the ratios (other hands / own simulator).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _run(cmd: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _records(folder: Path) -> int:
    with open(folder / "truth.csv", encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def main() -> None:
    """Run both generators once each and print the comparison."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/bench-other-hands"))
    args = parser.parse_args()
    shutil.rmtree(args.out, ignore_errors=True)
    # people per record measured on small runs: 1.37 records per person (other hands), 1.65 (own)
    ours = args.out / "other_hands"
    t1, m1 = _run([sys.executable, "-m", "mingdan.simulate.other_hands", "--seed", "3", "--people",
                   str(round(args.records / 1.37)), "--out", str(ours), "--plain-values"])
    peer = args.out / "own"
    t2, m2 = _run([str(BIN / "mingdan"), "simulate", "--seed", "3", "--people", str(round(args.records / 1.65)),
                   "--out", str(peer)])
    r1, r2 = _records(ours), _records(peer)
    print(f"other hands : {r1:>8,} records  {t1:7.1f} s  {m1:7.0f} MB  ({r1 / t1:,.0f} records/s)")
    print(f"own sim     : {r2:>8,} records  {t2:7.1f} s  {m2:7.0f} MB  ({r2 / t2:,.0f} records/s)")
    print(f"ratio (other hands / own), per record: time {(t1 / r1) / (t2 / r2):.2f}x, peak memory {m1 / m2:.2f}x")


if __name__ == "__main__":
    main()
