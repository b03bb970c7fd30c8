"""Public ids of records not linked to a person: "R-" and a keyed hash, never the source's own record id.

A source's record id is how that source files a person (a case number, a row of a family's list);
published, it ties the release back to the list and to whoever holds it. An unlinked record is
therefore published as R- followed by the first 16 hex digits of HMAC-SHA256 over its source and
record id, under a key kept in the case's keys folder (created 0600 the first time it is needed),
so the id is the same in every release of the case (changes between releases still line up) and
cannot be computed back, or guessed from a list, without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets

from mingdan.store.case import Case

KEY_FILE = "public_record_ids.key"
PREFIX = "R-"
DIGITS = 16


def public_id_key(case: Case) -> bytes:
    """The case's key for public record ids, created (32 random bytes, mode 0600) on first use."""
    path = case.keys_dir / KEY_FILE
    if not path.exists():
        case.keys_dir.mkdir(exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # made meanwhile by another release of the same case
            return path.read_bytes()
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(32))
    return path.read_bytes()


def record_public_id(key: bytes, source: str, record_id: str) -> str:
    """R- and a truncated HMAC-SHA256 of (source, record id): stable under the case's key, not reversible."""
    # The two parts are length-prefixed so that ("a:b", "c") and ("a", "b:c") never meet.
    message = f"{len(source)}:{source}\x00{record_id}".encode()
    return PREFIX + hmac.new(key, message, hashlib.sha256).hexdigest()[:DIGITS]


class PublicIds:
    """Turns the internal key of a person or unlinked record ("SOURCE:RECORD") into the id a release shows."""

    def __init__(self, case: Case):
        self.key = public_id_key(case)

    def __call__(self, internal: str, linked: bool) -> str:
        """A linked person keeps its person id; an unlinked record's SOURCE:RECORD becomes R-…."""
        if linked:
            return internal
        source, _, record_id = internal.partition(":")
        return record_public_id(self.key, source, record_id)

    def of_published(self, shown: str) -> str:
        """An id as an earlier release showed it: SOURCE:RECORD (releases before R- ids) becomes its R- id.

        Person ids (P-…) hold no colon; so an earlier release's SOURCE:RECORD is never repeated in changes.json.
        """
        if shown.startswith(PREFIX) or ":" not in shown:
            return shown
        return self(shown, linked=False)
