"""Django settings, read from the environment so one code base serves any case folder.

MINGDAN_CASE_DIR   the case folder (its SQLite databases are MINGDAN_CASE_DIR/mingdan.sqlite3 and,
                   for the audit log, logins and import jobs, access.sqlite3; see store/routers.py)
DATABASE_URL       postgresql://user:password@host:port/dbname (or ?host=/socket/dir) instead
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

CASE_DIR = Path(os.environ.get("MINGDAN_CASE_DIR", ".")).resolve()
DATABASE_FILE_NAME = "mingdan.sqlite3"
ACCESS_FILE_NAME = "access.sqlite3"


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


#: A command's one connection does all its work: a large private page cache.
COMMAND_CACHE = "PRAGMA cache_size=-131072;"


def sqlite_database(name: str, cache: str = COMMAND_CACHE) -> dict:
    """Django's settings for one of the case's SQLite files, with `cache` as its page-cache PRAGMAs."""
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(CASE_DIR / name),
        # WAL keeps readers working during an import; IMMEDIATE takes the write lock at BEGIN,
        # so two writers queue instead of failing half-way.
        "OPTIONS": {
            "init_command": (
                f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; {cache} "
                "PRAGMA temp_store=MEMORY;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        },
    }


if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": database_from_url(os.environ["DATABASE_URL"])}
else:
    DATABASES = {"default": sqlite_database(DATABASE_FILE_NAME), "access": sqlite_database(ACCESS_FILE_NAME)}
DATABASE_ROUTERS = ["mingdan.store.routers.AccessRouter"]
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "mingdan.store",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
SECRET_KEY = os.environ.get("MINGDAN_SECRET_KEY", "not-used-by-the-command-line")
