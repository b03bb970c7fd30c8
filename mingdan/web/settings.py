"""Settings of the web application: the store's settings plus sessions, security and languages.

MINGDAN_SECRET_KEY     overrides the signing key kept in the case's keys/web.key
MINGDAN_INSECURE_COOKIES=1   allows session cookies over plain HTTP on a LAN address
                             (browsers accept secure cookies on localhost already)
"""

import os
import secrets
from pathlib import Path

from mingdan.store.settings import *  # noqa: F401,F403
from mingdan.store.settings import CASE_DIR, DATABASES, INSTALLED_APPS, sqlite_database

# A server thread keeps its connections between requests: opening one per request (Django's default)
# re-ran the PRAGMAs and started every page with a cold SQLite cache (a name search's count 1 ms warm,
# 48 ms cold). SQLite maps the file, so the threads and processes share one copy of its pages in the
# operating system's cache instead of each holding its own.
for _database in DATABASES.values():
    if _database["ENGINE"].endswith("sqlite3"):
        _database.update(sqlite_database(Path(_database["NAME"]).name,
                                         cache="PRAGMA cache_size=-16384; PRAGMA mmap_size=4294967296;"))
    _database["CONN_MAX_AGE"] = None
    _database["CONN_HEALTH_CHECKS"] = True


def _secret_key() -> str:
    if os.environ.get("MINGDAN_SECRET_KEY"):
        return os.environ["MINGDAN_SECRET_KEY"]
    keys = CASE_DIR / "keys"
    path = keys / "web.key"
    if path.is_file():
        return path.read_text("ascii").strip()
    if keys.is_dir():
        value = secrets.token_urlsafe(48)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(value)
        return value
    return secrets.token_urlsafe(48)  # not a case folder (tests): sessions last one process


SECRET_KEY = _secret_key()
DEBUG = False
ALLOWED_HOSTS = [host for host in os.environ.get("MINGDAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if host]
INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.sessions", "django.contrib.messages",
                  "django.contrib.staticfiles", "mingdan.web"]
MIDDLEWARE = [
    "mingdan.web.bodies.BodyLimit",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mingdan.web.middleware.ContentSecurityPolicy",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mingdan.web.middleware.CurrentSessions",
    "mingdan.web.middleware.UserLanguage",
    "mingdan.web.middleware.AuditReads",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "mingdan.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.template.context_processors.i18n",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "mingdan.web.roles.context",
    ]},
}]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "mingdan.web.passwords.NotLikeUserName"},
    {"NAME": "mingdan.web.passwords.NotCommonOrRepeated"},
]
LOGIN_URL = "/login"
SESSION_COOKIE_SECURE = os.environ.get("MINGDAN_INSECURE_COOKIES") != "1"
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
# "no-referrer" makes browsers send "Origin: null" on form posts, which CSRF protection refuses.
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "mingdan.web.views_auth.csrf_failure"
USE_I18N = True
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文"), ("zh-hant", "繁體中文")]
LOCALE_PATHS = [str(Path(__file__).resolve().parent / "locale")]
STATIC_URL = "/static/"
WHITENOISE_USE_FINDERS = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024  # a form's fields (an upload's file is sealed as it arrives)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {
    "version": 1, "disable_existing_loggers": False,
    # Request logging would write names typed into searches to the console: keep only errors, each with
    # its path (never the query string) and traceback, without the exception's text (see web/logs.py).
    "formatters": {"safe": {"()": "mingdan.web.logs.ErrorsWithoutValues"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "level": "ERROR", "formatter": "safe"}},
    "loggers": {"django": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
