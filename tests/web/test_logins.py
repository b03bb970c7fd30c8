"""Logins: attempts counted in the database before the password is checked, under parallel attack against a
real server; a true sliding window per address; safe `next`; errors in the log; the second factor sealed while
it waits and turned off only with password and code; no telling which names exist; passwords unlike the name."""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from datetime import timedelta

import pytest

from .conftest import PASSWORD
from .live import Browser, Server, mingdan


def _failed_and_refused(case) -> tuple[dict, dict]:
    with sqlite3.connect(case / "access.sqlite3") as db:
        rows = db.execute("SELECT user, action FROM mingdan_auditentry WHERE action IN ('login-failed', 'login-refused')")
        failed, refused = {}, {}
        for user, action in rows:
            target = failed if action == "login-failed" else refused
            target[user] = target.get(user, 0) + 1
    return failed, refused


def _together(posts: list) -> list[int]:
    """Send every prepared post at the same moment, each from its own thread; their status codes."""
    start = threading.Barrier(len(posts))
    codes = [0] * len(posts)

    def send(index, browser, fields):
        start.wait()
        codes[index] = browser.post("/login", fields, token_from="/login")[0]

    threads = [threading.Thread(target=send, args=(i, b, f)) for i, (b, f) in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return codes


@pytest.mark.sqlite_file
@pytest.mark.slow
def test_parallel_wrong_passwords_are_counted_before_any_is_checked(tmp_path):
    case = tmp_path / "case"
    mingdan("init", case)
    mingdan("users", "add", "viewer", "--role", "viewer", "--case", case, stdin=PASSWORD + "\n")
    server = Server(case, threads=16)
    try:
        browsers = [Browser(server.base) for _ in range(20)]
        for browser in browsers:
            browser.get("/login")  # a session and a CSRF cookie each, before the attack starts
        codes = _together([(b, {"username": "viewer", "password": f"wrong {i}"}) for i, b in enumerate(browsers)])
        assert set(codes) == {401}
        failed, refused = _failed_and_refused(case)
        assert failed.get("viewer") == 5 and refused.get("viewer") == 15, (failed, refused)
        assert Browser(server.base).login("viewer") == 401  # locked: the right password is refused too

        # Sixty at once from one address, each with another name: thirty checks in all, the rest refused unchecked.
        browsers = [Browser(server.base) for _ in range(60)]
        for browser in browsers:
            browser.get("/login")
        _together([(b, {"username": f"guess{i}", "password": "wrong"}) for i, b in enumerate(browsers)])
        failed, refused = _failed_and_refused(case)
        assert sum(failed.values()) == 30 and sum(refused.values()) == 16 + 35, (failed, refused)
    finally:
        server.stop()


@pytest.mark.django_db
def test_the_address_limit_is_a_true_sliding_window(client, web_case):
    from mingdan.store.models import LoginAttempt

    def attempt(name: str) -> bytes:
        return client.post("/login", {"username": name, "password": "wrong"}, secure=True).content

    for number in range(30):  # thirty failures, with different names ...
        assert b"Too many failed logins from this address" not in attempt(f"name{number}")
    now = _now()
    for number in range(30):  # ... spread over the last five minutes (each password check takes its time)
        LoginAttempt.objects.filter(username=f"name{number}").update(at=now - timedelta(seconds=298 - number * 10))
    assert b"Too many failed logins from this address" in attempt("another")
    # Three seconds pass: the oldest failure is now 301 s old and leaves the window; one attempt is allowed again.
    for row in LoginAttempt.objects.all():
        LoginAttempt.objects.filter(pk=row.pk).update(at=row.at - timedelta(seconds=3))
    assert b"Too many failed logins from this address" not in attempt("again")
    assert b"Too many failed logins from this address" in attempt("once more")
    # A refused attempt does not push the window on: when the next failure ages out, an attempt is allowed.
    for row in LoginAttempt.objects.all():
        LoginAttempt.objects.filter(pk=row.pk).update(at=row.at - timedelta(seconds=11))
    assert b"Too many failed logins from this address" not in attempt("later")


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)


@pytest.mark.django_db
def test_the_lock_tells_nothing_about_which_names_exist(client, web_case):
    answers = {}
    for name in ("viewer", "nobody-by-this-name"):
        for _ in range(5):
            client.post("/login", {"username": name, "password": "wrong"}, secure=True)
        refused = client.post("/login", {"username": name, "password": PASSWORD}, secure=True)
        answers[name] = (refused.status_code, re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "",
                                                      refused.content.decode()))
    assert answers["viewer"] == answers["nobody-by-this-name"]
    assert "Too many failed logins for this user name" in answers["viewer"][1]


@pytest.mark.django_db
def test_next_without_a_slash_and_unknown_targets_go_home_instead_of_failing(client, web_case):
    response = client.post("/login?next=records", {"username": "viewer", "password": PASSWORD, "next": "records"},
                           secure=True)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/records", secure=True).status_code == 200  # logged in
    # A path no page answers, or one that takes posts only, goes home too (an outside tester, rt44).
    for target in ("abc", "//elsewhere.example/x", "https://elsewhere.example/", "/\\elsewhere.example", "/records",
                   "/nonexistent-page", "/logout", "/language", "/..//evil.example", "/static/../../etc/passwd",
                   "/records?page=2"):
        answer = client.post("/language", {"language": "en", "next": target}, secure=True)
        assert answer.status_code == 302, target
        assert answer["Location"] == (target if target.startswith("/records") else "/"), target
    assert client.get("/login?next=//elsewhere.example", secure=True).status_code == 200


@pytest.mark.django_db
def test_a_server_error_is_in_the_log_with_its_path_and_traceback_but_not_what_was_typed(client, web_case, login,
                                                                                          settings, capsys):
    from django.conf import settings as live
    from logging.config import dictConfig

    settings.ROOT_URLCONF = "tests.web.failing_urls"
    dictConfig(live.LOGGING)
    login("viewer")
    client.raise_request_exception = False
    response = client.get("/fails?q=陈秘密", secure=True)
    assert response.status_code == 500 and b"the error is in the server" in response.content
    logged = capsys.readouterr().err
    assert "Internal Server Error: /fails" in logged
    assert "failing_urls.py" in logged and "ValueError" in logged  # where, and what kind
    assert "陈秘密" not in logged  # neither the query string nor the exception's text
    logging.getLogger("django.request").handlers.clear()


@pytest.mark.django_db
def test_a_refused_host_header_is_logged_without_its_text(client, web_case, capsys):
    # An outside tester (rt44) put text of their choice in the server's log through the Host header.
    from django.conf import settings as live
    from logging.config import dictConfig

    dictConfig(live.LOGGING)
    client.raise_request_exception = False
    assert client.get("/login", HTTP_HOST="evil-text.example", secure=True).status_code == 400
    logged = capsys.readouterr().err
    assert "django.security.DisallowedHost: a request was refused" in logged and "evil-text" not in logged
    logging.getLogger("django").handlers.clear()


@pytest.mark.django_db
def test_the_second_factor_waits_sealed_and_is_turned_off_only_with_password_and_code(client, web_case, login):
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.models import Session

    from mingdan.web import accounts

    login("reviewer")
    page = client.post("/account", {"action": "totp-start"}, secure=True).content.decode()
    secret_text = re.search(r'id="totp-secret"[^>]*>([^<]*)<', page).group(1)
    stored = "".join(Session.objects.values_list("session_data", flat=True))
    decoded = [s.get_decoded() for s in Session.objects.all()]
    assert all(secret_text not in str(data) for data in decoded)  # sealed in the session store
    assert any(str(data.get("totp_setup", "")).startswith("enc1:") for data in decoded)
    assert secret_text not in stored
    secret = accounts.base32_secret(secret_text)
    assert client.post("/account", {"action": "totp-confirm", "password": PASSWORD, "code": accounts.totp_code(secret)},
                       secure=True).status_code == 200
    account = get_user_model().objects.get(username="reviewer").account
    assert account.totp_secret.startswith("enc1:")
    for fields in ({}, {"password": PASSWORD}, {"code": accounts.totp_code(secret)},
                   {"password": "wrong password!", "code": accounts.totp_code(secret)}):
        refused = client.post("/account", {"action": "totp-off", **fields}, secure=True)
        assert refused.status_code == 400, fields
        account.refresh_from_db()
        assert account.totp_secret, fields
    later = accounts.totp_code(secret, __import__("time").time() + 30)  # the set-up's code may not be used again
    done = client.post("/account", {"action": "totp-off", "password": PASSWORD, "code": later},
                       secure=True)
    assert done.status_code == 200
    account.refresh_from_db()
    assert account.totp_secret == ""


@pytest.mark.django_db
def test_a_password_close_to_the_user_name_is_refused(web_case):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import ValidationError, validate_password

    from mingdan.web.accounts import AccountError, add_user

    with pytest.raises(ValidationError, match="too close to the user name"):
        validate_password("viewer123", get_user_model()(username="viewer"))

    for name, password in (("viewer9", "viewer9123"), ("carol", "carol12345"), ("carol", "My-Carol-2024"),
                           ("lindqvist", "lindqvist1"), ("lindqvist", "lindkvist12")):
        with pytest.raises(AccountError, match="too close to the user name"):
            add_user(name, "viewer", password)
    add_user("carol", "viewer", PASSWORD)
