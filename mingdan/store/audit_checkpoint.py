"""The audit log's key and its checkpoints outside the database, and the rule that a started log is never
silently started again.

The key (keys/audit.key, mode 0600, or MINGDAN_AUDIT_KEY) is made together with the first
checkpoint and never again: its existence says that the log was started. The checkpoint (the
last entry's number and digest, under the key) is written twice after every entry: in
audit/head.json and beside the key in keys/audit-head.json, so that wiping the database and the
audit folder still leaves the keys folder saying how far the log went. A key without a
checkpoint, a checkpoint copy missing or altered, or a database behind its checkpoint stops the
server and every command that opens the case (but `audit verify`, which reports it, and `audit
restart`, which records the loss in the log and starts it again from what is left).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
from dataclasses import dataclass
from pathlib import Path

from .case import CaseError
from .filelock import LockBusy, held
from .private import private_folder

GENESIS = "0" * 64
KEYED = "hmac-sha256"
KEY_FILE = "audit.key"
ENV_KEY = "MINGDAN_AUDIT_KEY"  # base64 of 32 bytes; overrides the key file
HEAD_FILE = "head.json"
KEYS_HEAD_FILE = "audit-head.json"
#: Checkpoints of version 2 are written in both places; version 1 (audit/head.json alone) is upgraded when read.
VERSION = 2
RECOVERY = ("restore audit/head.json and keys/audit-head.json from a backup of the case (they hold no names); "
            "if they are lost for good, `mingdan audit restart --case CASE --reason TEXT` records the loss in the "
            "log and continues it from what is left")


class AuditKeyError(CaseError):
    """The audit key or checkpoint is missing or does not match the log; the message says what to do."""


class AuditBusy(CaseError):
    """The audit log's lock was held longer than an append may wait; the message names the lock and its holder."""


def key_path(root: Path) -> Path:
    """Where a case keeps its audit key."""
    return Path(root) / "keys" / KEY_FILE


def head_path(root: Path) -> Path:
    """Where a case keeps the audit log's checkpoint, outside the database."""
    return Path(root) / "audit" / HEAD_FILE


def keys_head_path(root: Path) -> Path:
    """The checkpoint's second copy, beside the key (a wiped audit folder leaves it)."""
    return Path(root) / "keys" / KEYS_HEAD_FILE


def head_paths(root: Path) -> tuple[Path, Path]:
    """Both copies of the checkpoint."""
    return head_path(root), keys_head_path(root)


def audit_key(root: Path) -> bytes | None:
    """The case's audit key (None when the case has none yet)."""
    if os.environ.get(ENV_KEY):
        return base64.b64decode(os.environ[ENV_KEY])
    path = key_path(root)
    return base64.b64decode(path.read_text("ascii")) if path.is_file() else None


def _mac(key: bytes, head: dict) -> str:
    fields = {k: head[k] for k in ("keyed_from", "seq", "digest")}
    if "version" in head:  # version 1 checkpoints had no version field and keep their MAC
        fields["version"] = head["version"]
    return hmac.new(key, json.dumps(fields, sort_keys=True).encode("ascii"), hashlib.sha256).hexdigest()


@dataclass
class Copy:
    """One copy of the checkpoint as found: its content when its key check passes, else why not."""

    path: Path
    head: dict | None
    state: str  # "ok", "missing", "not a file", "altered", or "unchecked" (no key to check it with)


def read_copy(path: Path, key: bytes | None) -> Copy:
    """Read one checkpoint copy and check it under the key."""
    if not path.is_file():
        # A dangling link is as good as nothing; a link to a device (/dev/zero) or a folder is something else.
        return Copy(path, None, "missing" if not path.exists() else "not a file")
    try:
        with path.open("rb") as copy:
            head = json.loads(copy.read(4 * HEAD_BYTES).decode("utf-8"))
        head = {**head, "keyed_from": int(head["keyed_from"]), "seq": int(head["seq"]), "digest": str(head["digest"])}
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        return Copy(path, None, "altered")
    if key is None:
        return Copy(path, head, "unchecked")
    if not hmac.compare_digest(str(head.get("mac", "")), _mac(key, head)):
        return Copy(path, None, "altered")
    return Copy(path, head, "ok")


def read_copies(root: Path, key: bytes | None) -> list[Copy]:
    """Both copies (audit/head.json first)."""
    return [read_copy(path, key) for path in head_paths(root)]


def latest(copies: list[Copy]) -> dict | None:
    """The furthest checkpoint among the copies whose key check passes."""
    good = [copy.head for copy in copies if copy.state == "ok"]
    return max(good, key=lambda head: head["seq"]) if good else None


def copy_problems(copies: list[Copy]) -> list[str]:
    """Every missing or altered copy, in words (a version 1 checkpoint had no copy beside the key)."""
    problems = []
    version = max((copy.head.get("version", 1) for copy in copies if copy.head), default=VERSION)
    for copy in copies:
        if copy.state == "altered":
            problems.append(f"the audit checkpoint was altered (its key check fails): {copy.path}")
        elif copy.state == "not a file":
            problems.append(f"the audit checkpoint is not a regular file (a folder, a pipe or a device is in its "
                            f"place), so truncation cannot be ruled out: {copy.path}")
        elif copy.state == "missing" and (version >= VERSION or copy.path.name == HEAD_FILE):
            problems.append(f"the audit checkpoint is missing (deleted), so truncation cannot be ruled out: {copy.path}")
    return problems


def write_heads(root: Path, key: bytes, keyed_from: int, seq: int, digest: str, force: bool = False) -> None:
    """Move both checkpoint copies forward to (seq, digest); never back (appends commit in any order) unless forced."""
    private_folder(keys_head_path(root).parent)
    try:
        with held(private_folder(head_path(root).parent) / "head.lock", timeout=_WAIT):
            copies = read_copies(root, key)
            now = latest(copies)
            if (not force and now is not None and now["seq"] >= seq and now["keyed_from"] == keyed_from
                    and all(copy.state == "ok" and copy.head.get("version") == VERSION for copy in copies)):
                return
            head = {"version": VERSION, "keyed_from": keyed_from, "seq": seq, "digest": digest}
            head["mac"] = _mac(key, head)
            data = json.dumps(head).encode("ascii").ljust(HEAD_BYTES)
            for path in head_paths(root):
                if not _rewrite(path, data):
                    _replace(path, data)
    except LockBusy as exc:
        raise AuditBusy(f"the audit checkpoint's lock {exc}") from None


_WAIT = 15.0  # seconds, as for the append lock (audit.WAIT)


def _replace(path: Path, data: bytes) -> None:
    """Put a new file with `data` in the copy's place (a link, a hard link, a pipe or nothing was there)."""
    temporary = path.parent / f".head-{os.getpid()}-{secrets.token_hex(4)}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)  # a rename refused (a folder in its place, a file made immutable)


#: Bytes of a checkpoint copy (its JSON padded with spaces), so that it is rewritten by one write of one size.
HEAD_BYTES = 1024


def _rewrite(path: Path, data: bytes) -> bool:
    """Overwrite an existing copy in place by one write; False when there is none to overwrite (or it is a link).

    Every audited page appends under one lock, and the checkpoint was written by renaming a new file over each
    copy: while an import's database was being written back to disk, a rename waited on the file system's journal
    (95th percentile 77 ms, against 0.08 ms for a write in place, measured beside a writer that syncs), and the
    audited pages of every server process queued behind it. A write of one block in place needs no journal.
    """
    if len(data) > HEAD_BYTES:
        return False
    try:
        # A link put in its place (symbolic or hard) is replaced, never written through (an outside tester, rt43).
        # O_NONBLOCK: a pipe put in its place, with no reader, would otherwise hold the append lock for ever.
        descriptor = os.open(path, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        found = os.fstat(descriptor)
        if found.st_nlink != 1 or not stat.S_ISREG(found.st_mode):  # a hard link to a file elsewhere, a pipe: replaced
            return False
        os.pwrite(descriptor, data, 0)
        if found.st_size > len(data):
            os.ftruncate(descriptor, len(data))
    finally:
        os.close(descriptor)
    return True


def _make_key(root: Path) -> bytes:
    key = secrets.token_bytes(32)
    path = key_path(root)
    private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(base64.b64encode(key).decode("ascii"))
    return key


def _missing_key(root: Path) -> AuditKeyError:
    return AuditKeyError(
        f"the audit key is missing: {key_path(root)} does not exist and {ENV_KEY} is not set, although the "
        f"audit log is keyed (it has a checkpoint, {head_path(root)} or {keys_head_path(root)}, or keyed entries); "
        f"restore {key_path(root)} (mode 0600) from a backup of the case's keys, or set {ENV_KEY} to the key's "
        "base64 text. A new key is never made for a log that has one: it could not check the entries before it")


def anchor(root: Path, *, new_case: bool = False, strict: bool = True) -> None:
    """Check (or, for a log never keyed, give) the case's audit key and checkpoints when the case is opened.

    A key is made only for a log that was never keyed (a new case, or one made before the chain
    was keyed), together with its checkpoint. Once a key exists the log was started: a missing
    or altered checkpoint, or a database behind it, is an error naming the recovery (`strict`;
    `audit verify` opens leniently and reports it). `new_case`: `init` just made this case, whose
    key given in MINGDAN_AUDIT_KEY gets its first checkpoint.
    """
    from .models import AuditEntry, AuditHead

    key = audit_key(root)
    copies = read_copies(root, key)
    present = any(copy.state != "missing" for copy in copies)
    if key is None:
        if present or AuditEntry.objects.filter(scheme=KEYED).exists():
            raise _missing_key(root)
        key = _make_key(root)  # a log never keyed: its key and first checkpoint, from the next entry
        head = AuditHead.objects.filter(pk=1).first()
        seq, digest = (head.seq, head.digest) if head else (0, GENESIS)
        write_heads(root, key, seq + 1, seq, digest)
        return
    if not present:
        if new_case:
            write_heads(root, key, 1, 0, GENESIS)
            return
        if strict:
            raise AuditKeyError(
                f"the audit log was started (its key {key_path(root) if not os.environ.get(ENV_KEY) else ENV_KEY} "
                f"exists) but both its checkpoints, {head_path(root)} and {keys_head_path(root)}, are missing: the "
                f"log may have been wiped or cut; run `mingdan audit verify --case CASE`, then {RECOVERY}")
        return
    old = copies[0]
    if old.state == "ok" and old.head.get("version", 1) < VERSION and copies[1].state == "missing":
        write_heads(root, key, old.head["keyed_from"], old.head["seq"], old.head["digest"], force=True)  # upgrade
        copies = read_copies(root, key)
    if not strict:
        return
    problems = [*copy_problems(copies), behind_checkpoint(latest(copies))]
    if any(problems):
        raise AuditKeyError("; ".join(filter(None, problems)) + f"; run `mingdan audit verify --case CASE`, then {RECOVERY}")


def behind_checkpoint(checkpoint: dict | None) -> str | None:
    """Why the database's log does not reach the checkpoint (two queries), or None when it does."""
    from .models import AuditEntry, AuditHead

    if checkpoint is None or checkpoint["seq"] == 0:
        return None
    head = AuditHead.objects.filter(pk=1).first()
    if head is None or head.seq < checkpoint["seq"]:
        return (f"the audit log in the database ends at entry {head.seq if head else 0} but its checkpoint records "
                f"entry {checkpoint['seq']}: entries were deleted")
    at = AuditEntry.objects.filter(seq=checkpoint["seq"]).values_list("digest", flat=True).first()
    if at != checkpoint["digest"]:
        return f"entry {checkpoint['seq']} of the audit log differs from its checkpoint: the log was rewritten"
    return None
