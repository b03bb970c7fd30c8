"""Passwords are judged as a person reads them (full-width, look-alike letters of other scripts, repeated halves);
user names that the database and the audit log cannot keep as typed are refused at login and in `users add`."""

from __future__ import annotations

import pytest

from .conftest import PASSWORD


@pytest.mark.django_db
@pytest.mark.parametrize(("password", "reason"), [
    ("ｐａｓｓｗｏｒｄ１２", "too common"),  # full-width letters and digits
    ("ＰＡＳＳＷＯＲＤ１２", "too common"),
    ("pаsswоrd12", "too common"),  # Cyrillic а and о
    ("passwordpassword", "repeated"),
    ("horsebatteryhorsebattery", "repeated"),
    ("Horse-Battery horse-battery", "too close|repeated"),
    ("Dаna7-xyzzy-quux", "too close"),  # Cyrillic а in the user name
    ("ɗana7-xyzzy-quux", "too close"),  # IPA ɗ
    ("ＤＡＮＡ７-xyzzy-quux", "too close"),
])
def test_a_password_is_judged_as_it_reads(web_case, password, reason):
    from mingdan.web.accounts import AccountError, add_user

    with pytest.raises(AccountError, match=reason):
        add_user("dana7", "viewer", password)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "password"), [("ladmin", "admin-kettle-2024"), ("badmin", "kettle-admin-88"),
                                                ("uviewer", "Tr0ub4dor-horse-viewer-9"), ("carol7", "arol-kettle-99x")])
def test_a_password_holding_the_user_name_short_of_one_letter_is_refused(web_case, name, password):
    # An outside tester (rt44): each passed, the rest of the password being long.
    from mingdan.web.accounts import AccountError, add_user

    with pytest.raises(AccountError, match="too close"):
        add_user(name, "viewer", password)


@pytest.mark.django_db
@pytest.mark.parametrize("password", ["correct horse battery staple", "陈大文的密码很长很长很长", "Mb4-orchard-Fenx"])
def test_good_passwords_still_pass(web_case, password):
    from mingdan.web.accounts import add_user

    add_user("dana7", "viewer", password)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "reason"), [
    ("viewer\x00xyz", "control character"), ("lin\r\nadmin", "control character"), (" lin", "space at an end"),
    ("lin ", "space at an end"), ("lin\u200bx", "control character"), ("", "empty"), ("l" * 151, "longer"),
    ("lin wang", "only letters"), ("lin<b>", "only letters"),
    ("vіewer", "reads like the existing user 'viewer'"),  # Cyrillic і
    ("ＶＩＥＷＥＲ", "reads like the existing user 'viewer'")])
def test_users_add_refuses_names_that_cannot_be_kept_as_typed(web_case, name, reason):
    from mingdan.web.accounts import AccountError, add_user

    with pytest.raises(AccountError, match=reason):
        add_user(name, "viewer", PASSWORD)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["viewer\x00xyz", "viewer\n", " viewer", "viewer ", "viewer\u2028", "viewer" + " " * 150])
def test_a_login_name_no_account_can_have_is_a_wrong_login_that_counts_against_no_account(client, web_case, name):
    from mingdan.store.models import AuditEntry, LoginAttempt
    from mingdan.web.accounts import is_locked

    for _ in range(6):
        response = client.post("/login", {"username": name, "password": PASSWORD}, secure=True)
        assert response.status_code == 401
        assert "Wrong user name or password." in response.content.decode()
    assert not is_locked("viewer")
    assert not LoginAttempt.objects.filter(username__startswith="viewer").exists()
    assert AuditEntry.objects.filter(user="?", action="login-failed").count() == 6
    assert not AuditEntry.objects.filter(user__startswith="viewer").exists()
    assert client.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True).status_code == 302


@pytest.mark.django_db
def test_malformed_names_count_against_the_address(client, web_case):
    from mingdan.web.accounts import ADDRESS_LIMIT

    for _ in range(ADDRESS_LIMIT):
        assert client.post("/login", {"username": "x\x00", "password": "p"}, secure=True).status_code == 401
    refused = client.post("/login", {"username": "x\x00", "password": "p"}, secure=True)
    assert "from this address" in refused.content.decode()
