"""The second factor: wrong codes sent at once are counted before any is checked (five, then refused), a code is
accepted once only, and turning the factor on (like off) takes the password."""

from __future__ import annotations

import re
import sqlite3
import threading

import pytest

from .conftest import PASSWORD
from .live import Browser, Server, mingdan


def _turn_on(client, password: str = PASSWORD):
    """Start the set-up on /account and confirm it; the secret and the confirming response."""
    from mingdan.web import accounts

    page = client.post("/account", {"action": "totp-start"}, secure=True).content.decode()
    secret = accounts.base32_secret(re.search(r'id="totp-secret"[^>]*>([^<]*)<', page).group(1))
    return secret, client.post("/account", {"action": "totp-confirm", "password": password,
                                            "code": accounts.totp_code(secret)}, secure=True)


@pytest.mark.django_db
def test_turning_the_second_factor_on_takes_the_password(client, web_case, login):
    from django.contrib.auth import get_user_model

    from mingdan.store.models import AuditEntry
    from mingdan.web import accounts

    login("reviewer")
    account = get_user_model().objects.get(username="reviewer").account
    for password in ("", "wrong password!"):
        _, refused = _turn_on(client, password)
        assert refused.status_code == 400, password
        account.refresh_from_db()
        assert not account.totp_secret
    assert AuditEntry.objects.filter(user="reviewer", action="totp-enable-refused").count() == 2
    secret, done = _turn_on(client)
    assert done.status_code == 200
    account.refresh_from_db()
    assert account.totp_secret and accounts.opened_secret(account) == secret


@pytest.mark.django_db
def test_a_code_is_accepted_once_only(client, web_case, login):
    from mingdan.web import accounts

    login("viewer")
    secret, _ = _turn_on(client)
    client.post("/logout", secure=True)
    code = accounts.totp_code(secret, __import__("time").time() + 30)  # the next step's code (not used by set-up)
    assert client.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True)["Location"] == "/login/code"
    assert client.post("/login/code", {"code": code}, secure=True).status_code == 302
    client.post("/logout", secure=True)
    assert client.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True)["Location"] == "/login/code"
    replayed = client.post("/login/code", {"code": code}, secure=True)
    assert replayed.status_code == 401  # the same code again: refused, though still within its window
    assert client.get("/records", secure=True).status_code == 302  # not logged in


@pytest.mark.django_db
def test_a_code_in_full_width_digits_is_read_and_other_digits_are_refused(client, web_case, login):
    # ００００００ answered 500 on /login/code and on /account, and left the attempt pending (an outside tester).
    from mingdan.store.models import AuditEntry
    from mingdan.web import accounts

    login("viewer")
    secret, _ = _turn_on(client)
    client.post("/logout", secure=True)
    assert client.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True)["Location"] == "/login/code"
    wrong = client.post("/login/code", {"code": "００００００" if accounts.totp_code(secret) != "000000" else "１１１１１１"},
                        secure=True)
    assert wrong.status_code == 401
    assert client.post("/login/code", {"code": "²²²²²²"}, secure=True).status_code == 401
    assert AuditEntry.objects.filter(user="viewer", action="login-failed").count() >= 2
    code = accounts.totp_code(secret, __import__("time").time() + 30)
    full_width = code.translate({ord(d): chr(0xFF10 + int(d)) for d in "0123456789"})
    assert client.post("/login/code", {"code": full_width}, secure=True).status_code == 302


@pytest.mark.sqlite_file
@pytest.mark.slow
def test_parallel_wrong_codes_are_counted_before_any_is_checked(tmp_path):
    from mingdan.web import accounts

    case = tmp_path / "case"
    mingdan("init", case)
    mingdan("users", "add", "viewer", "--role", "viewer", "--case", case, stdin=PASSWORD + "\n")
    server = Server(case, threads=16)
    try:
        owner = Browser(server.base)
        assert owner.login("viewer") == 302
        page = owner.post("/account", {"action": "totp-start"})[1]
        secret = accounts.base32_secret(re.search(r'id="totp-secret"[^>]*>([^<]*)<', page).group(1))
        assert owner.post("/account", {"action": "totp-confirm", "password": PASSWORD,
                                       "code": accounts.totp_code(secret)})[0] == 200
        attacker = Browser(server.base)  # knows the password, not the code
        assert attacker.login("viewer") == 302
        token = attacker.token("/login/code")
        wrong = [n for n in range(21) if f"{n:06d}" != accounts.totp_code(secret)][:20]
        start, codes = threading.Barrier(len(wrong)), []

        def send(number: int) -> None:
            start.wait()
            codes.append(attacker.post("/login/code", {"code": f"{number:06d}"}, token_from="/login/code")[0])

        threads = [threading.Thread(target=send, args=(n,)) for n in wrong]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert token and set(codes) == {401}
        with sqlite3.connect(case / "access.sqlite3") as db:
            actions = [a for (a,) in db.execute("SELECT action FROM mingdan_auditentry WHERE user = 'viewer' "
                                                "AND action IN ('login-failed', 'login-refused')")]
        assert actions.count("login-failed") == 5 and actions.count("login-refused") == len(threads) - 5, actions
    finally:
        server.stop()
