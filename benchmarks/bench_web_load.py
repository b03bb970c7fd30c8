"""Web load: concurrent users over a 100,000-record case served by `mingdan serve`, quiet and during a 50 MB import.

    .venv/bin/python benchmarks/bench_web_load.py [--records 100000] [--users 50] [--seconds 60] [--think 1.0]
                                                  [--import-mb 50] [--threads 8] [--cores 0,1]

Builds (once, cached in /tmp) a case of N simulated canonical records on SQLite, linked into people
by `mingdan link` (so there are person pages and pairs to review), and a 50 MB list to import.
Each run works on a fresh copy of that case. It starts the real server (waitress, loopback only,
pinned to --cores), logs each user in (a reviewer: it may browse, review and read the aggregates),
then every user loops, pausing a random 0-2x --think seconds between requests, over: a records
page at a random offset, a name search (half in pinyin, half in characters), a record page, the
JSON search, a person page, the accounting and the review page. Two login threads log in anew
all the time.

Phase 1 (quiet) lasts --seconds. Phase 2 uploads the 50 MB list through /import as an editor and
lasts until its background job has finished (rows checked, written, names indexed), with the same
users. For each phase it prints p50/p95/p99 per page kind and overall, and errors; the targets are
p95 <= 300 ms overall and <= 500 ms per kind, 0 errors (issue 14), and 0 errors for searches and
logins during the import.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import os
import random
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

PASSWORD = "correct horse battery staple"
KINDS = ("list", "search", "record", "json", "person", "accounting", "review")


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MINGDAN_CASE_DIR")}


def mingdan(*args, stdin: str | None = None) -> None:
    subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env=_env(), input=stdin, text=True,
                   check=True, capture_output=True)


def build(records: int, import_mb: int, folder: Path) -> tuple[Path, Path | None, list[str]]:
    """The linked case and the list to import (built once), and a sample of names from the case."""
    from mingdan.simulate import write_canonical

    case, data = folder / "case", folder / "records.csv"
    if not (folder / "built").exists():
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        write_canonical(records, data)
        start = time.perf_counter()
        mingdan("init", case)
        mingdan("import", data, "--case", case, "--source", "bench")
        mingdan("link", "--case", case)
        mingdan("users", "add", "bench", "--role", "reviewer", "--case", case, stdin=PASSWORD + "\n")
        mingdan("users", "add", "importer", "--role", "editor", "--case", case, stdin=PASSWORD + "\n")
        (folder / "built").write_text("")
        print(f"built and linked a {records:,}-record case in {time.perf_counter() - start:.0f} s")
    upload = folder / f"upload-{import_mb}mb.csv"
    if import_mb and not upload.exists():
        size = os.path.getsize(data) / records  # bytes per record of this layout
        write_canonical(int(import_mb * 1_000_000 / size), upload, seed=99)
    with open(data, encoding="utf-8", newline="") as handle:
        names = [row["name"] for row, _ in zip(csv.DictReader(handle), range(5000)) if row["name"]]
    return case, upload if import_mb else None, names


class Client:
    """One browser: its cookies, GETs, and a login with the form's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    def login(self, user: str) -> int:
        page = self.opener.open(self.base + "/login", timeout=60).read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        data = urllib.parse.urlencode({"username": user, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode()
        with self.opener.open(urllib.request.Request(self.base + "/login", data=data), timeout=60) as response:
            return response.status if "/login" not in response.url else 401

    def upload(self, path: Path) -> str:
        page = self.opener.open(self.base + "/import", timeout=60).read().decode()
        token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="source"\r\n\r\nbench import\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
                f'Content-Type: text/csv\r\n\r\n').encode() + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.base + "/import", data=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + "/import"})
        with self.opener.open(request, timeout=600) as response:
            return response.url


class Recorder:
    """Timings and errors of one phase."""

    def __init__(self):
        self.timings: list[tuple[str, float]] = []
        self.ended: list[float] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def add(self, kind: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.timings.append((kind, seconds))
            self.ended.append(time.perf_counter())
            if error:
                self.errors.append(f"{kind} {error}")


class User(threading.Thread):
    """One simulated reviewer: browses, searches, opens people, the accounting and the review page."""

    def __init__(self, base: str, names: list[str], people: list[str], think: float, seed: int, total: int):
        super().__init__(daemon=True)
        self.client = Client(base)
        self.names, self.people, self.think, self.total = names, people, think, total
        self.random = random.Random(seed)
        self.recorder: Recorder | None = None
        self.stop = threading.Event()

    def _get(self, kind: str, path: str) -> None:
        start = time.perf_counter()
        error = None
        try:
            with self.client.opener.open(self.client.base + path, timeout=60) as response:
                response.read()
                if response.status != 200 or "/login" in response.url:
                    error = str(response.status)
        except Exception as exc:  # a benchmark counts every failure, whatever it is
            error = repr(exc)[:200]
        recorder = self.recorder
        if recorder is not None:
            recorder.add(kind, time.perf_counter() - start, error)

    def run(self) -> None:
        from mingdan.names.romanize import pinyin_name

        self.stop.wait(self.random.uniform(0, 5))  # people do not all log in in the same second
        self.client.login("bench")
        while not self.stop.is_set():
            kind = self.random.choice(KINDS)
            name = self.random.choice(self.names)
            typed = pinyin_name(name) if self.random.random() < 0.5 else name
            path = {"list": f"/records?page={self.random.randint(1, self.total // 50)}",
                    "search": "/records?q=" + urllib.parse.quote(typed),
                    "record": f"/records/{self.random.randint(1, self.total)}",
                    "json": "/api/records?q=" + urllib.parse.quote(typed),
                    "person": f"/people/{self.random.choice(self.people)}",
                    "accounting": "/accounting", "review": "/review"}[kind]
            self._get(kind, path)
            self.stop.wait(self.random.uniform(0, 2 * self.think))


class LoginUser(threading.Thread):
    """Logs in anew, again and again (a fresh session each time)."""

    def __init__(self, base: str, think: float, seed: int):
        super().__init__(daemon=True)
        self.base, self.think = base, think
        self.random = random.Random(seed)
        self.recorder: Recorder | None = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            error = None
            try:
                status = Client(self.base).login("bench")
                error = None if status in (200, 302) else str(status)
            except Exception as exc:
                error = repr(exc)[:200]
            if self.recorder is not None:
                self.recorder.add("login", time.perf_counter() - start, error)
            self.stop.wait(self.random.uniform(0, 2 * self.think))


class Sampler(threading.Thread):
    """Processor time of each kind of process (server, figures, import job, this load generator, anything else) and
    the size of the case's write-ahead log, every `every` seconds: what took the machine in a slow window."""

    KINDS = ("server", "figures", "import", "load", "other")

    def __init__(self, wal: Path, every: float = 2.0):
        super().__init__(daemon=True)
        self.wal, self.every = wal, every
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.last: dict[int, float] = {}
        self.samples: list[tuple[float, dict[str, float], int]] = []  # (time, seconds since the last sample, WAL bytes)
        self.stop = threading.Event()

    def _kind(self, pid: int) -> str:
        if pid == os.getpid():
            return "load"
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            return "other"
        for marker, kind in (("mingdan.web.elsewhere", "figures"), ("mingdan.ingest", "import"),
                             ("mingdan.cli serve", "server")):
            if marker in command:
                return kind
        return "other"

    def sample(self) -> None:
        used = dict.fromkeys(self.KINDS, 0.0)
        seen = {}
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            total = (int(fields[11]) + int(fields[12])) / self.ticks  # utime, stime
            seen[pid] = total
            if pid in self.last or self.samples:  # a process born since the last sample counts from its birth
                used[self._kind(pid)] += total - self.last.get(pid, 0.0)
        self.last = seen
        try:
            wal = os.path.getsize(self.wal)
        except OSError:
            wal = 0
        self.samples.append((time.perf_counter(), used, wal))

    def run(self) -> None:
        while not self.stop.wait(self.every):
            self.sample()


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


def report(title: str, recorder: Recorder, seconds: float) -> bool:
    """Print a phase's figures; True when its targets are met."""
    timings, errors = recorder.timings, recorder.errors
    print(f"{title}: {seconds:.0f} s, {len(timings):,} requests ({len(timings) / max(seconds, 1):.1f}/s), "
          f"{len(errors)} errors")
    met = not errors
    for kind in (*KINDS, "login"):
        values = [t for k, t in timings if k == kind]
        if values:
            p95 = percentile(values, 95) * 1000
            met &= kind == "login" or p95 <= 500
            print(f"  {kind:<10} n={len(values):>6,}  p50 {percentile(values, 50) * 1000:6.0f} ms  "
                  f"p95 {p95:6.0f} ms  p99 {percentile(values, 99) * 1000:6.0f} ms  "
                  f"errors {sum(1 for e in errors if e.startswith(kind + ' '))}")
    pages = [t for k, t in timings if k != "login"]
    overall = percentile(pages, 95) * 1000 if pages else float("nan")
    met &= overall <= 300
    print(f"  overall p95 {overall:.0f} ms (pages; logins hash a password on purpose); target 300 ms; "
          f"ratio {overall / 300:.2f}; per kind <= 500 ms; {'met' if met else 'NOT met'}")
    if errors:
        print("  first errors:", errors[:5])
    return met


def timeline(recorder: Recorder, started: float, step: float, sampler: Sampler | None = None) -> None:
    """Pages per second and p95 of each window of `step` seconds, with the cores each kind of process used."""
    windows: dict[int, list[float]] = {}
    for (kind, seconds), ended in zip(recorder.timings, recorder.ended):
        if kind != "login":
            windows.setdefault(int((ended - started) // step), []).append(seconds)
    used: dict[int, dict[str, float]] = {}
    wal: dict[int, int] = {}
    for at, seconds, size in sampler.samples if sampler else ():
        window = int((at - started) // step)
        if window >= 0:
            into = used.setdefault(window, dict.fromkeys(Sampler.KINDS, 0.0))
            for kind, value in seconds.items():
                into[kind] += value
            wal[window] = max(wal.get(window, 0), size)
    for window, values in sorted(windows.items()):
        cores = ", ".join(f"{k} {v / step:.2f}" for k, v in used.get(window, {}).items())
        print(f"  {window * step:4.0f}-{(window + 1) * step:4.0f} s: {len(values) / step:5.1f} pages/s, "
              f"p50 {percentile(values, 50) * 1000:6.0f} ms, p95 {percentile(values, 95) * 1000:6.0f} ms"
              + (f"; cores: {cores}; WAL {wal.get(window, 0) / 1e6:.0f} MB" if cores else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's requests (s)")
    parser.add_argument("--import-mb", type=int, default=50, help="size of the list imported in phase 2 (0: none)")
    parser.add_argument("--threads", type=int, default=4, help="threads per server process")
    parser.add_argument("--workers", type=int, default=0, help="server processes (0: mingdan serve's default)")
    parser.add_argument("--settle", type=float, default=30,
                        help="seconds the users browse before the quiet phase is measured")
    parser.add_argument("--cores", default="0,1", help="CPUs the server may use (taskset); '' for all")
    args = parser.parse_args()
    folder = Path(f"/tmp/mingdan-web-bench-v2-{args.records}")
    built, upload, names = build(args.records, args.import_mb, folder)
    case = folder / "run" / "case"
    shutil.rmtree(case.parent, ignore_errors=True)
    shutil.copytree(built, case)  # every run starts from the same case
    with sqlite3.connect(case / "mingdan.sqlite3") as db:
        people = [p for (p,) in db.execute("SELECT person_id FROM mingdan_person ORDER BY id LIMIT 20000")]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    pin = ["taskset", "-c", args.cores] if args.cores else []
    server = subprocess.Popen([*pin, sys.executable, "-m", "mingdan.cli", "serve", "--case", str(case), "--port",
                               str(port), "--threads", str(args.threads), "--workers", str(args.workers)], env=_env(), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    met = True
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(base + "/login", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        warm = Client(base)  # the accounting is computed at start: wait for it, as a first visitor would
        warm.login("bench")
        started = time.perf_counter()
        warm.opener.open(base + "/accounting", timeout=900).read()
        print(f"the server computed the accounting of the whole case in {time.perf_counter() - started:.0f} s")
        users = [User(base, names, people, args.think, seed, args.records) for seed in range(args.users)]
        logins = [LoginUser(base, args.think * 2, 1000 + seed) for seed in range(2)]
        for user in [*users, *logins]:
            user.start()
        time.sleep(args.settle)  # everyone logged in; the server's start-up figures computed
        quiet = Recorder()
        for user in [*users, *logins]:
            user.recorder = quiet
        started = time.perf_counter()
        time.sleep(args.seconds)
        print(f"server on CPUs {args.cores or 'all'} ({args.workers or 'default'} processes of {args.threads} threads); "
              f"{args.users} users + 2 logging in, think {args.think} s, "
              f"{args.records:,} records linked into {len(people):,}+ people")
        met &= report("quiet", quiet, time.perf_counter() - started)
        if upload is not None:
            busy = Recorder()
            for user in [*users, *logins]:
                user.recorder = busy
            sampler = Sampler(case / "mingdan.sqlite3-wal")
            sampler.sample()
            sampler.start()
            started = time.perf_counter()
            importer = Client(base)
            importer.login("importer")
            job = importer.upload(upload)
            state = ""
            while state not in ("done", "failed"):
                time.sleep(2)
                page = importer.opener.open(job, timeout=60).read().decode()
                state = re.search(r'data-state="(\w+)"', page).group(1)
            elapsed = time.perf_counter() - started
            result = page.split('id="import-result">')[1][:200] if "import-result" in page else ""
            print(f"import of {upload.stat().st_size / 1e6:.0f} MB: job {state} in {elapsed:.0f} s "
                  f"({re.sub(r'<[^>]+>', '', result).strip()})")
            met &= report("during the import", busy, elapsed)
            sampler.stop.set()
            timeline(busy, started, 30, sampler)
            searches = [e for e in busy.errors if e.split()[0] in ("search", "json", "login")]
            print(f"  searches and logins during the import: {len(searches)} errors")
        for user in [*users, *logins]:
            user.stop.set()
    finally:
        server.terminate()
        server.wait(timeout=60)
    print("all targets met" if met else "targets NOT met")


if __name__ == "__main__":
    main()
