"""On SQLite, the tables written while people log in and search live in a second database file.

SQLite lets one transaction write at a time. An import writes every row of a list in one
transaction (all or nothing), which can take minutes; a login (its attempt row, its session)
or a search (its audit entry) that had to write into the same file would wait for it. So the
audit log, login attempts, import jobs and sessions are kept in `access.sqlite3` beside
`mingdan.sqlite3`; searches only read the records, which SQLite's WAL lets them do while an
import writes. On PostgreSQL (row locks, no single writer) everything stays in one database.
"""

from __future__ import annotations

#: The alias of the second SQLite database in settings.DATABASES.
ACCESS = "access"
#: Models (of the mingdan app) and apps whose tables live in the access database.
ACCESS_MODELS = frozenset({"auditentry", "audithead", "loginattempt", "importjob"})
ACCESS_APPS = frozenset({"sessions"})


def access_alias() -> str:
    """The database alias of the access tables: 'access' on SQLite, else 'default'."""
    from django.conf import settings

    return ACCESS if ACCESS in settings.DATABASES else "default"


def _is_access(app_label: str, model_name: str | None) -> bool:
    return app_label in ACCESS_APPS or (app_label == "mingdan" and model_name in ACCESS_MODELS)


class AccessRouter:
    """Sends the access tables to the access database when there is one."""

    def db_for_read(self, model, **hints):
        if _is_access(model._meta.app_label, model._meta.model_name):
            return access_alias()
        return None

    db_for_write = db_for_read

    def allow_relation(self, first, second, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if access_alias() == "default":
            return None
        if model_name is None and app_label not in ACCESS_APPS:
            return db == "default"  # data migrations of the records
        return (db == ACCESS) == _is_access(app_label, model_name)
