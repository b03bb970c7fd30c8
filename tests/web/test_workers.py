"""`mingdan serve` as several processes: one port, a dead worker replaced, none outliving the server; the costly
figures computed once, sealed in the case's kept/ folder, read again after a restart and never trusted damaged."""

from __future__ import annotations

import os
import re
import signal
import time
from pathlib import Path

from mingdan.store.crypto import FILE_MAGIC

from .live import Browser, Server, case_with_a_login, mingdan


def _workers(parent: int) -> set[int]:
    """The live children of a process (zombies left out)."""
    found = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.add(int(pid))
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _until(condition, seconds: float = 60) -> None:
    for _ in range(int(seconds * 10)):
        if condition():
            return
        time.sleep(0.1)
    assert condition()


def _case(tmp_path: Path, killed: int) -> Path:
    case = case_with_a_login(tmp_path)
    rows = "record_id,name,event\n" + "".join(f"K{i},张{'一二三四五六七八九十'[i]},killed\n" for i in range(killed))
    (tmp_path / "one.csv").write_text(rows, encoding="utf-8")
    mingdan("import", tmp_path / "one.csv", "--case", case, "--source", "One")
    return case


def _killed(browser: Browser) -> str:
    page = browser.get("/accounting")[1]
    return re.search(r"<th>Killed</th>\s*<td class=\"num\">(\d+)</td>", page).group(1)


def _killed_once_served(case: Path) -> str:
    """The accounting's count of the killed, as the admin sees it from a server started for this alone."""
    server = Server(case, workers=2)
    try:
        browser = Browser(server.base)
        assert browser.login("ada") == 302
        return _killed(browser)
    finally:
        server.stop()


def test_the_workers_share_one_port_a_dead_one_is_replaced_and_none_outlives_the_server(tmp_path):
    case = _case(tmp_path, 3)
    server = Server(case, workers=3)
    try:
        _until(lambda: len(_workers(server.process.pid)) == 3)
        first = _workers(server.process.pid)
        browser = Browser(server.base)
        assert browser.login("ada") == 302
        assert _killed(browser) == "3"
        victim = min(first)
        os.kill(victim, signal.SIGKILL)
        _until(lambda: len(_workers(server.process.pid)) == 3 and victim not in _workers(server.process.pid))
        # The session lives in the database: whichever worker answers knows the user.
        for _ in range(12):
            status, page, _ = browser.get("/records")
            assert status == 200 and "张一" in page
        workers = _workers(server.process.pid)
        assert f"worker {victim} exited (signal 9)" in server.log.read_text()
    finally:
        server.kill()  # SIGKILL: the parent cannot stop them itself
    _until(lambda: not any(_alive(pid) for pid in workers), 30)


def test_a_figure_is_computed_once_sealed_and_read_again_after_a_restart_never_trusted_damaged(tmp_path):
    from mingdan.store.crypto import load_keyring

    case = _case(tmp_path, 2)
    assert _killed_once_served(case) == "2"
    files = sorted((case / "kept").glob("*.fig"))
    assert files and oct((case / "kept").stat().st_mode & 0o777) == "0o700"
    keyring = load_keyring(case)
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600
        sealed = path.read_bytes()
        assert sealed.startswith(FILE_MAGIC) and b"killed" not in sealed
        assert keyring.reveal_bytes(sealed)[:1] == b"\x80"  # a pickle inside, readable with the key only
    written = {path.name: path.stat().st_mtime_ns for path in files}

    assert _killed_once_served(case) == "2"  # restarted: the figures are read, not computed and written again
    assert {path.name: path.stat().st_mtime_ns for path in (case / "kept").glob("*.fig")} == written

    for path in files:  # damaged (or sealed with a key the case no longer holds): computed again
        path.write_bytes(FILE_MAGIC + b"\x01x" + os.urandom(64))
    rows = "record_id,name,event\nK9,李四,killed\n"
    (tmp_path / "two.csv").write_text(rows, encoding="utf-8")
    server = Server(case, workers=2)
    try:
        browser = Browser(server.base)
        assert browser.login("ada") == 302
        assert _killed(browser) == "2"
        mingdan("import", tmp_path / "two.csv", "--case", case, "--source", "Two")
        _until(lambda: _killed(browser) == "3")  # a change names a new state: the old file is not read
    finally:
        server.stop()
    stems = [path.name.split("-")[0] for path in (case / "kept").glob("*.fig")]
    assert len(stems) == len(set(stems))  # a figure computed anew replaces its file; none piles up


def test_a_kept_file_copied_over_another_views_name_is_refused(tmp_path):
    """The label sealed inside a file, not its name, says which figure and view it holds: the admin's accounting
    (with killings recorded as secret) copied over the viewer's files shows the viewer nothing of them."""
    from .live import PASSWORD

    case = case_with_a_login(tmp_path)
    mingdan("users", "add", "vic", "--role", "viewer", "--case", case, stdin=PASSWORD + "\n")
    (tmp_path / "one.csv").write_text("record_id,name,event\nK1,张一,killed\nK2,张二,killed\n", encoding="utf-8")
    mingdan("import", tmp_path / "one.csv", "--case", case, "--source", "One")
    (tmp_path / "two.csv").write_text("record_id,name,event\nS1,李一,killed\n", encoding="utf-8")
    (tmp_path / "two.yaml").write_text("source:\n  name: Two\ncolumns:\n  record_id: record_id\n  name: name\n"
                                       "  event: {field: event, sensitivity: secret}\n", encoding="utf-8")
    mingdan("import", tmp_path / "two.csv", "--case", case, "--mapping", tmp_path / "two.yaml")

    def seen() -> dict[str, str]:
        server = Server(case, workers=2)
        try:
            found = {}
            for user in ("ada", "vic"):
                browser = Browser(server.base)
                assert browser.login(user) == 302
                found[user] = _killed(browser)
            return found
        finally:
            server.stop()

    assert seen() == {"ada": "3", "vic": "2"}
    files = sorted((case / "kept").glob("*.fig"))
    contents = [path.read_bytes() for path in files]
    assert len(files) >= 2
    for path, other in zip(files, contents[1:] + contents[:1]):  # each file's bytes under the next one's name
        path.write_bytes(other)
    assert seen() == {"ada": "3", "vic": "2"}


def test_a_stop_while_the_workers_start_ends_them_all(tmp_path):
    """SIGTERM in the middle of starting many workers (an outside tester's server kept serving, its parent deaf)."""
    import subprocess
    import sys

    from .live import env, free_port

    case = tmp_path / "case"
    mingdan("init", case)
    for delay in (0.8, 1.2, 1.6, 2.0):
        server = subprocess.Popen([sys.executable, "-m", "mingdan.cli", "serve", "--case", str(case), "--port",
                                   str(free_port()), "--workers", "16", "--threads", "1"], env=env(),
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(delay)
        seen = _workers(server.pid)
        server.terminate()
        _, log = server.communicate(timeout=60)
        assert "_Stop" not in log and "Traceback" not in log, log[-2000:]
        _until(lambda: not any(_alive(pid) for pid in seen), 30)


def _figure_processes(seen: set, stop) -> None:
    """Note (pid, parent) of every `mingdan.web.elsewhere` process until stop is set."""
    while not stop.is_set():
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes()
                parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if b"mingdan.web.elsewhere" in command:
                seen.add((int(pid), parent))
        time.sleep(0.02)


def test_on_a_large_case_a_figure_is_computed_by_a_separate_process_not_a_server_thread(tmp_path):
    """After a change the accounting is recomputed by a child of a worker (threshold 0 stands for a large case)."""
    import threading

    case = _case(tmp_path, 2)
    seen: set = set()
    stop = threading.Event()
    watcher = threading.Thread(target=_figure_processes, args=(seen, stop), daemon=True)
    watcher.start()
    server = Server(case, workers=2, extra_env={"MINGDAN_FIGURES_ELSEWHERE": "0"})
    try:
        workers = _workers(server.process.pid)
        browser = Browser(server.base)
        assert browser.login("ada") == 302
        assert _killed(browser) == "2"
        (tmp_path / "two.csv").write_text("record_id,name,event\nK9,李四,killed\n", encoding="utf-8")
        mingdan("import", tmp_path / "two.csv", "--case", case, "--source", "Two")
        _until(lambda: _killed(browser) == "3")
        facets = browser.get("/records")[1]
        assert re.search(r'>Two</a> <span class="n">1</span>', facets) or "facets-stale" in facets
        _until(lambda: re.search(r'>Two</a> <span class="n">1</span>', browser.get("/records")[1]) is not None)
    finally:
        server.stop()
        stop.set()
        watcher.join()
    assert seen and {parent for _, parent in seen} <= workers  # started by the workers, none left behind
    assert not any(_alive(pid) for pid, _ in seen)
    assert "computing it here" not in server.log.read_text()


def test_a_figure_process_that_fails_leaves_the_figure_computed_by_the_server(client, web_case, login, monkeypatch):
    """A child that cannot run (here: no interpreter) is logged and the page still shows the figure, right."""
    import sys

    from mingdan.web import kept

    kept.forget()
    monkeypatch.setenv("MINGDAN_FIGURES_ELSEWHERE", "0")
    monkeypatch.setattr(sys, "executable", "/bin/false")
    login("admin")
    page = client.get("/accounting").content.decode()
    assert re.search(r"<th>Killed</th>\s*<td class=\"num\">1</td>", page)


def test_a_figure_process_that_hangs_is_ended_and_the_figure_computed_by_the_server(client, web_case, login,
                                                                                    monkeypatch, tmp_path):
    """A child that never finishes (here: one that sleeps) is ended after MINGDAN_FIGURES_TIMEOUT; the page answers."""
    import sys

    from mingdan.web import kept

    hangs = tmp_path / "hangs"
    hangs.write_text("#!/bin/sh\nexec sleep 600.25\n")  # an odd length, to find it below
    hangs.chmod(0o700)
    kept.forget()
    monkeypatch.setenv("MINGDAN_FIGURES_ELSEWHERE", "0")
    monkeypatch.setenv("MINGDAN_FIGURES_TIMEOUT", "1")
    monkeypatch.setattr(sys, "executable", str(hangs))
    login("admin")
    started = time.monotonic()
    page = client.get("/accounting").content.decode()
    assert re.search(r"<th>Killed</th>\s*<td class=\"num\">1</td>", page)
    assert time.monotonic() - started < 30
    assert not [p for p in os.listdir("/proc") if p.isdigit() and _command(p) == b"sleep 600.25 "]  # it was ended


def _command(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return b""
