"""The audit log: every read of a restricted value, search, export and write, in a keyed chain.

Each entry's digest is HMAC-SHA-256, under the case's audit key, over the previous digest and the
entry's own canonical JSON. The key is kept like the data key (keys/audit.key, mode 0600, or
MINGDAN_AUDIT_KEY), never in the database, so whoever can write the database cannot alter an
entry and recompute the digests after it. Outside the database, audit/head.json holds the
last entry's number and digest under the same key (and the entry from which the chain is
keyed); cutting entries off the end, or deleting every entry and the head row, leaves the
database behind that checkpoint and `verify` says so. Entries never hold request bodies or
restricted values: callers pass identifiers and counts only.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from django.db import transaction

from .case import CaseError

GENESIS = "0" * 64
KEYED = "hmac-sha256"
LEGACY = "sha256"  # entries written before the chain was keyed (their digest is a plain SHA-256)
KEY_FILE = "audit.key"
ENV_KEY = "MINGDAN_AUDIT_KEY"  # base64 of 32 bytes; overrides the key file
HEAD_FILE = "head.json"


class AuditKeyError(CaseError):
    """The audit key or checkpoint is missing; the message says what to do (the command line prints it)."""


def _body(seq: int, at: str, user: str, action: str, target: str, detail: dict) -> bytes:
    return json.dumps([seq, at, user, action, target, detail], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":")).encode("utf-8")


def _digest(key: bytes | None, previous: str, seq: int, at: str, user: str, action: str, target: str,
            detail: dict) -> str:
    data = previous.encode("ascii") + _body(seq, at, user, action, target, detail)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _at_text(at: datetime) -> str:
    return at.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _root() -> Path:
    from .case import opened_root

    return opened_root()


def key_path(root: Path) -> Path:
    """Where a case keeps its audit key."""
    return Path(root) / "keys" / KEY_FILE


def head_path(root: Path) -> Path:
    """Where a case keeps the audit log's checkpoint, outside the database."""
    return Path(root) / "audit" / HEAD_FILE


def audit_key(root: Path) -> bytes | None:
    """The case's audit key (None when the case has none yet)."""
    if os.environ.get(ENV_KEY):
        return base64.b64decode(os.environ[ENV_KEY])
    path = key_path(root)
    return base64.b64decode(path.read_text("ascii")) if path.is_file() else None


def _mac(key: bytes, head: dict) -> str:
    fields = {k: head[k] for k in ("keyed_from", "seq", "digest")}
    return hmac.new(key, json.dumps(fields, sort_keys=True).encode("ascii"), hashlib.sha256).hexdigest()


def _read_head(root: Path) -> dict | None:
    path = head_path(root)
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return {"keyed_from": 0, "seq": -1, "digest": "", "mac": ""}  # unreadable: verify calls it altered


def _write_head(root: Path, key: bytes, keyed_from: int, seq: int, digest: str) -> None:
    """Move the checkpoint forward to (seq, digest); never back (appends commit in any order)."""
    folder = head_path(root).parent
    folder.mkdir(mode=0o700, exist_ok=True)
    lock = os.open(folder / "head.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        now = _read_head(root)
        if now is not None and now.get("seq", -1) >= seq and now.get("keyed_from") == keyed_from:
            return
        head = {"keyed_from": keyed_from, "seq": seq, "digest": digest}
        head["mac"] = _mac(key, head)
        temporary = folder / f".head-{os.getpid()}-{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(head, out)
        os.replace(temporary, head_path(root))
    finally:
        os.close(lock)


def anchor(root: Path) -> None:
    """Give a case its audit key and checkpoint, keyed from the next entry (new cases, and cases made before).

    A key is made only for a log that was never keyed (a new case, or one made before the chain
    was keyed): once a keyed entry or a checkpoint exists, a missing key is an error naming what
    to restore, never replaced (a new key would make every later entry verify while hiding that
    the old ones can no longer be checked). A key given in MINGDAN_AUDIT_KEY gets its checkpoint
    like a key file does. A checkpoint missing beside keyed entries was deleted, and `verify`
    must say so rather than a fresh checkpoint hide it.
    """
    from django.db import transaction as db_transaction

    from .models import AuditEntry, AuditHead
    from .routers import access_alias

    key = audit_key(root)
    if key is not None and head_path(root).exists():
        return  # the usual case, on every entry: no query
    keyed = head_path(root).exists() or AuditEntry.objects.filter(scheme=KEYED).exists()
    if key is None and keyed:
        raise AuditKeyError(
            f"the audit key is missing: {key_path(root)} does not exist and {ENV_KEY} is not set, although the "
            f"audit log is keyed (it has a checkpoint, {head_path(root)}, or keyed entries); restore "
            f"{key_path(root)} (mode 0600) from a backup of the case's keys, or set {ENV_KEY} to the key's "
            "base64 text. A new key is never made for a log that has one: it could not check the entries before it")
    if key is not None and keyed:
        return  # keyed entries without their checkpoint: verify reports it, record() refuses to hide it
    if key is None:
        key = secrets.token_bytes(32)
        path = key_path(root)
        path.parent.mkdir(mode=0o700, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="ascii") as out:
            out.write(base64.b64encode(key).decode("ascii"))
    with db_transaction.atomic(using=access_alias()):
        head = AuditHead.objects.select_for_update().filter(pk=1).first()
        seq, digest = (head.seq, head.digest) if head else (0, GENESIS)
        _write_head(root, key, seq + 1, seq, digest)


def record(user: str, action: str, target: str = "", detail: dict | None = None):
    """Append one entry to the chain and move the checkpoint to it; return the entry."""
    from .models import AuditEntry, AuditHead
    from .routers import access_alias

    root = _root()
    anchor(root)
    key = audit_key(root)
    checkpoint = _read_head(root)
    if checkpoint is None:
        raise AuditKeyError(f"the audit checkpoint {head_path(root)} is missing although the case has an audit key: "
                            "it was deleted; run `mingdan audit verify` and restore it from a backup")
    detail = detail or {}
    with transaction.atomic(using=access_alias()):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        at = datetime.now(timezone.utc)
        seq = head.seq + 1
        digest = _digest(key, head.digest, seq, _at_text(at), user, action, target, detail)
        entry = AuditEntry.objects.create(seq=seq, at=at, user=user, action=action, target=target,
                                          detail=detail, previous=head.digest, digest=digest, scheme=KEYED)
        head.seq, head.digest = seq, digest
        head.save(update_fields=["seq", "digest"])
    # After the commit: a crash in between leaves the checkpoint one entry behind, never ahead.
    _write_head(root, key, checkpoint["keyed_from"], seq, digest)
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
    """Walk the chain and compare its end with the checkpoint; report every altered, inserted or deleted entry."""
    from .models import AuditEntry, AuditHead

    root = _root()
    key = audit_key(root)
    checkpoint = _read_head(root)
    problems: list[str] = []
    if key is None:
        problems.append(f"the audit key {key_path(root)} is missing: no entry can be checked")
    if checkpoint is None:
        problems.append(f"the audit checkpoint {head_path(root)} is missing (deleted): truncation cannot be ruled out")
    elif key is not None and not hmac.compare_digest(checkpoint.get("mac", ""), _mac(key, checkpoint)):
        problems.append("the audit checkpoint was altered (its key check fails)")
        checkpoint = None
    keyed_from = checkpoint["keyed_from"] if checkpoint else 1
    previous, expected_seq, count = GENESIS, 1, 0
    digests: dict[int, str] = {}
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        count += 1
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}-{entry.seq - 1} are missing (deleted)"
                            if entry.seq > expected_seq else f"entry {entry.seq} is out of order")
        if entry.previous != previous:
            problems.append(f"entry {entry.seq}: its link to the previous entry does not match")
        if entry.scheme == LEGACY and entry.seq < keyed_from:
            digest_key = None
        elif entry.scheme == KEYED and key is not None:
            digest_key = key
        else:
            problems.append(f"entry {entry.seq}: not keyed although the chain is keyed from entry {keyed_from}"
                            if entry.scheme != KEYED else f"entry {entry.seq}: cannot be checked without the key")
            previous, expected_seq = entry.digest, entry.seq + 1
            continue
        recomputed = _digest(digest_key, entry.previous, entry.seq, _at_text(entry.at), entry.user, entry.action,
                             entry.target, entry.detail)
        if not hmac.compare_digest(recomputed, entry.digest):
            problems.append(f"entry {entry.seq}: its content was altered (digest mismatch)")
        if checkpoint and entry.seq == checkpoint["seq"]:
            digests[entry.seq] = entry.digest
        previous, expected_seq = entry.digest, entry.seq + 1
    last = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last or head.digest != previous):
        problems.append(f"the log ends at entry {last} but the head records entry {head.seq}: "
                        f"entries at the end were deleted or the head was altered")
    if head is None and count:
        problems.append("the head row is missing")
    if checkpoint and checkpoint["seq"] > last:
        problems.append(f"the checkpoint outside the database records entry {checkpoint['seq']} but the log ends at "
                        f"entry {last}: " + ("every entry was deleted" if not count else
                                             f"entries {last + 1}-{checkpoint['seq']} were cut off the end"))
    elif checkpoint and checkpoint["seq"] and digests.get(checkpoint["seq"]) != checkpoint["digest"]:
        problems.append(f"entry {checkpoint['seq']} differs from the checkpoint kept outside the database "
                        "(the chain was rewritten)")
    return Verification(count, problems)
