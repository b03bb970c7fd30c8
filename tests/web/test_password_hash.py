"""Passwords are hashed with Argon2id at 100 MiB and 2 passes in one lane; an older hash still logs in and is renewed."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_password_is_hashed_in_one_lane_and_an_eight_lane_hash_is_renewed_at_login(client, web_case):
    from argon2 import PasswordHasher, extract_parameters
    from django.contrib.auth import get_user_model

    from mingdan.web.accounts import add_user

    add_user("hasher", "viewer", "correct horse battery staple")
    user = get_user_model().objects.get(username="hasher")
    stored = user.password.removeprefix("argon2")  # Django writes "argon2" before the encoded hash
    parameters = extract_parameters(stored)
    assert (parameters.parallelism, parameters.memory_cost, parameters.time_cost) == (1, 102400, 2)

    # A hash made with Django's former eight lanes (users made before) is still checked, and renewed.
    older = PasswordHasher(time_cost=2, memory_cost=102400, parallelism=8).hash("correct horse battery staple")
    get_user_model().objects.filter(pk=user.pk).update(password="argon2" + older)
    answer = client.post("/login", {"username": "hasher", "password": "correct horse battery staple"}, secure=True)
    assert answer.status_code == 302
    renewed = get_user_model().objects.get(pk=user.pk).password
    assert extract_parameters(renewed.removeprefix("argon2")).parallelism == 1
