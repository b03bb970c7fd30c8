"""Disabling a user or changing their role ends every open session of theirs for good: enabling them again, or
giving the role back, does not bring an old session cookie back (as a new password already did)."""

from __future__ import annotations

import pytest

from .conftest import PASSWORD


def _session_cookie(client) -> str:
    from django.conf import settings

    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


@pytest.mark.django_db
def test_disable_then_enable_does_not_bring_the_old_session_back(client, web_case, login):
    from mingdan.web.accounts import set_active
    from mingdan.web.bodies import may_upload

    login("editor")
    cookie = _session_cookie(client)
    assert client.get("/records", secure=True).status_code == 200
    assert may_upload(cookie, cookie.split("=")[0])
    set_active("editor", False, "cli:test")
    assert client.get("/records", secure=True).status_code == 302
    set_active("editor", True, "cli:test")
    assert client.get("/records", secure=True).status_code == 302  # the old cookie stays dead
    assert not may_upload(cookie, cookie.split("=")[0])  # and cannot send an upload's body either
    assert client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True).status_code == 302
    assert client.get("/records", secure=True).status_code == 200


@pytest.mark.django_db
def test_a_role_change_ends_the_open_session_even_when_the_role_is_given_back(client, web_case, login):
    from mingdan.web.accounts import change_role

    login("editor")
    old = _session_cookie(client)
    change_role("editor", "viewer", "cli:test")
    change_role("editor", "editor", "cli:test")
    assert client.get("/records", secure=True).status_code == 302
    client.cookies.load(old)
    assert client.get("/import", secure=True).status_code == 302
    assert client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True).status_code == 302
    assert client.get("/import", secure=True).status_code == 200


@pytest.mark.django_db
def test_unlock_and_other_users_leave_sessions_open(client, web_case, login):
    from mingdan.web.accounts import set_active, unlock

    login("viewer")
    unlock("viewer", "cli:test")
    set_active("editor", False, "cli:test")
    assert client.get("/records", secure=True).status_code == 200
