"""Imports from the web run as background jobs: the server keeps answering searches and logins meanwhile; an
upload is sealed from its first byte; a killed import leaves nothing in clear and its leftovers go at the next
start; the case's databases are readable by their owner only."""

from __future__ import annotations

import csv
import os
import re
import signal
import sqlite3
import stat
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .live import PASSWORD, Browser, Server, mingdan

pytestmark = [pytest.mark.sqlite_file, pytest.mark.slow]
NOTE = "CRASH-NOTE-ZQ81X"  # a restricted note written into the big list


def _big_list(folder: Path, records: int) -> Path:
    """A canonical list of simulated records, every hundredth with the restricted note."""
    from mingdan.simulate import write_canonical

    plain = write_canonical(records, folder / "plain.csv", seed=11)
    path = folder / "big.csv"
    with open(plain, encoding="utf-8", newline="") as source, open(path, "w", encoding="utf-8", newline="") as out:
        reader, writer = csv.DictReader(source), None
        for number, row in enumerate(reader):
            if writer is None:
                writer = csv.DictWriter(out, fieldnames=reader.fieldnames)
                writer.writeheader()
            row["notes"] = NOTE if number % 100 == 0 else row["notes"]
            writer.writerow(row)
    return path


def _case(folder: Path) -> Path:
    case = folder / "case"
    mingdan("init", case)
    small = folder / "small.csv"
    small.write_text("record_id,name,event\nS1,王小明,killed\nS2,陈大文,detained\n", "utf-8")
    mingdan("import", small, "--case", case, "--source", "Small list")
    for name, role in (("ed", "editor"), ("vi", "viewer")):
        mingdan("users", "add", name, "--role", role, "--case", case, stdin=PASSWORD + "\n")
    return case


def _upload(browser: Browser, path: Path, source: str) -> str:
    status, _, headers = browser.post("/import", {"source": source}, files={"file": (path.name, path.read_bytes())})
    assert status == 302 and headers["Location"].startswith("/import/jobs/"), status
    return headers["Location"]


def _ended(browser: Browser, page_path: str) -> str:
    """The job's page once the job has ended (or after two minutes)."""
    for _ in range(240):
        page = browser.get(page_path)[1]
        if 'data-state="failed"' in page or 'data-state="done"' in page:
            break
        time.sleep(0.5)
    return page


def _job(case: Path, job_id: int) -> dict:
    with sqlite3.connect(case / "access.sqlite3") as db:
        db.row_factory = sqlite3.Row
        return dict(db.execute("SELECT * FROM mingdan_importjob WHERE id = ?", [job_id]).fetchone())


def _private(case: Path) -> list[str]:
    """Database files (and their WAL and shared memory) that others than the owner could read."""
    return [p.name for p in case.glob("*.sqlite3*") if stat.S_IMODE(p.stat().st_mode) & 0o077]


def test_searches_and_logins_answer_while_a_long_import_runs_in_the_background(tmp_path):
    case = _case(tmp_path)
    big = _big_list(tmp_path, 60_000)
    server = Server(case)
    try:
        editor, viewer = Browser(server.base), Browser(server.base)
        assert editor.login("ed") == 302 and viewer.login("vi") == 302
        job_page = _upload(editor, big, "Big list")
        job_id = int(job_page.rsplit("/", 1)[1])
        answers: list[tuple[str, int, float, float]] = []
        progress: list[tuple[float, int]] = []
        done = threading.Event()

        def search() -> None:
            while not done.is_set():
                for path in ("/records?q=" + urllib.parse.quote("陈大文"), "/api/records?q=wang", "/records?page=3"):
                    started = time.perf_counter()
                    status = viewer.get(path)[0]
                    answers.append(("search", status, started, time.perf_counter()))
                started = time.perf_counter()
                status = Browser(server.base).login("vi")
                answers.append(("login", status, started, time.perf_counter()))
                time.sleep(0.2)

        worker = threading.Thread(target=search)
        worker.start()
        try:
            for _ in range(1200):
                page = editor.get(job_page)[1]
                state = re.search(r'data-state="(\w+)"', page).group(1)
                job = _job(case, job_id)
                if state == "running" and job["stage"] == "importing":
                    progress.append((time.perf_counter(), job["rows_done"]))
                    assert "rows checked" in page and "reloads itself" in page
                if state in ("done", "failed"):
                    break
                time.sleep(0.5)
        finally:
            done.set()
            worker.join()
        assert state == "done", page[-2000:]
        assert "60000 rows" in page.replace(",", "")
        rows = [done for _, done in progress]
        assert len(rows) >= 2 and rows == sorted(rows) and rows[-1] > rows[0], progress  # the page followed it
        assert all(status == (302 if kind == "login" else 200) for kind, status, _, _ in answers), answers
        # Searches and logins were answered while the import was writing its rows, each in a few seconds.
        first, last = progress[0][0], progress[-1][0]
        during = [a for a in answers if first <= a[2] and a[3] <= last]
        assert len([a for a in during if a[0] == "search"]) >= 5 and any(a[0] == "login" for a in during), answers
        slowest = max(end - start for _, _, start, end in answers)
        assert slowest < 10, f"an answer took {slowest:.1f} s while the import ran"
        assert _private(case) == []
        found = viewer.get("/api/records?source=Big+list")[1]
        assert '"count": 60000' in found
    finally:
        server.stop()


def test_a_killed_import_leaves_nothing_in_clear_and_its_leftovers_go_at_the_next_start(tmp_path):
    case = _case(tmp_path)
    big = _big_list(tmp_path, 60_000)
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = Server(case, extra_env={"TMPDIR": str(temporary)})
    editor = Browser(server.base)
    assert editor.login("ed") == 302
    job_id = int(_upload(editor, big, "Big list").rsplit("/", 1)[1])
    for _ in range(600):
        job = _job(case, job_id)
        if job["state"] == "running" and job["rows_done"]:
            break
        time.sleep(0.2)
    assert job["state"] == "running", job
    os.kill(job["process"], signal.SIGKILL)
    server.kill()
    time.sleep(1)
    marker = NOTE.encode()
    for path in [*case.rglob("*"), *temporary.rglob("*")]:
        if path.is_file():
            assert marker not in path.read_bytes(), path  # the upload, the original, the WAL: sealed
    assert any(case.joinpath("incoming").glob("upload-*"))  # the sealed upload was there ...
    server = Server(case, extra_env={"TMPDIR": str(temporary)})
    try:
        left = [p.name for p in case.joinpath("incoming").iterdir()]
        assert left == [], left  # ... and is gone after the next start
        with sqlite3.connect(case / "mingdan.sqlite3") as db:
            stored = {row[0] for row in db.execute("SELECT stored_as FROM mingdan_document")}
            assert not db.execute("SELECT COUNT(*) FROM mingdan_source WHERE name = 'Big list'").fetchone()[0]
        originals = {str(p.relative_to(case)) for p in case.joinpath("originals").iterdir()}
        assert originals == stored  # no sealed original without its document
        assert _job(case, job_id)["state"] == "failed"
        editor = Browser(server.base)
        assert editor.login("ed") == 302
        page = editor.get(f"/import/jobs/{job_id}")[1]
        assert "stopped before it finished" in page and "nothing was imported" in page
        assert _private(case) == []
    finally:
        server.stop()


def test_an_import_killed_while_indexing_names_is_done_and_audited(tmp_path):
    # Its records were committed; the page said "nothing was imported" and the audit log had no entry for it,
    # and the same upload was then refused as imported before (an outside tester).
    case = _case(tmp_path)
    big = _big_list(tmp_path, 20_000)
    server = Server(case)
    editor = Browser(server.base)
    assert editor.login("ed") == 302
    job_id = int(_upload(editor, big, "Kill list").rsplit("/", 1)[1])
    for _ in range(6000):
        job = _job(case, job_id)
        if job["stage"] == "indexing names" or job["state"] != "running" and job["state"] != "queued":
            break
        time.sleep(0.05)
    assert job["stage"] == "indexing names", job
    os.kill(job["process"], signal.SIGKILL)
    server.kill()
    with sqlite3.connect(case / "access.sqlite3") as db:
        audited = db.execute("SELECT COUNT(*) FROM mingdan_auditentry WHERE action = 'import' AND detail LIKE ?",
                             [f'%"job": {job_id},%']).fetchone()[0]
    assert audited == 1  # recorded at the commit, before the names
    server = Server(case)
    try:
        assert _job(case, job_id)["state"] == "done"
        editor = Browser(server.base)
        assert editor.login("ed") == 302
        page = editor.get(f"/import/jobs/{job_id}")[1]
        assert 'data-state="done"' in page and "nothing was imported" not in page and "Kill list" in page, page[-1500:]
        with sqlite3.connect(case / "mingdan.sqlite3") as db:
            assert db.execute("SELECT COUNT(*) FROM mingdan_record r JOIN mingdan_source s ON s.id = r.source_id "
                              "WHERE s.name = 'Kill list'").fetchone()[0] == 20_000
    finally:
        server.stop()


def test_a_hostile_file_is_refused_with_a_reason_on_its_page(tmp_path):
    case = _case(tmp_path)
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    server = Server(case)
    try:
        editor = Browser(server.base)
        assert editor.login("ed") == 302
        page = _ended(editor, _upload(editor, deep, "Deep"))
        assert 'data-state="failed"' in page and "nested too deeply" in page, page[-1500:]
        # A warning names the uploaded file, not the worker's link in the case's private folder (an outside tester, rt44).
        warned = tmp_path / "=cmd.csv"
        warned.write_text('record_id,name,event\nW1,"=HYPERLINK(""http://x"")",killed\n', "utf-8")
        page = _ended(editor, _upload(editor, warned, "Warned"))
        assert 'data-state="done"' in page and "=cmd.csv:2:name" in page, page[-1500:]
        assert "incoming" not in page and str(case) not in page
        # A forged post (no CSRF token) is refused, and what it uploaded is not kept.
        forged = urllib.request.Request(server.base + "/import", headers={
            "Content-Type": "multipart/form-data; boundary=x", "Referer": server.base + "/import"},
            data=b'--x\r\nContent-Disposition: form-data; name="file"; filename="f.csv"\r\n\r\nrecord_id,name\r\n--x--\r\n')
        with pytest.raises(urllib.error.HTTPError) as refused:
            editor.opener.open(forged)
        assert refused.value.code == 403
        assert not [p for p in case.joinpath("incoming").iterdir() if p.name.startswith("upload-")]
    finally:
        server.stop()
