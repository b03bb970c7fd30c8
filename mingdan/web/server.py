"""Run the web application on a production WSGI server (waitress), with its static files."""

from __future__ import annotations

import os
from pathlib import Path


def prepare(case_root: Path) -> None:
    """Point Django at the case with the web settings, migrate, and index names for search."""
    os.environ["MINGDAN_CASE_DIR"] = str(Path(case_root).resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "mingdan.web.settings"
    from mingdan.store.case import open_case
    from mingdan.store.search import query_keys, refresh_index

    from .case import use

    use(open_case(case_root))
    refresh_index()
    query_keys("Chan Tai Man 陳大文")  # loads the romanization tables now, not in the first user's search


def application():
    """The WSGI application (call prepare() first)."""
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


def serve(case_root: Path, host: str = "127.0.0.1", port: int = 8000, threads: int = 8) -> None:
    """Serve until interrupted."""
    from waitress import serve as run

    prepare(case_root)
    # Waitress buffers request bodies to disk past this size; uploads are capped by Django anyway.
    run(application(), host=host, port=port, threads=threads, ident="mingdan", clear_untrusted_proxy_headers=True,
        max_request_body_size=50 * 1024 * 1024)
