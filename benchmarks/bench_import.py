"""Import speed and memory: N simulated canonical records into SQLite, against plain sqlite3.

    .venv/bin/python benchmarks/bench_import.py [--records 1000000]

Prints records/second and peak memory of `mingdan import` (a real process on a real case; the
memory is the sum over the importing process and its validating worker),
and two peers measured in the same run on the same machine:
  raw rows   plain sqlite3 executemany of the file's rows into one 13-column table;
  same rows  plain sqlite3 executemany of exactly the rows mingdan wrote (records, events,
             custody events, claims, names), replayed into an empty copy of the schema.
Targets (issue 2): >= 10,000 records/s, <= 2 GB peak, within 3x of the peer.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TABLES = ("mingdan_record", "mingdan_event", "mingdan_custodyevent", "mingdan_claim", "mingdan_name")


def tree_rss_mb(root: int) -> float:
    """Resident memory (MB) of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [child for child, parent in parents.items() if parent == pid]
        tree.update(kids)
        frontier.extend(kids)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def run_import(case: Path, data: Path) -> tuple[float, float, float]:
    """Seconds of one `mingdan import` process; peak memory of its process tree summed (sampled every
    0.1 s: the import and its validating worker run together) and of its largest process (rusage)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    cli = [sys.executable, "-m", "mingdan.cli"]
    subprocess.run([*cli, "init", str(case)], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    process = subprocess.Popen([*cli, "import", str(data), "--case", str(case), "--source", "bench"], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_tree = 0.0
    while process.poll() is None:
        peak_tree = max(peak_tree, tree_rss_mb(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"mingdan import failed: {process.stderr.read().decode()}")
    peak_one = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak_tree, peak_one


def raw_rows_peer(data: Path, target: Path) -> float:
    """Seconds to insert the CSV's rows as they are, one executemany, one transaction."""
    start = time.perf_counter()
    with open(data, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        connection = sqlite3.connect(target)
        connection.execute(f"CREATE TABLE rows ({', '.join(f'{c} TEXT' for c in header)})")
        connection.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(header))})", reader)
        connection.commit()
        connection.close()
    return time.perf_counter() - start


def same_rows_peer(case_db: Path, target: Path) -> tuple[float, int]:
    """Seconds to executemany exactly the rows mingdan wrote into an empty copy of its schema.

    Rows stream from the case database (holding 10 M claim tuples in memory would take more RAM
    than the import itself); the time of that read alone is measured first and subtracted.
    """
    source = sqlite3.connect(case_db)
    schema = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")]
    start = time.perf_counter()
    written = 0
    for table in TABLES:
        for _ in source.execute(f'SELECT * FROM "{table}"'):
            written += 1
    reading = time.perf_counter() - start
    connection = sqlite3.connect(target)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    for sql in schema:
        connection.execute(sql)
    connection.commit()
    start = time.perf_counter()
    for table in TABLES:
        width = len(source.execute(f'SELECT * FROM "{table}" LIMIT 0').description)
        marks = ", ".join("?" * width)
        connection.executemany(f'INSERT INTO "{table}" VALUES ({marks})', source.execute(f'SELECT * FROM "{table}"'))
    connection.commit()
    seconds = time.perf_counter() - start - reading
    connection.close()
    source.close()
    return seconds, written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    from mingdan.simulate import write_canonical

    with tempfile.TemporaryDirectory(prefix="mingdan-bench-") as folder:
        folder = Path(folder)
        data = folder / "canonical.csv"
        start = time.perf_counter()
        write_canonical(args.records, data, seed=args.seed)
        rows = sum(1 for _ in open(data, encoding="utf-8")) - 1
        print(f"simulated {rows:,} canonical rows in {time.perf_counter() - start:.1f} s ({data.stat().st_size / 1e6:.0f} MB)")
        seconds, peak_mb, peak_one = run_import(folder / "case", data)
        raw = raw_rows_peer(data, folder / "raw.sqlite3")
        same, written = same_rows_peer(folder / "case" / "mingdan.sqlite3", folder / "same.sqlite3")
        print(f"mingdan import : {seconds:7.1f} s  {rows / seconds:9,.0f} rows/s  peak {peak_mb:,.0f} MB (process tree; largest process {peak_one:,.0f} MB)  ({written:,} rows written)")
        print(f"peer, same rows: {same:7.1f} s  ratio {seconds / same:.2f}x  (plain executemany of the rows mingdan wrote)")
        print(f"peer, raw rows : {raw:7.1f} s  ratio {seconds / raw:.2f}x  (plain executemany of the CSV rows into one table)")
        print(f"targets: >= 10,000 rows/s {'met' if rows / seconds >= 10_000 else 'NOT met'}; "
              f"<= 2 GB {'met' if peak_mb <= 2048 else 'NOT met'}; "
              f"<= 3x same rows {'met' if seconds / same <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
