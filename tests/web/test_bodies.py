"""Large bodies from anyone are refused before they are read: only an upload, with a session, may be large."""

from __future__ import annotations

import socket
import time

import pytest

from .live import PASSWORD, Browser, Server, mingdan


def _answer_before_the_body(port: int, path: str, length: int, cookie: str = "", wait: float = 10) -> tuple[str, float]:
    """Send only the headers of a post of `length` bytes; the status line the server answers, and how soon."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        started = time.monotonic()
        connection.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {length}\r\n"
                            f"Content-Type: application/x-www-form-urlencoded\r\n{cookie}\r\n").encode()
                           + b"username=x&password=")
        try:
            answer = connection.recv(200).decode("latin-1")
        except TimeoutError:
            answer = "no answer"
        return answer.split("\r\n", 1)[0], time.monotonic() - started


@pytest.mark.sqlite_file
@pytest.mark.slow
def test_a_large_body_is_refused_before_it_is_read(tmp_path):
    case = tmp_path / "case"
    mingdan("init", case)
    mingdan("users", "add", "ed", "--role", "editor", "--case", case, stdin=PASSWORD + "\n")
    mingdan("users", "add", "vi", "--role", "viewer", "--case", case, stdin=PASSWORD + "\n")
    server = Server(case)
    try:
        for path in ("/login", "/login/code", "/account", "/import", "/records/new"):
            status, seconds = _answer_before_the_body(server.port, path, 40 * 1024 * 1024)
            assert status == "HTTP/1.1 413 Request Entity Too Large" and seconds < 5, (path, status)
        # A form of ordinary size is answered as before.
        assert Browser(server.base).login("ed") == 302
        # A logged-in editor's upload may be large (it is read into the sealed upload, not refused at the headers).
        editor = Browser(server.base)
        assert editor.login("ed") == 302
        cookie = "; ".join(f"{c.name}={c.value}" for handler in editor.opener.handlers
                           for c in getattr(handler, "cookiejar", []))
        status, _ = _answer_before_the_body(server.port, "/import", 1024 * 1024, f"Cookie: {cookie}\r\n", wait=3)
        assert status == "no answer"  # the server waits for the body it accepts
        # A forged session, or a role that may not import, is refused before the body as well.
        viewer = Browser(server.base)
        assert viewer.login("vi") == 302
        viewer_cookie = "; ".join(f"{c.name}={c.value}" for handler in viewer.opener.handlers
                                  for c in getattr(handler, "cookiejar", []))
        for forged in ("sessionid=forged", "sessionid=", 'sessionid="x; y', viewer_cookie):
            status, seconds = _answer_before_the_body(server.port, "/import", 40 * 1024 * 1024, f"Cookie: {forged}\r\n")
            assert status == "HTTP/1.1 413 Request Entity Too Large" and seconds < 5, forged
        assert editor.get("/import")[0] == 200  # the server is well after all this
    finally:
        server.stop()


@pytest.mark.django_db
def test_the_middleware_refuses_a_large_form_unread(client, web_case):
    response = client.post("/login", {"username": "viewer", "password": "x" * (300 * 1024)}, secure=True)
    assert response.status_code == 413
