"""An import killed half-way (SIGKILL) leaves the case's database exactly as it was."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

# The real CLI on the case's own SQLite file: run in the SQLite pass, not collected in the PostgreSQL one.
pytestmark = pytest.mark.sqlite_file


def mingdan(*args: str, **options) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "mingdan.cli", *args], env=env, capture_output=True, text=True, **options)


def counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'mingdan_%'")]
        return {table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def children(pid: int) -> list[int]:
    """Process ids whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def alive(pid: int) -> bool:
    """Whether a process is running (a zombie waiting to be reaped has ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def write_big(path: Path, rows: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["record_id", "name", "sex", "age", "event", "event_date", "place"])
        for i in range(rows):
            writer.writerow([f"r{i}", "王伟", "male", str(18 + i % 40), "detained", "1989-06-1X", "北京"])


# Rows enough to be killed at that moment, and no more: each test imports the file twice (killed,
# then whole). "rows" waits for the progress line at 100,000 rows, and the file must stay over
# WORKER_MIN_BYTES (4 MB, about 80,000 of these rows) to be validated by the worker process.
# "commit" kills once the WAL has grown by 2 MB; the commit of 40,000 rows writes it for about a
# tenth of the import's time (4.8 s of 43 s for 30,000 rows on a loaded machine), polled every 20 ms.
@pytest.mark.parametrize("moment, rows", [("rows", 110_000), ("commit", 40_000)], ids=["rows", "commit"])
def test_sigkill_during_the_write_leaves_the_database_unchanged(tmp_path, moment, rows):
    """Killed while rows are being validated and written, or while the transaction commits."""
    case = tmp_path / "case"
    assert mingdan("init", str(case)).returncode == 0
    small = tmp_path / "small.csv"
    small.write_text("record_id,name,event\nk1,李明,killed\n", "utf-8")
    assert mingdan("import", str(small), "--case", str(case), "--source", "S").returncode == 0
    before = counts(case / "mingdan.sqlite3")
    big = tmp_path / "big.csv"
    write_big(big, rows)
    wal = case / "mingdan.sqlite3-wal"
    wal_before = wal.stat().st_size if wal.exists() else 0
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    process = subprocess.Popen([sys.executable, "-m", "mingdan.cli", "import", str(big), "--case", str(case), "--source", "S2"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    if moment == "rows":
        # Two thirds through the rows (the progress line), the worker validating, rows in the transaction.
        line = process.stderr.readline()
        assert "100,000 rows" in line, line
        workers = children(process.pid)
        assert workers, "a file this large is validated by the import worker process"
    else:
        # The rows live in SQLite's page cache until the commit writes them to the WAL.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            if wal.exists() and wal.stat().st_size > wal_before + 2_000_000:
                break
            time.sleep(0.02)
    assert process.poll() is None, "the import finished before it could be killed; make the file bigger"
    process.send_signal(signal.SIGKILL)
    process.wait()
    # The worker notices its reader is gone and ends too.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(pid) for pid in workers):
        time.sleep(0.1)
    assert not any(alive(pid) for pid in workers)
    with sqlite3.connect(case / "mingdan.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert counts(case / "mingdan.sqlite3") == before
    # The same file then imports completely.
    finished = mingdan("import", str(big), "--case", str(case), "--source", "S2")
    assert finished.returncode == 0, finished.stderr
    after = counts(case / "mingdan.sqlite3")
    assert after["mingdan_record"] == before["mingdan_record"] + rows
