"""Request bodies are bounded before anything reads them: small everywhere but the import upload.

Waitress reads a whole request body into memory before the application sees the request, so a
limit in Django alone would come too late: a 50 MB post to /login from anyone would be held in
memory first. The parser below sets each request's limit from its path as soon as its headers
are read: above SMALL_BODY a request is answered 413 without its body being read. Only
`/import` may send more (up to the upload limit), and only with the session of a user whose role
may import (looked up in the session store when the headers arrive: an anonymous or forged
session, or a viewer's, is refused before its body is read; the view checks again in full). The
middleware applies the same limit for any other server (and the test client).
"""

from __future__ import annotations

import copy

from django.http import HttpResponse

#: The largest body of any form but an upload (a record entered by hand is a few kilobytes).
SMALL_BODY = 256 * 1024
#: Paths that may send an upload, up to the server's largest body.
UPLOAD_PATHS = ("/import",)


def _length(value: str | None) -> int:
    try:
        return int(value or 0)
    except ValueError:
        return 0


class BodyLimit:
    """Answers 413, unread, a body above SMALL_BODY on any path but an upload's (first middleware of all)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path not in UPLOAD_PATHS and _length(request.META.get("CONTENT_LENGTH")) > SMALL_BODY:
            return HttpResponse("Request body too large.\n", status=413, content_type="text/plain")
        return self.get_response(request)


def bounded_channel(session_cookie: str):
    """A waitress channel whose parser limits each request's body by its path before reading it."""
    from waitress.channel import HTTPChannel
    from waitress.parser import HTTPRequestParser

    class BoundedParser(HTTPRequestParser):
        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            upload = self.path in UPLOAD_PATHS and may_upload(self.headers.get("COOKIE", ""), session_cookie)
            if not upload:
                self.adj = copy.copy(self.adj)  # this request's own limit; the server's stays as it is
                self.adj.max_request_body_size = SMALL_BODY

    class BoundedChannel(HTTPChannel):
        parser_class = BoundedParser

    return BoundedChannel


def may_upload(cookies: str, session_cookie: str) -> bool:
    """True when the cookies carry a live session of a user whose role may import (checked before the body)."""
    from http.cookies import CookieError, SimpleCookie

    from django.contrib.auth import SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connections

    from mingdan.store.models import Account

    from .accounts import session_is_current
    from .roles import PERMISSIONS

    try:
        jar = SimpleCookie()
        jar.load(cookies)
        key = jar[session_cookie].value if session_cookie in jar else ""
        if not key:
            return False
        session = SessionStore(session_key=key).load()
        user = session.get(SESSION_KEY)
        account = Account.objects.filter(user_id=user, user__is_active=True).first()
        return (user is not None and account is not None and session_is_current(session, account)
                and "import" in PERMISSIONS.get(account.role, frozenset()))
    except (CookieError, ValueError, TypeError):
        return False
    finally:
        # This is the server's network thread: it keeps no connection open. (A caller inside a transaction,
        # as a test is on PostgreSQL, keeps its own.)
        for connection in connections.all(initialized_only=True):
            if not connection.in_atomic_block:
                connection.close()
