"""The audit log: every read of a restricted record, search, export and write, hash-chained.

Each entry's digest is SHA-256 over the previous digest and the entry's own canonical JSON, so
changing or deleting any entry breaks every later link; the head row records the last sequence
number and digest, so cutting entries off the end is detected too. Entries never hold request
bodies or restricted values: callers pass identifiers and counts only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from django.db import transaction

GENESIS = "0" * 64


def _digest(previous: str, seq: int, at: str, user: str, action: str, target: str, detail: dict) -> str:
    body = json.dumps([seq, at, user, action, target, detail], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"))
    return hashlib.sha256((previous + body).encode("utf-8")).hexdigest()


def _at_text(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def record(user: str, action: str, target: str = "", detail: dict | None = None):
    """Append one entry to the chain and return it."""
    from mingdan.store.models import AuditEntry, AuditHead

    detail = detail or {}
    with transaction.atomic():
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        at = datetime.now(timezone.utc)
        seq = head.seq + 1
        digest = _digest(head.digest, seq, _at_text(at), user, action, target, detail)
        entry = AuditEntry.objects.create(seq=seq, at=at, user=user, action=action, target=target,
                                          detail=detail, previous=head.digest, digest=digest)
        head.seq, head.digest = seq, digest
        head.save(update_fields=["seq", "digest"])
    return entry


@dataclass
class Verification:
    """The result of checking the chain: how many entries, and every break found."""

    entries: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify() -> Verification:
    """Walk the chain from the start and report every altered, inserted or deleted entry."""
    from mingdan.store.models import AuditEntry, AuditHead

    problems: list[str] = []
    previous, expected_seq, count = GENESIS, 1, 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}-{entry.seq - 1} are missing (deleted)"
                            if entry.seq > expected_seq else f"entry {entry.seq} is out of order")
        if entry.previous != previous:
            problems.append(f"entry {entry.seq}: its link to the previous entry does not match")
        recomputed = _digest(entry.previous, entry.seq, _at_text(entry.at), entry.user, entry.action,
                             entry.target, entry.detail)
        if recomputed != entry.digest:
            problems.append(f"entry {entry.seq}: its content was altered (digest mismatch)")
        previous, expected_seq = entry.digest, entry.seq + 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != expected_seq - 1 or head.digest != previous):
        problems.append(f"the log ends at entry {expected_seq - 1} but the head records entry {head.seq}: "
                        f"entries at the end were deleted or the head was altered")
    if head is None and count:
        problems.append("the head row is missing")
    return Verification(count, problems)
