"""The audit log cannot be rewritten: a keyed chain with its checkpoint outside the database; every read of a
restricted value is in it (record, person, edit page), for the roles that see it and the roles it is withheld from."""

from __future__ import annotations

import hashlib
import json

import pytest


def _entries(n: int, who: str = "admin"):
    from mingdan.store import audit

    return [audit.record(who, "search", "records", {"results": i}) for i in range(n)]


def _problems() -> list[str]:
    from mingdan.store import audit

    return audit.verify().problems


@pytest.mark.django_db
def test_an_entry_altered_and_every_later_digest_recomputed_is_caught(case):
    from mingdan.store.audit import _at_text
    from mingdan.store.models import AuditEntry, AuditHead

    _entries(6)
    assert _problems() == []
    # Whoever writes the database knows the algorithm but not the key: a plain SHA-256 chain ...
    previous = AuditEntry.objects.get(seq=2).digest
    for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
        user = "someone-else" if entry.seq == 3 else entry.user
        body = json.dumps([entry.seq, _at_text(entry.at), user, entry.action, entry.target, entry.detail],
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256((previous + body).encode()).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(user=user, previous=previous, digest=digest, scheme="sha256")
        previous = digest
    AuditHead.objects.filter(pk=1).update(digest=previous)
    problems = _problems()
    assert any("entry 3: not keyed" in p for p in problems), problems
    # ... or an HMAC under a key of their own.
    import hmac

    previous = AuditEntry.objects.get(seq=2).digest
    for entry in AuditEntry.objects.filter(seq__gte=3).order_by("seq"):
        body = json.dumps([entry.seq, _at_text(entry.at), entry.user, entry.action, entry.target, entry.detail],
                          ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        digest = hmac.new(b"a key of their own" * 2, (previous + body).encode(), hashlib.sha256).hexdigest()
        AuditEntry.objects.filter(pk=entry.pk).update(previous=previous, digest=digest, scheme="hmac-sha256")
        previous = digest
    AuditHead.objects.filter(pk=1).update(digest=previous)
    problems = _problems()
    assert any("entry 3: its content was altered" in p for p in problems), problems


@pytest.mark.django_db
def test_entries_cut_off_the_end_with_the_head_rewritten_are_caught(case):
    from mingdan.store.models import AuditEntry, AuditHead

    _entries(8)
    AuditEntry.objects.filter(seq__gt=5).delete()
    last = AuditEntry.objects.get(seq=5)
    AuditHead.objects.filter(pk=1).update(seq=5, digest=last.digest)  # the chain in the database is consistent
    problems = _problems()
    assert any("entries 6-8 were cut off the end" in p for p in problems), problems


@pytest.mark.django_db
def test_every_entry_and_the_head_deleted_is_caught(case):
    from mingdan.store.models import AuditEntry, AuditHead

    _entries(4)
    AuditEntry.objects.all().delete()
    AuditHead.objects.all().delete()
    problems = _problems()
    assert any("every entry was deleted" in p for p in problems), problems


@pytest.mark.django_db
def test_the_checkpoint_deleted_or_altered_is_caught_and_appends_refuse_to_hide_it(case):
    from mingdan.store import audit

    _entries(3)
    head = audit.head_path(case.root)
    saved = json.loads(head.read_text())
    head.write_text(json.dumps({**saved, "seq": 1}))  # an older checkpoint, hand-made
    assert any("checkpoint was altered" in p for p in _problems())
    head.unlink()
    assert any("checkpoint" in p and "missing" in p for p in _problems())
    with pytest.raises(audit.AuditKeyError):
        audit.record("admin", "search")  # no new checkpoint may paper over the deleted one
    head.write_text(json.dumps(saved))
    assert _problems() == []


@pytest.mark.sqlite_file
def test_audit_verify_on_the_command_line_exits_1_after_a_full_deletion(tmp_path):
    import sqlite3

    from .live import case_with_a_login, mingdan

    case = case_with_a_login(tmp_path)
    assert "intact" in mingdan("audit", "verify", "--case", case).stdout
    with sqlite3.connect(case / "access.sqlite3") as db:
        db.execute("DELETE FROM mingdan_auditentry")
        db.execute("DELETE FROM mingdan_audithead")
    broken = mingdan("audit", "verify", "--case", case, check=False)
    assert broken.returncode == 1 and "every entry was deleted" in broken.stderr


@pytest.mark.django_db
def test_every_read_of_a_record_holding_restricted_values_is_logged(client, web_case, login):
    from mingdan.store.models import AuditEntry

    a1, person = web_case["a1"].pk, web_case["person"].person_id
    login("viewer")  # may not read the restricted note: the read is logged as withheld
    client.get(f"/records/{a1}", secure=True)
    client.get(f"/people/{person}", secure=True)
    client.get(f"/api/records/{a1}", secure=True)
    withheld = {e.target: e.detail for e in AuditEntry.objects.filter(user="viewer", action="read-withheld")}
    assert set(withheld) >= {f"GET /records/{a1}", f"GET /people/{person}", f"GET /api/records/{a1}"}
    assert withheld[f"GET /records/{a1}"]["records"] == [a1] and withheld[f"GET /records/{a1}"]["revealed"] == 0
    client.post("/logout", secure=True)
    login("editor")  # may read it: the edit page's current value is a read too
    page = client.get(f"/records/{a1}/edit?field=notes", secure=True).content.decode()
    assert "RESTRICTED-NOTE-7Q3Z" in page
    reads = {e.target: e.detail for e in AuditEntry.objects.filter(user="editor", action="read-restricted")}
    assert reads[f"GET /records/{a1}/edit"]["records"] == [a1]
    assert not AuditEntry.objects.filter(detail__icontains="RESTRICTED-NOTE").exists()  # never the value
    from mingdan.store import audit

    assert audit.verify().ok


APPEND = """
import os, sys, threading
os.environ["MINGDAN_CASE_DIR"] = sys.argv[1]
os.environ["DJANGO_SETTINGS_MODULE"] = "mingdan.web.settings"
from mingdan.store.case import open_case
open_case(sys.argv[1])
from django.db import connections
from mingdan.store import audit

def append(thread):
    for n in range(15):
        audit.record("appender", "append-test", f"{os.getpid()}-{thread}-{n}", {})
    connections.close_all()

threads = [threading.Thread(target=append, args=(t,)) for t in range(3)]
[t.start() for t in threads]
[t.join() for t in threads]
"""


def test_appends_from_several_processes_and_threads_at_once_all_land_in_one_unbroken_chain(tmp_path):
    """Three processes of three threads append at once (as the server's workers do): every entry is in the log,
    numbered without a gap or a repeat, and the chain and its checkpoint verify."""
    import sqlite3
    import subprocess
    import sys

    from .live import env, mingdan

    case = tmp_path / "case"
    mingdan("init", case)
    mingdan("users", "list", "--case", case)  # opened once with the web's tables, as the server does before its workers
    runs = [subprocess.Popen([sys.executable, "-c", APPEND, str(case)], env=env()) for _ in range(3)]
    assert [run.wait(timeout=300) for run in runs] == [0, 0, 0]
    with sqlite3.connect(case / "access.sqlite3") as db:
        targets = [t for (t,) in db.execute("SELECT target FROM mingdan_auditentry WHERE action = 'append-test'")]
        numbers = [n for (n,) in db.execute("SELECT seq FROM mingdan_auditentry ORDER BY seq")]
    assert len(targets) == len(set(targets)) == 3 * 3 * 15
    assert numbers == list(range(1, len(numbers) + 1))
    assert mingdan("audit", "verify", "--case", case).returncode == 0
