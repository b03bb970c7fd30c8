"""Django settings, read from the environment so one code base serves any case folder.

MINGDAN_CASE_DIR   the case folder (its SQLite database is MINGDAN_CASE_DIR/mingdan.sqlite3)
DATABASE_URL       postgresql://user:password@host:port/dbname (or ?host=/socket/dir) instead
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

CASE_DIR = Path(os.environ.get("MINGDAN_CASE_DIR", ".")).resolve()
DATABASE_FILE_NAME = "mingdan.sqlite3"


def database_from_url(url: str) -> dict:
    """Django DATABASES entry for a postgresql:// URL."""
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        raise ValueError(f"DATABASE_URL: unsupported scheme {parsed.scheme!r}; use postgresql://")
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parsed.path.lstrip("/")) or "mingdan",
        "USER": unquote(parsed.username or ""),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": query.pop("host", parsed.hostname or ""),
        "PORT": str(parsed.port or query.pop("port", "")),
        "OPTIONS": query,
    }


if os.environ.get("DATABASE_URL"):
    _default_db = database_from_url(os.environ["DATABASE_URL"])
else:
    _default_db = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(CASE_DIR / DATABASE_FILE_NAME),
        # WAL keeps readers working during an import; IMMEDIATE takes the write lock at BEGIN,
        # so two imports into one case queue instead of failing half-way.
        "OPTIONS": {
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
                "PRAGMA cache_size=-131072; PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }

DATABASES = {"default": _default_db}
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "mingdan.store",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
SECRET_KEY = os.environ.get("MINGDAN_SECRET_KEY", "not-used-by-the-command-line")
