"""The public site is read-only and answers only what it serves, before Datasette sees the request.

- Any method but GET, HEAD or OPTIONS is answered 405.
- Datasette's write endpoints (`…/-/insert`, `-/upsert`, `-/update`, `-/delete`, `-/drop`, `-/create`,
  `-/set-column-type`) are answered 405 whatever the method, with an empty Allow: nothing may be done there.
- `/-/static-plugins/…` is 404: no plugin of this site has static files (Datasette answered 500).
- `?_through=` (many-to-many filtering, which the public tables do not use) is 404: Datasette
  answered a malformed one with a 500.

Datasette answers these with a 500 (an error page that says something broke); a read-only site
should say plainly that the page does not exist or the method is not allowed.
"""

from urllib.parse import parse_qsl

from datasette import hookimpl

ALLOWED = (b"GET", b"HEAD", b"OPTIONS")
#: The last segment of Datasette's write endpoints.
WRITES = ("insert", "upsert", "update", "delete", "drop", "create", "set-column-type", "alter")


def _refusal(status: int, text: str, allow: bytes | None):
    headers = [(b"content-type", b"text/plain; charset=utf-8")]
    if allow is not None:
        headers.append((b"allow", allow))
    return status, headers, text.encode("utf-8")


def refused(method: str, path: str, query: str):
    """The status, headers and body a request is refused with, or None when Datasette may answer it."""
    if method.encode() not in ALLOWED:
        return _refusal(405, "405 Method Not Allowed: this site is read-only\n", b", ".join(ALLOWED))
    segments = path.rstrip("/").split("/")
    if len(segments) >= 2 and segments[-2] == "-" and segments[-1] in WRITES:
        return _refusal(405, "405 Method Not Allowed: this site is read-only\n", b"")
    if path.startswith("/-/static-plugins/"):
        return _refusal(404, "404 Not Found\n", None)
    if any(key == "_through" for key, _ in parse_qsl(query, keep_blank_values=True)):
        return _refusal(404, "404 Not Found: _through= is not available on this site\n", None)
    return None


@hookimpl
def asgi_wrapper(datasette):
    """Wrap the whole application."""

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http":
                answer = refused(scope["method"], scope.get("path", ""), scope.get("query_string", b"").decode("latin-1"))
                if answer is not None:
                    status, headers, body = answer
                    await send({"type": "http.response.start", "status": status, "headers": headers})
                    await send({"type": "http.response.body", "body": body})
                    return
            await app(scope, receive, send)

        return read_only

    return wrap
