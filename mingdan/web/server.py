"""Run the web application on a production WSGI server (waitress), with its static files."""

from __future__ import annotations

import os
from pathlib import Path


def prepare(case_root: Path, warm: bool = True) -> None:
    """Point Django at the case with the web settings, migrate, remove crash leftovers, and index names for search."""
    os.environ["MINGDAN_CASE_DIR"] = str(Path(case_root).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "mingdan.web.settings"
    from mingdan.store.case import open_case
    from mingdan.store.import_lock import remove_leftovers
    from mingdan.store.search import query_keys, refresh_index

    from .case import use
    from .kept import tidy

    case = open_case(case_root)
    use(case)
    remove_leftovers(case)  # what an import killed with the last server left (nothing while one still runs)
    tidy(case)  # kept figures of older days and states
    refresh_index()
    if warm:
        _warm()
    query_keys("Chan Tai Man 陳大文")  # loads the romanization tables now, not in the first user's search


def _warm() -> None:
    """Compute the accounting in the background at start (on a large case it takes seconds)."""
    import threading

    from django.db import connections

    def work() -> None:
        from .views_reports import warm

        try:
            warm()
        finally:
            connections.close_all()

    threading.Thread(target=work, name="mingdan-warm", daemon=True).start()


def application():
    """The WSGI application (call prepare() first)."""
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def serve(case_root: Path, host: str = "127.0.0.1", port: int = 8000, threads: int = 4, workers: int = 1) -> None:
    """Serve until interrupted: `workers` processes of `threads` threads each."""
    from .workers import listen, supervise

    prepare(case_root, warm=workers == 1)
    if workers == 1:
        _run(listen(host, port), threads)
        return
    sock = listen(host, port)
    application()  # Django set up once, before the fork

    def work() -> None:
        _warm()  # each worker keeps its figures; the first to compute one shares it (kept.py)
        _run(sock, threads)

    supervise(workers, work)


def _run(sock, threads: int) -> None:
    from django.conf import settings
    from waitress.server import create_server

    from .bodies import bounded_channel

    # Waitress would buffer a request body past 512 KB in a temporary file, an upload in clear: up to the
    # largest body it accepts, it keeps it in memory instead, and the upload handler seals it in the case.
    # Only an upload may be that large: every other body is refused above a small limit before it is read.
    largest = 51 * 1024 * 1024
    server = create_server(application(), sockets=[sock], threads=threads, ident="mingdan",
                           clear_untrusted_proxy_headers=True, max_request_body_size=largest, inbuf_overflow=largest,
                           outbuf_overflow=largest)
    server.channel_class = bounded_channel(settings.SESSION_COOKIE_NAME)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
