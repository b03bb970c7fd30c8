"""A cheap fingerprint of a case's contents, so figures computed from them can be kept until they change.

Every write to a case adds a row with a new, larger id to at least one of these tables in the
same transaction: an import or an amendment adds a Document (and supersedes through it), a
linkage run a LinkRun (and moves records between people through it), a review a
ReviewDecision, a count-claims import CountClaims, an estimate an Estimate. Ids only grow
(AUTOINCREMENT on SQLite, sequences on PostgreSQL; the importer's own ids start above the
largest), so the largest id of each table changes whenever the contents do. A new kind of write
must add its table here; tests/web/test_speed.py checks each write path.
"""

from __future__ import annotations

#: Models whose largest id the fingerprint reads.
TABLES = ("Source", "Document", "Record", "Event", "Claim", "Name", "Person", "LinkRun", "ReviewDecision",
          "CountClaim", "Estimate", "Consent")


def fingerprint() -> tuple:
    """The largest id of each table that a figure of the case depends on (one query, index lookups only)."""
    from django.apps import apps
    from django.db import connection

    quote = connection.ops.quote_name
    parts = ", ".join(f"(SELECT MAX(id) FROM {quote(apps.get_model('mingdan', name)._meta.db_table)})" for name in TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {parts}")
        return tuple(cursor.fetchone())
