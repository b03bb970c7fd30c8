"""Each route answers GET and HEAD, and POST where it has a form; TRACE, OPTIONS and every other method are
answered 405 with the methods allowed, before the view runs (a TRACE showed the whole page, restricted values too)."""

from __future__ import annotations

import re

import pytest

from .conftest import SECRET_NOTE

POSTED = {"login", "login/code", "logout", "language", "account", "records/new", "records/<int:pk>/edit",
          "records/<int:pk>/relations", "records/<int:pk>/relations/<str:relation>/withdraw", "import",
          "review/<int:a>/<int:b>/decide", "publish"}


def _paths(web_case) -> list[tuple[str, str]]:
    from django.urls import get_resolver

    values = {"pk": web_case["a1"].pk, "relation": 1, "a": web_case["a1"].pk, "b": web_case["a2"].pk,
              "person_id": web_case["person"].person_id, "job_id": 1, "category": "killed"}
    found = []
    for pattern in get_resolver().url_patterns:
        route = str(pattern.pattern)
        found.append((route, "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), route)))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "OPTIONS", "PUT", "PATCH", "DELETE", "PROPFIND"])
def test_every_route_answers_405_to_other_methods(client, web_case, login, method):
    login("admin")
    for route, url in _paths(web_case):
        response = client.generic(method, url, secure=True)
        assert response.status_code == 405, (method, url, response.status_code)
        assert SECRET_NOTE not in response.content.decode(), url
        assert "GET" in response["Allow"] or response["Allow"] == "POST", url


@pytest.mark.django_db
def test_post_is_answered_only_where_a_form_posts(client, web_case, login):
    from django.urls import get_resolver

    assert POSTED <= {str(p.pattern) for p in get_resolver().url_patterns}  # the list names real routes
    login("admin")
    for route, url in _paths(web_case):
        posted = client.post(url, {}, secure=True)
        if route in POSTED:
            assert posted.status_code != 405, url
        else:
            assert posted.status_code == 405 and posted["Allow"] == "GET, HEAD", url
    login("admin")  # the post to /logout ended the session
    record = web_case["a1"].pk
    assert client.head(f"/records/{record}", secure=True).status_code == 200
    assert client.get(f"/records/{record}", secure=True).status_code == 200
