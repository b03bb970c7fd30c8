"""`mingdan users disable|enable|reset-password|role|unlock`: each acts at once on a running server and is audited."""

from __future__ import annotations

import sqlite3

import pytest

from .live import PASSWORD, Browser, Server, mingdan

pytestmark = [pytest.mark.sqlite_file, pytest.mark.slow]
NEW_PASSWORD = "a quite different passphrase"


def _audited(case) -> list[tuple[str, str, str]]:
    with sqlite3.connect(case / "access.sqlite3") as db:
        return list(db.execute("SELECT user, action, target FROM mingdan_auditentry WHERE action LIKE 'user-%' "
                               "ORDER BY seq"))


def test_user_commands_act_on_a_running_server_and_are_audited(tmp_path):
    case = tmp_path / "case"
    mingdan("init", case)
    mingdan("users", "add", "lin", "--role", "editor", "--case", case, stdin=PASSWORD + "\n")
    server = Server(case)
    try:
        lin = Browser(server.base)
        assert lin.login("lin") == 302 and lin.get("/import")[0] == 200

        # Disabled: the open session ends and the right password no longer logs in; enabled again, it does.
        mingdan("users", "disable", "lin", "--case", case)
        assert lin.get("/records")[0] == 302
        assert Browser(server.base).login("lin") == 401
        assert "DISABLED" in mingdan("users", "list", "--case", case).stdout
        mingdan("users", "enable", "lin", "--case", case)
        assert lin.get("/records")[0] == 302  # the session the disabling ended does not come back
        assert lin.login("lin") == 302

        # Another role ends the open session; the next login has the new role.
        assert "editor -> viewer" in mingdan("users", "role", "lin", "--role", "viewer", "--case", case).stdout
        assert lin.get("/records")[0] == 302
        assert lin.login("lin") == 302
        assert lin.get("/import")[0] == 403 and lin.get("/records")[0] == 200
        refused = mingdan("users", "role", "lin", "--role", "owner", "--case", case, check=False)
        assert refused.returncode == 2 and "unknown role 'owner'" in refused.stderr

        # A new password ends the open sessions; the old one is refused, and a weak new one too.
        weak = mingdan("users", "reset-password", "lin", "--case", case, stdin="lin12345678\n", check=False)
        assert weak.returncode == 2 and "too close to the user name" in weak.stderr
        mingdan("users", "reset-password", "lin", "--case", case, stdin=NEW_PASSWORD + "\n")
        assert lin.get("/records")[0] == 302
        assert Browser(server.base).login("lin") == 401
        assert Browser(server.base).login("lin", NEW_PASSWORD) == 302

        # Locked by five failures; unlocked, the right password works.
        for _ in range(5):
            assert Browser(server.base).login("lin", "wrong password!") == 401
        assert Browser(server.base).login("lin", NEW_PASSWORD) == 401  # locked: refused unchecked
        assert "LOCKED" in mingdan("users", "list", "--case", case).stdout
        assert "failed logins cleared" in mingdan("users", "unlock", "lin", "--case", case).stdout
        assert Browser(server.base).login("lin", NEW_PASSWORD) == 302

        missing = mingdan("users", "disable", "nobody", "--case", case, check=False)
        assert missing.returncode == 2 and "no user named 'nobody'" in missing.stderr
    finally:
        server.stop()
    actions = [(action, target) for user, action, target in _audited(case) if user.startswith("cli:")]
    assert actions == [("user-disabled", "lin"), ("user-enabled", "lin"), ("user-role", "lin"),
                       ("user-password-reset", "lin"), ("user-unlocked", "lin")]
