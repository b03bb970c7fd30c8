"""Checking speed: validate every row of a simulated canonical CSV in one process, no database.

    .venv/bin/python benchmarks/bench_validate.py [--records 200000] [--written] [--file F.csv]

The import's checking stage alone (the worker's job on large files), so that a change to how cells
are read shows in its CPU time; the writing stage is measured by bench_import.py. `--written`
rewrites the simulated dates and ages the way Chinese lists write them (1989年8月9日, 41岁), to
price the written forms against ISO in the same run. To compare with another checkout's code, run
this script with PYTHONPATH=THAT/CHECKOUT (it uses only APIs older than it) under a whole-process
timer, in turn with this one.
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from pathlib import Path


def written(source: Path, target: Path) -> None:
    """The same rows with dates as 1989年8月9日 and ages as 41岁."""
    with open(source, encoding="utf-8", newline="") as reading, open(target, "w", encoding="utf-8", newline="") as out:
        rows = csv.DictReader(reading)
        writer = csv.DictWriter(out, fieldnames=rows.fieldnames)
        writer.writeheader()
        for row in rows:
            day = row["event_date"]
            if len(day) == 10:
                row["event_date"] = f"{int(day[:4])}年{int(day[5:7])}月{int(day[8:])}日"
            if row["age"].isdigit():
                row["age"] = f"{row['age']}岁"
            writer.writerow(row)


def validate(path: Path) -> tuple[int, int, float]:
    """(rows, rows with problems, seconds) of validating every row of a canonical file."""
    from mingdan.ingest.mapping import canonical_mapping
    from mingdan.ingest.readers import open_table
    from mingdan.ingest.validate import RowValidator

    table = open_table(path)
    validator = RowValidator(canonical_mapping(table.header, ["notes"], str(path)), table.header, str(path))
    start = time.perf_counter()
    rows = problems = 0
    for row, cells in table.rows():
        rows += 1
        problems += bool(validator.validate(row, cells)[1])
    return rows, problems, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--written", action="store_true", help="dates and ages as Chinese lists write them")
    parser.add_argument("--file", type=Path, help="validate this canonical CSV instead of simulating one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mingdan-bench-") as folder:
        path = args.file
        if path is None:
            from mingdan.simulate import write_canonical

            path = Path(folder) / "canonical.csv"
            write_canonical(args.records, path, seed=args.seed)
        if args.written:
            written(path, Path(folder) / "written.csv")
            path = Path(folder) / "written.csv"
        rows, problems, seconds = validate(path)
    print(f"validated {rows:,} rows ({problems} with problems) in {seconds:.2f} s: {rows / seconds:,.0f} rows/s")


if __name__ == "__main__":
    main()
