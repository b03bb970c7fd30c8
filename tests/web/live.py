"""A real `mingdan serve` on a case folder, and users talking to it over HTTP (for tests that need the real server)."""

from __future__ import annotations

import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

PASSWORD = "correct horse battery staple"


def env() -> dict:
    """The environment of a command-line process: no test settings, no test database."""
    return {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "MINGDAN_CASE_DIR")}


def mingdan(*args, stdin: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """Run the command line."""
    result = subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env=env(), input=stdin,
                            capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`mingdan serve` in its own process; its log (stderr) is kept in a file."""

    def __init__(self, case: Path, threads: int = 8, extra_env: dict | None = None, workers: int | None = None):
        self.case = Path(case)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = self.case.parent / f"server-{self.port}.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mingdan.cli", "serve", "--case", str(case), "--port", str(self.port),
                 "--threads", str(threads), *(["--workers", str(workers)] if workers else [])], env={**env(), **(extra_env or {})}, stdout=out, stderr=subprocess.STDOUT)
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{self.base}/login", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        self.stop()
        raise RuntimeError("the server did not start: " + self.log.read_text())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


class Browser:
    """One user's cookies; GET and form POSTs with the CSRF token, as a browser sends them."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
                                                  _NoRedirect())

    def get(self, path: str, timeout: float = 60) -> tuple[int, str, dict]:
        try:
            with self.opener.open(self.base + path, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def token(self, path: str) -> str:
        page = self.get(path)[1]
        return page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    def post(self, path: str, fields: dict, files: dict | None = None, token_from: str | None = None,
             timeout: float = 120) -> tuple[int, str, dict]:
        fields = {**fields, "csrfmiddlewaretoken": self.token(token_from or path)}
        if files:
            boundary = uuid.uuid4().hex
            body = b"".join(
                [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in fields.items()]
                + [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                   f'Content-Type: application/octet-stream\r\n\r\n'.encode() + data + b"\r\n"
                   for k, (name, data) in files.items()] + [f"--{boundary}--\r\n".encode()])
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            body, kind = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        request = urllib.request.Request(self.base + path, data=body, method="POST",
                                         headers={"Content-Type": kind, "Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode("utf-8", "replace"), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), dict(error.headers)

    def login(self, user: str, password: str = PASSWORD) -> int:
        return self.post("/login", {"username": user, "password": password})[0]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test reads the 302 and its Location itself


def case_with_a_login(folder: Path, user: str = "ada") -> Path:
    """A new case whose admin `user` has logged in once through a real server (so its audit log holds keyed entries)."""
    case = folder / "case"
    mingdan("init", case)
    mingdan("users", "add", user, "--role", "admin", "--case", case, stdin=PASSWORD + "\n")
    server = Server(case)
    try:
        assert Browser(server.base).login(user) == 302
    finally:
        server.stop()
    return case
