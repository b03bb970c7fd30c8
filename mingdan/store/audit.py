"""The audit log: every read of a restricted value, search, export and write, in a keyed chain.

Each entry's digest is HMAC-SHA-256, under the case's audit key, over the previous digest and the
entry's own canonical JSON. The key is kept like the data key (keys/audit.key, mode 0600, or
MINGDAN_AUDIT_KEY), never in the database, so whoever can write the database cannot alter an
entry and recompute the digests after it. Outside the database, a checkpoint holds the last
entry's number and digest under the same key (audit_checkpoint.py: in audit/head.json and beside
the key); cutting entries off the end, or wiping the log, leaves the database behind it and
`verify` says so. `verify` also checks that each entry's stored text is the one form the
application writes (a detail re-spaced, escaped or with a key given twice parses to the same
value but is not what was written). Entries never hold request bodies or restricted values:
callers pass identifiers and counts only.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from django.db import transaction

from .audit_checkpoint import (ENV_KEY, GENESIS, KEYED, RECOVERY, AuditBusy, AuditKeyError, anchor,  # noqa: F401
                               audit_key, behind_checkpoint, copy_problems, head_path, head_paths, key_path, keys_head_path,
                               latest, read_copies, write_heads)
from .case import CaseError
from .filelock import LockBusy, held
from .loggable import loggable
from .private import private_folder

LEGACY = "sha256"  # entries written before the chain was keyed (their digest is a plain SHA-256)
RESTARTED = "audit-restarted"


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


def record(user: str, action: str, target: str = "", detail: dict | None = None):
    """Append one entry to the chain and move the checkpoint to it; return the entry."""
    with recording(user, action, target, detail) as entry:
        pass
    return entry.written


@dataclass
class Pending:
    """An entry about to be written: its detail and target can still be filled in; `written` is the entry once it is."""

    detail: dict
    target: str = ""
    written: object = None


@contextlib.contextmanager
def recording(user: str, action: str, target: str = "", detail: dict | None = None) -> Iterator[Pending]:
    """Make a change under the log's lock: it runs only once its entry is known to be writable, and the entry follows.

    Changes were made first and logged after: with the log's lock held elsewhere or its checkpoint unwritable, the
    change was made and its entry never written (an outside tester, rt43). Here the lock is taken and the checkpoint
    checked (and brought up to the log) before the change; only the entry's own commit and the checkpoint's move
    remain after it. The change can fill in `detail` (what it found); an exception in it writes no entry.
    """
    with _writable() as (root, key, checkpoint):
        pending = Pending(dict(detail or {}), target)
        yield pending
        pending.written = _append(root, key, checkpoint, user, action, pending.target, pending.detail)


def ready() -> None:
    """Check, before a change that may wait on other locks, that its entry will be writable (else an error, nothing
    done): the lock can be had, the checkpoint copies are sound and up to the log.

    A change that waits for an import cannot hold the log's lock meanwhile, which every audited page needs: it
    checks here, then changes, then records (an import job, which also has its start logged by the page).
    """
    with _writable():
        pass


@contextlib.contextmanager
def _writable() -> Iterator[tuple[Path, bytes, dict]]:
    """Hold the log's lock with its checkpoint checked and brought up to the log: (case folder, key, checkpoint)."""
    root = _root()
    key = audit_key(root)
    if key is None or not any(path.exists() for path in head_paths(root)):
        anchor(root)  # a log never keyed gets its key and checkpoint; a started one missing them is an error
        key = audit_key(root)
    with _one_writer(root):
        copies = read_copies(root, key)
        checkpoint = latest(copies)
        problems = copy_problems(copies)
        if checkpoint is None or problems:
            raise AuditKeyError("; ".join(problems or ["the audit checkpoint is missing"])
                                + f": nothing is done and no entry is written until it is mended; run `mingdan audit "
                                f"verify`, then {RECOVERY}")
        yield root, key, _caught_up(root, key, checkpoint)


def _caught_up(root: Path, key: bytes, checkpoint: dict) -> dict:
    """The checkpoint, brought up to the log's last entry if the last append could not move it (else an error).

    Entries past it could be cut unseen, so nothing more is done or written until it is (an outside tester, rt43,
    froze both copies and went on appending: `verify` passed after the entries were cut).
    """
    from .models import AuditHead
    from .routers import access_alias

    head = AuditHead.objects.using(access_alias()).filter(pk=1).first()
    if head is None or head.seq <= checkpoint["seq"]:
        return checkpoint  # behind it: _append says so
    try:
        write_heads(root, key, checkpoint["keyed_from"], head.seq, head.digest)
    except (OSError, CaseError) as exc:
        raise AuditKeyError(f"the audit checkpoint records entry {checkpoint['seq']} but the log ends at entry "
                            f"{head.seq}, and the checkpoint cannot be written ({loggable(exc)}): nothing is done and "
                            f"no entry is written until it can; make {head_paths(root)[0]} and {head_paths(root)[1]} "
                            "writable regular files, then run `mingdan audit verify`") from exc
    return {**checkpoint, "seq": head.seq, "digest": head.digest}


_WRITER = threading.Lock()
_HOLDING = threading.local()
#: Seconds an append waits for the log's lock before it fails, naming the lock and who holds it: an append takes
#: milliseconds, and a process holding the lock for ever (anyone who can write the case folder) would otherwise take
#: every server thread with it.
WAIT = 15.0


@contextlib.contextmanager
def _one_writer(root: Path) -> Iterator[None]:
    """Hold the log's append lock: one entry is appended at a time, across threads and the server's processes.

    Appends queued on SQLite's own lock, whose waiters sleep and retry (1, 2, 5, 10, 15, 20, 25 ms...), and
    on the checkpoint's lock after it: with 50 users on four server processes an entry took 30 ms at the
    median and 182 ms at the 95th percentile for 2-3 ms of work. A waiter on this lock is let in within a
    millisecond of its being free.
    """
    if getattr(_HOLDING, "yes", False):  # a threading.Lock is not re-entrant: this would wait WAIT s, then fail
        raise RuntimeError("an audit entry is being recorded in this thread already: a change made under "
                           "audit.recording may not record another")
    folder = private_folder(head_path(root).parent)
    if not _WRITER.acquire(timeout=WAIT):
        raise AuditBusy(f"the audit log's lock in this process has been held for {WAIT:g} s; nothing was done")
    _HOLDING.yes = True
    try:
        with held(folder / "append.lock", timeout=WAIT):  # without it, SQLite's lock alone orders them
            yield
    except LockBusy as exc:
        raise AuditBusy(f"the audit log's lock {exc}") from None
    finally:
        _HOLDING.yes = False
        _WRITER.release()


def _append(root: Path, key: bytes, checkpoint: dict, user: str, action: str, target: str, detail: dict,
            restart: bool = False):
    from .models import AuditEntry, AuditHead
    from .routers import access_alias

    with transaction.atomic(using=access_alias()):
        head, _ = AuditHead.objects.select_for_update().get_or_create(pk=1)
        if restart:  # the log continues from its last entry left, whatever the head row said
            last = AuditEntry.objects.order_by("-seq").first()
            head.seq, head.digest = (last.seq, last.digest) if last else (0, GENESIS)
        elif head.seq < checkpoint["seq"]:
            # The checkpoint is written after each commit, so it is never ahead of the log unless entries were deleted.
            raise AuditKeyError(f"the audit log in the database ends at entry {head.seq} but its checkpoint records "
                                f"entry {checkpoint['seq']}: entries were deleted; no entry is written until it is "
                                f"mended; run `mingdan audit verify`, then {RECOVERY}")
        elif head.seq > checkpoint["seq"]:  # _caught_up moved it before, under the same lock: a writer not using it
            raise AuditKeyError(f"the audit log in the database ends at entry {head.seq}, past its checkpoint (entry "
                                f"{checkpoint['seq']}), although the checkpoint was just brought up to it: another "
                                "program is writing the log; run `mingdan audit verify`")
        at = datetime.now(timezone.utc)
        seq = head.seq + 1
        digest = _digest(key, head.digest, seq, _at_text(at), user, action, target, detail)
        entry = AuditEntry.objects.create(seq=seq, at=at, user=user, action=action, target=target,
                                          detail=detail, previous=head.digest, digest=digest, scheme=KEYED)
        head.seq, head.digest = seq, digest
        head.save(update_fields=["seq", "digest"])
    # After the commit: a crash in between leaves the checkpoint one entry behind, never ahead.
    try:
        write_heads(root, key, checkpoint["keyed_from"], seq, digest, force=restart)
    except (OSError, CaseError) as exc:
        raise AuditKeyError(f"entry {seq} of the audit log ({action}) was written, and what it records was done, "
                            f"but its checkpoint could not be moved to it ({loggable(exc)}): no further entry is "
                            f"written until it can; make {head_paths(root)[0]} and {head_paths(root)[1]} writable "
                            "regular files, then run `mingdan audit verify`") from exc
    return entry


@dataclass
class Problem:
    """A break in the chain; `seq` is the entry where it was found (None: the head row or a checkpoint)."""

    text: str
    seq: int | None = None


@dataclass
class Verification:
    """The result of checking the chain: how many entries, every break found, and the restarts that recorded a loss."""

    entries: int
    problems: list[str]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries():
    """Every entry in order, with the stored text of its time and detail where the database keeps text (SQLite)."""
    from django.db import connections
    from django.db.models import TextField
    from django.db.models.expressions import RawSQL

    from .models import AuditEntry
    from .routers import access_alias

    entries = AuditEntry.objects.order_by("seq")
    if connections[access_alias()].vendor == "sqlite":  # PostgreSQL keeps jsonb and timestamptz: no other spelling
        table = AuditEntry._meta.db_table
        entries = entries.annotate(raw_at=RawSQL(f'CAST("{table}"."at" AS TEXT)', (), output_field=TextField()),
                                   raw_detail=RawSQL(f'CAST("{table}"."detail" AS TEXT)', (), output_field=TextField()))
    return entries.iterator(chunk_size=5000)


def _stored_as_written(entry) -> bool:
    """True when the stored text is the one form the application writes for the parsed values.

    The digest covers the parsed values: a detail re-spaced, written with escapes or with a key
    given twice (the first forged, the second the real one) parses to the same dict, and another
    reader of the database (sqlite's json_extract reads the first key) would see the forgery.
    """
    from django.db import connections

    from .routers import access_alias

    if not hasattr(entry, "raw_detail"):
        return True
    ops = connections[access_alias()].ops
    try:
        detail_ok = entry.raw_detail == json.dumps(json.loads(entry.raw_detail))
    except ValueError:
        return False
    return detail_ok and entry.raw_at == str(ops.adapt_datetimefield_value(entry.at))


def verify() -> Verification:
    """Walk the chain and compare its end with both checkpoints; report every altered, inserted or deleted entry.

    A break found before an `audit restart` entry that recorded it is reported as a note (the loss
    was recorded, in the chain, under the key), not as a problem.
    """
    from .models import AuditHead

    root = _root()
    key = audit_key(root)
    copies = read_copies(root, key)
    checkpoint = latest(copies)
    present = any(copy.state != "missing" for copy in copies)
    problems: list[Problem] = [Problem(text) for text in copy_problems(copies)] if present else []
    if key is None:
        problems.append(Problem(f"the audit key {key_path(root)} is missing: no entry can be checked"))
    elif not present:
        problems.append(Problem(f"the audit log was started (its key exists) but both its checkpoints, "
                                f"{head_path(root)} and {keys_head_path(root)}, are missing: the log may have been "
                                "wiped or cut"))
    keyed_from = checkpoint["keyed_from"] if checkpoint else 1
    previous, expected_seq, count = GENESIS, 1, 0
    digests: dict[int, str] = {}
    wanted = {copy.head["seq"] for copy in copies if copy.state == "ok"}
    restarts = []
    for entry in _entries():
        count += 1
        if entry.seq != expected_seq:
            missing = (f"entry {expected_seq} is missing (deleted)" if entry.seq == expected_seq + 1
                       else f"entries {expected_seq}-{entry.seq - 1} are missing (deleted)")
            problems.append(Problem(missing if entry.seq > expected_seq else f"entry {entry.seq} is out of order",
                                    entry.seq))
        if entry.previous != previous:
            problems.append(Problem(f"entry {entry.seq}: its link to the previous entry does not match", entry.seq))
        if entry.scheme == LEGACY and entry.seq < keyed_from:
            digest_key = None
        elif entry.scheme == KEYED and key is not None:
            digest_key = key
        else:
            problems.append(Problem(f"entry {entry.seq}: not keyed although the chain is keyed from entry {keyed_from}"
                                    if entry.scheme != KEYED else f"entry {entry.seq}: cannot be checked without the key",
                                    entry.seq))
            previous, expected_seq = entry.digest, entry.seq + 1
            continue
        recomputed = _digest(digest_key, entry.previous, entry.seq, _at_text(entry.at), entry.user, entry.action,
                             entry.target, entry.detail)
        if not hmac.compare_digest(recomputed, entry.digest):
            problems.append(Problem(f"entry {entry.seq}: its content was altered (digest mismatch)", entry.seq))
        elif not _stored_as_written(entry):
            problems.append(Problem(f"entry {entry.seq}: its stored text was altered (it is not as written, "
                                    "though it reads the same)", entry.seq))
        elif entry.action == RESTARTED and digest_key is not None:
            restarts.append(entry)
        if entry.seq in wanted:
            digests[entry.seq] = entry.digest
        previous, expected_seq = entry.digest, entry.seq + 1
    last = expected_seq - 1
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and (head.seq != last or head.digest != previous):
        problems.append(Problem(f"the log ends at entry {last} but the head records entry {head.seq}: "
                                f"entries at the end were deleted or the head was altered"))
    if head is None and count:
        problems.append(Problem("the head row is missing"))
    for copy in copies:
        if copy.state != "ok":
            continue
        seq = copy.head["seq"]
        if seq > last:
            cut = f"entry {seq} was" if seq == last + 1 else f"entries {last + 1}-{seq} were"
            problems.append(Problem(f"the checkpoint {copy.path} records entry {seq} but the log ends at entry "
                                    f"{last}: " + ("every entry was deleted" if not count else f"{cut} cut off the end")))
        elif seq and digests.get(seq) != copy.head["digest"]:
            problems.append(Problem(f"entry {seq} differs from the checkpoint {copy.path} (the chain was rewritten)"))
    return _acknowledged(count, problems, restarts)


def _acknowledged(count: int, problems: list[Problem], restarts: list) -> Verification:
    """Move the breaks that a later restart entry recorded from the problems to the notes."""
    notes, left = [], []
    for restart in restarts:
        notes.append(f"entry {restart.seq}: the log was restarted on {_at_text(restart.at)} by {restart.user}; "
                     f"reason: {restart.detail.get('reason', '')}")
    for problem in problems:
        by = next((r for r in restarts if problem.seq is not None and problem.seq < r.seq
                   and problem.text in r.detail.get("problems", [])), None)
        if by is None:
            left.append(problem.text)
        else:
            notes.append(f"recorded as lost by the restart at entry {by.seq}: {problem.text}")
    return Verification(count, left, notes)


def restart(reason: str, by: str):
    """Record in the log that its checkpoint or entries were lost, and continue it from what is left; the entry.

    Refused when the log verifies (nothing was lost) or without a reason. The entry holds the
    reason and every break found, so that `verify` reports those as recorded rather than as new.
    """
    from .models import AuditEntry

    root = _root()
    key = audit_key(root)
    if key is None:
        anchor(root)  # raises, naming the key to restore: a restart under a new key would check nothing before it
    reason = " ".join(reason.split())
    if not reason:
        raise AuditKeyError("give the reason for the restart (--reason): it is kept in the log")
    checked = verify()
    copies = read_copies(root, key)
    if checked.ok and all(copy.state == "ok" for copy in copies):
        raise AuditKeyError(f"the audit log verifies ({checked.entries} entries): nothing was lost, nothing to restart")
    checkpoint = latest(copies)
    keyed = AuditEntry.objects.filter(scheme=KEYED).order_by("seq").values_list("seq", flat=True).first()
    last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    keyed_from = checkpoint["keyed_from"] if checkpoint else (keyed or last + 1)
    detail = {"reason": reason, "problems": checked.problems[:1000], "more_problems": max(0, len(checked.problems) - 1000),
              "entries": checked.entries, "checkpoint": checkpoint["seq"] if checkpoint else None}
    with _one_writer(root):
        return _append(root, key, {"keyed_from": keyed_from, "seq": 0}, by, RESTARTED, "", detail, restart=True)
