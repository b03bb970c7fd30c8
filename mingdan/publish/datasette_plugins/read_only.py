"""The public site is read-only: any request but GET, HEAD or OPTIONS is answered 405, before Datasette sees it.

Datasette answers some writes to an immutable database with a 500 (an error page that says
something broke); a read-only site should say plainly that the method is not allowed.
"""

from datasette import hookimpl

ALLOWED = (b"GET", b"HEAD", b"OPTIONS")


@hookimpl
def asgi_wrapper(datasette):
    """Wrap the whole application."""

    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and scope["method"].encode() not in ALLOWED:
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"allow", b", ".join(ALLOWED)), (b"content-type", b"text/plain; charset=utf-8")]})
                await send({"type": "http.response.body", "body": b"405 Method Not Allowed: this site is read-only\n"})
                return
            await app(scope, receive, send)

        return read_only

    return wrap
