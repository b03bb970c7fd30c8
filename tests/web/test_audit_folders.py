"""The audit log's folders and locks as someone who can write the case folder would leave them (an outside tester,
rt43): a private folder swapped for a link is never followed out of the case, a lock held elsewhere fails in bounded
time naming its holder, and nothing is changed unless its entry can follow."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time

import pytest

from .live import case_with_a_login, mingdan

HOLD = ("import fcntl, os, sys, time\n"
        "handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
        "fcntl.flock(handle, fcntl.LOCK_EX)\n"
        "print('held', flush=True)\n"
        "time.sleep(60)\n")


LATER = ("import fcntl, os, sys, time\n"
         "time.sleep(float(sys.argv[2]))\n"
         "handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)\n"
         "fcntl.flock(handle, fcntl.LOCK_EX)\n"
         "print('held', flush=True)\n"
         "time.sleep(float(sys.argv[3]))\n")


def _outside(tmp_path):
    outside = tmp_path / "shared"
    outside.mkdir(mode=0o755)
    os.chmod(outside, 0o755)
    (outside / "someone_elses_file").write_text("theirs")
    return outside


def _listing(folder) -> dict:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


@pytest.mark.parametrize("folder", ["audit", "incoming", "keys", "originals", "kept", "cache"])
def test_a_private_folder_swapped_for_a_link_is_refused_and_the_outside_left_alone(tmp_path, folder):
    case = case_with_a_login(tmp_path)
    outside = _outside(tmp_path)
    (case / folder).mkdir(exist_ok=True)
    if folder in ("audit", "keys"):  # a copy of the folder as it was: a link to it must still be refused
        for path in (case / folder).iterdir():
            shutil.copy2(path, outside / path.name)
    before = _listing(outside)
    shutil.rmtree(case / folder)
    (case / folder).symlink_to(outside)
    for command in (["audit", "verify"], ["users", "list"]):
        done = mingdan(*command, "--case", case, check=False)
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert f"{case / folder} is a symbolic link (to {outside})" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert oct(outside.stat().st_mode & 0o777) == "0o755"  # never chmodded
    assert _listing(outside) == before  # nothing created or written there


def test_a_dangling_link_in_place_of_the_audit_folder_is_named_not_a_traceback(tmp_path):
    case = case_with_a_login(tmp_path)
    shutil.rmtree(case / "audit")
    (case / "audit").symlink_to(tmp_path / "nowhere")
    done = mingdan("audit", "verify", "--case", case, check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{case / 'audit'} is a symbolic link (to {tmp_path / 'nowhere'})" in done.stderr
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.django_db
def test_a_folder_swapped_for_a_link_while_the_case_is_open_is_never_written(case, tmp_path):
    from mingdan.store import audit
    from mingdan.store.case import CaseError
    from mingdan.store.models import AuditEntry

    audit.record("admin", "search")
    count = AuditEntry.objects.count()
    outside = _outside(tmp_path)
    shutil.copytree(case.root / "audit", outside / "audit")
    shutil.rmtree(case.root / "audit")
    (case.root / "audit").symlink_to(outside / "audit")
    before = _listing(outside / "audit")
    with pytest.raises(CaseError, match="is a symbolic link"):
        audit.record("admin", "search")
    assert _listing(outside / "audit") == before and AuditEntry.objects.count() == count


@pytest.mark.django_db
def test_a_change_waits_a_bounded_time_for_a_lock_held_elsewhere_then_is_not_made(case, monkeypatch):
    from mingdan.store import audit
    from mingdan.store.models import AuditEntry
    from mingdan.web import accounts

    accounts.add_user("bea", "viewer", "correct horse battery staple")
    count = AuditEntry.objects.count()
    monkeypatch.setattr(audit, "WAIT", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(case.root / "audit" / "append.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(audit.AuditBusy, match=rf"append.lock has been held for 0.5 s by process {holder.pid} "):
            accounts.change_role("bea", "editor", by="admin")
        assert time.monotonic() - started < 5
        from mingdan.store.models import Account

        assert Account.objects.get(user__username="bea").role == "viewer"  # nothing changed unaudited
        assert AuditEntry.objects.count() == count
    finally:
        holder.kill()
        holder.wait()
    accounts.change_role("bea", "editor", by="admin")  # once it is let go, the change and its entry go through
    assert AuditEntry.objects.order_by("-seq").first().action == "user-role"


@pytest.mark.django_db
def test_a_change_whose_checkpoint_cannot_be_checked_is_not_made(case):
    from mingdan.store import audit
    from mingdan.store.audit_checkpoint import head_path
    from mingdan.store.models import Account
    from mingdan.web import accounts

    accounts.add_user("bea", "viewer", "correct horse battery staple")
    audit.record("admin", "search")
    head_path(case.root).unlink()
    head_path(case.root).mkdir()  # a folder in the copy's place
    with pytest.raises(audit.AuditKeyError, match="is not a regular file.*nothing is done"):
        accounts.change_role("bea", "editor", by="admin")
    assert Account.objects.get(user__username="bea").role == "viewer"


@pytest.mark.django_db
def test_an_entry_whose_checkpoint_cannot_follow_says_that_the_change_was_made(case, tmp_path):
    from mingdan.store import audit
    from mingdan.store.models import AuditEntry

    audit.record("admin", "search")
    keys = case.root / "keys"
    shutil.copytree(keys, tmp_path / "keys")
    before = _listing(tmp_path / "keys")
    with pytest.raises(audit.AuditKeyError, match=r"entry \d+ of the audit log \(search\) was written, and what it "
                                                  r"records was done, but its checkpoint could not be moved"):
        with audit.recording("admin", "search") as entry:  # checked with the folder in place, swapped meanwhile
            entry.detail["n"] = 1
            shutil.rmtree(keys)
            keys.symlink_to(tmp_path / "keys")
    assert _listing(tmp_path / "keys") == before
    assert AuditEntry.objects.order_by("-seq").first().detail == {"n": 1}


def test_the_servers_log_says_why_an_audit_error_failed_a_page_but_no_file_name(tmp_path):
    import logging

    from mingdan.store.audit_checkpoint import AuditKeyError
    from mingdan.web.logs import ErrorsWithoutValues

    def logged(exc: BaseException) -> str:
        try:
            raise exc
        except type(exc):
            record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "Internal Server Error: /records",
                                       None, sys.exc_info())
        return ErrorsWithoutValues().format(record)

    text = logged(AuditKeyError("the audit log in the database ends at entry 4 but its checkpoint records entry 6"))
    assert text.endswith("AuditKeyError: the audit log in the database ends at entry 4 but its checkpoint records "
                         "entry 6")
    text = logged(PermissionError(1, "Operation not permitted", "/cases/c/incoming/张三 died.csv"))
    assert "[Errno 1] Operation not permitted (file name withheld)" in text and "张三" not in text
    assert logged(ValueError("张三")).endswith("ValueError (message withheld)")


@pytest.mark.django_db
def test_an_amendment_is_not_made_when_its_entry_cannot_follow(client, web_case, login, monkeypatch):
    # An outside tester (rerun44) held the log's lock while an amendment waited for an import: the amendment was made
    # and its entry never written, and `audit verify` passed.
    from mingdan.store import audit
    from mingdan.store.models import AuditEntry, Claim

    login("editor")
    a1 = web_case["a1"]
    claims = Claim.objects.filter(record=a1, field="age").count()
    monkeypatch.setattr(audit, "WAIT", 1.0)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(web_case["case"].root / "audit" / "append.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        entries = AuditEntry.objects.count()
        with pytest.raises(audit.AuditBusy):
            client.post(f"/records/{a1.pk}/edit", {"field": "age", "value": "23", "reason": "interview"}, secure=True)
        assert Claim.objects.filter(record=a1, field="age").count() == claims and AuditEntry.objects.count() == entries
    finally:
        holder.kill()
        holder.wait()
    # The log's lock taken while the amendment waits for an import: checked before the wait, it was free.
    importing = subprocess.Popen([sys.executable, "-c", LATER, str(web_case["case"].root / "import.lock"), "0", "2"],
                                 stdout=subprocess.PIPE, text=True)
    holder = subprocess.Popen([sys.executable, "-c", LATER, str(web_case["case"].root / "audit" / "append.lock"),
                               "0.5", "10"], stdout=subprocess.PIPE, text=True)
    try:
        assert importing.stdout.readline().strip() == "held"
        with pytest.raises(audit.AuditBusy):
            client.post(f"/records/{a1.pk}/edit", {"field": "age", "value": "23", "reason": "interview"}, secure=True)
        assert holder.stdout.readline().strip() == "held"
        assert Claim.objects.filter(record=a1, field="age").count() == claims and AuditEntry.objects.count() == entries
    finally:
        for process in (importing, holder):
            process.kill()
            process.wait()
    assert client.post(f"/records/{a1.pk}/edit", {"field": "age", "value": "23", "reason": "interview"},
                       secure=True).status_code == 302
    assert Claim.objects.filter(record=a1, field="age").count() == claims + 1
    assert AuditEntry.objects.order_by("-seq").first().detail == {"action": "amended", "field": "age"}


@pytest.mark.django_db
def test_a_link_in_place_of_the_import_lock_is_refused_and_not_followed(case, write_rows, tmp_path):
    from mingdan.ingest.importer import import_file
    from mingdan.store.case import CaseError

    (case.root / "import.lock").unlink(missing_ok=True)
    (case.root / "import.lock").symlink_to(tmp_path / "outside.lock")
    with pytest.raises(CaseError, match="import.lock cannot be opened as the case's own file"):
        import_file(case, write_rows([{"record_id": "R1", "name": "张三", "event": "killed"}]), source_name="L")
    assert not (tmp_path / "outside.lock").exists()


@pytest.mark.django_db
def test_an_import_job_that_cannot_be_audited_fails_and_says_why_on_its_page(case, monkeypatch):
    # An outside tester (rerun44) held the log's lock while an upload's job started: nothing was imported, as it
    # should be, but the job's page said "running" until the next upload.
    from mingdan.ingest import jobs
    from mingdan.ingest.importer import case_keyring
    from mingdan.ingest.uploads import SealedUpload
    from mingdan.store import audit
    from mingdan.store.models import ImportJob, Record

    audit.record("admin", "search")
    upload = SealedUpload(case, case_keyring(case))
    upload.write("record_id,name,event\nR1,张三,killed\n".encode())
    upload.close()
    job = ImportJob.objects.create(user="ed", file_name="list.csv", source="L", upload=upload.name, size=upload.size,
                                   created=dt.datetime.now(dt.timezone.utc))
    monkeypatch.setattr(audit, "WAIT", 0.5)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(case.root / "audit" / "append.lock")],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(audit.AuditBusy):
            jobs.run(case, job.pk)  # its own entry cannot be written either: said in the server's log
    finally:
        holder.kill()
        holder.wait()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and not Record.objects.exists()
    told = case_keyring(case).reveal(job.outcome)
    assert "append.lock has been held" in told and "nothing was imported" in told
