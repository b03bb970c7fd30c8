"""Anyone behind an office's one address can fill the per-address limit; a browser that logged in to a name before
keeps a device cookie that exempts it from that limit for that name, never from the name's own lockout."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import PASSWORD


def _flood(address_client: Client) -> None:
    from mingdan.web.accounts import ADDRESS_LIMIT

    for number in range(ADDRESS_LIMIT):
        address_client.post("/login", {"username": f"guess{number}", "password": "wrong"}, secure=True)


@pytest.mark.django_db
def test_a_browser_that_logged_in_before_gets_past_a_flooded_address(client, web_case):
    from mingdan.web.devices import COOKIE

    assert client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True).status_code == 302
    device = client.cookies[COOKIE]
    assert device["httponly"] and device["samesite"] == "Strict" and device["path"] == "/login"
    assert "editor" not in device.value  # a digest of the name, not the name
    client.post("/logout", secure=True)
    _flood(Client())  # someone else behind the same address
    newcomer = Client()
    refused = newcomer.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True)
    assert b"from this address" in refused.content  # a browser without the cookie is still held back
    assert client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True).status_code == 302
    client.post("/logout", secure=True)
    # The cookie is of one name: it does not open the address limit for another.
    other = client.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True)
    assert b"from this address" in other.content


@pytest.mark.django_db
def test_the_device_cookie_does_not_lift_the_name_lockout(client, web_case):
    from mingdan.web.accounts import MAX_FAILURES, is_locked

    assert client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True).status_code == 302
    client.post("/logout", secure=True)
    for _ in range(MAX_FAILURES):
        assert client.post("/login", {"username": "editor", "password": "wrong"}, secure=True).status_code == 401
    assert is_locked("editor")
    locked = client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True)
    assert locked.status_code == 401 and b"Too many failed logins for this user name" in locked.content


@pytest.mark.django_db
def test_a_forged_or_foreign_device_cookie_is_ignored(client, web_case):
    from mingdan.web.devices import COOKIE

    _flood(Client())
    client.cookies[COOKIE] = "forged:value"
    assert b"from this address" in client.post("/login", {"username": "editor", "password": PASSWORD},
                                                secure=True).content
