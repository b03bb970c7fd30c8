"""Web load: concurrent users browsing and searching a 100,000-record case served by `mingdan serve`.

    .venv/bin/python benchmarks/bench_web_load.py [--records 100000] [--users 50] [--seconds 60] [--think 1.0]

Builds (once, cached in /tmp) a case of N simulated canonical records on SQLite, starts the real
server (waitress, loopback only), logs each user in, then for a bounded time every user loops over:
a records page at a random offset, a name search (half typed in pinyin, half in characters), a
record page, and the JSON search, pausing a random 0-2x --think seconds between requests.
Prints p50/p95/p99 latency per page kind and overall, errors, and the ratio of p95 to the
300 ms target (issue 6: p95 <= 300 ms on SQLite on 2 cores, no errors).
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

PASSWORD = "correct horse battery staple"


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MINGDAN_CASE_DIR")}


def mingdan(*args, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env=_env(), input=stdin, text=True,
                   check=True, capture_output=True)


def build(records: int, folder: Path) -> tuple[Path, list[str]]:
    """The case (built once) and a sample of names from it."""
    from mingdan.simulate import write_canonical

    case, data = folder / "case", folder / "records.csv"
    if not (case / "mingdan.sqlite3").exists():
        folder.mkdir(parents=True, exist_ok=True)
        write_canonical(records, data)
        start = time.perf_counter()
        mingdan("init", case)
        mingdan("import", data, "--case", case, "--source", "bench")
        mingdan("users", "add", "bench", "--role", "viewer", "--case", case, stdin=PASSWORD + "\n")
        print(f"built a {records:,}-record case in {time.perf_counter() - start:.0f} s")
    with open(data, encoding="utf-8", newline="") as handle:
        names = [row["name"] for row, _ in zip(csv.DictReader(handle), range(5000)) if row["name"]]
    return case, names


class User(threading.Thread):
    """One simulated user: logs in, then browses and searches until the deadline."""

    def __init__(self, base: str, names: list[str], think: float, deadline: float, seed: int, total: int):
        super().__init__(daemon=True)
        self.base, self.names, self.think, self.deadline = base, names, think, deadline
        self.random = random.Random(seed)
        self.total = total
        self.timings: list[tuple[str, float]] = []
        self.errors: list[str] = []
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def _get(self, kind: str, path: str) -> str:
        start = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=30) as response:
                body = response.read().decode("utf-8", "replace")
                if response.status != 200:
                    self.errors.append(f"{kind} {response.status}")
        except Exception as exc:  # a benchmark counts every failure, whatever it is
            self.errors.append(f"{kind} {exc}")
            body = ""
        self.timings.append((kind, time.perf_counter() - start))
        return body

    def login(self) -> None:
        page = self.opener.open(self.base + "/login").read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        data = urllib.parse.urlencode({"username": "bench", "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
        self.opener.open(urllib.request.Request(self.base + "/login", data=data))

    def run(self) -> None:
        from mingdan.names.romanize import pinyin_name

        self.login()
        while time.perf_counter() < self.deadline:
            step = self.random.randrange(4)
            name = self.random.choice(self.names)
            typed = pinyin_name(name) if self.random.random() < 0.5 else name
            if step == 0:
                self._get("list", f"/records?page={self.random.randint(1, self.total // 50)}")
            elif step == 1:
                self._get("search", "/records?q=" + urllib.parse.quote(typed))
            elif step == 2:
                self._get("record", f"/records/{self.random.randint(1, self.total)}")
            else:
                self._get("json", "/api/records?q=" + urllib.parse.quote(typed))
            time.sleep(self.random.uniform(0, 2 * self.think))


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--threads", type=int, default=8, help="server worker threads")
    parser.add_argument("--cores", default="0,1", help="CPUs the server may use (taskset); '' for all")
    args = parser.parse_args()
    case, names = build(args.records, Path(f"/tmp/mingdan-web-bench-{args.records}"))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pin = ["taskset", "-c", args.cores] if args.cores else []
    server = subprocess.Popen([*pin, sys.executable, "-m", "mingdan.cli", "serve", "--case", str(case), "--port", str(port),
                               "--threads", str(args.threads)], env=_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        deadline = time.perf_counter() + args.seconds
        users = [User(base, names, args.think, deadline, seed, args.records) for seed in range(args.users)]
        for user in users:
            user.start()
        for user in users:
            user.join()
    finally:
        server.terminate()
        server.wait(timeout=30)
    timings = [t for user in users for t in user.timings]
    errors = [e for user in users for e in user.errors]
    print(f"server on CPUs {args.cores or 'all'}; "
          f"{args.users} users, {args.seconds:.0f} s, think {args.think} s, {args.records:,} records, "
          f"{len(timings):,} requests ({len(timings) / args.seconds:.1f}/s), {len(errors)} errors")
    for kind in ("list", "search", "record", "json"):
        values = [t for k, t in timings if k == kind]
        if values:
            print(f"  {kind:<7} n={len(values):>6,}  p50 {percentile(values, 50) * 1000:6.0f} ms  "
                  f"p95 {percentile(values, 95) * 1000:6.0f} ms  p99 {percentile(values, 99) * 1000:6.0f} ms")
    overall = percentile([t for _, t in timings], 95) * 1000
    print(f"overall p95 {overall:.0f} ms; target 300 ms; ratio {overall / 300:.2f} "
          f"({'met' if overall <= 300 and not errors else 'NOT met'})")
    if errors:
        print("first errors:", errors[:5])


if __name__ == "__main__":
    main()
