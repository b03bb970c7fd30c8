"""The pages opened most stay fast on large cases: a person page reads that person's events only; the accounting
and the custody of everyone are kept until the case changes, and every kind of change is seen."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import PASSWORD


@pytest.mark.django_db
def test_a_person_page_reads_only_that_persons_events(client, web_case, login, write_rows, case):
    from mingdan.ingest.importer import import_file

    # Many other people with custody histories: none of their events may be read for this page.
    import_file(case, write_rows([{"record_id": f"O{i}", "name": "王伟", "event": "detained", "event_date": "1990-01-01",
                                   "facility": f"Facility {i}"} for i in range(300)], name="others.csv"),
                source_name="Others")
    login("reviewer")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/people/{web_case['person'].person_id}", secure=True)
    assert page.status_code == 200
    events = [q["sql"] for q in queries.captured_queries if re.search(r'FROM "mingdan_event"', q["sql"])]
    assert events, "the page reads events"
    for sql in events:
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
        assert '"person_id"' in where or '"record_id" IN (' in where, sql  # narrowed to the person's records


def _fingerprint():
    from mingdan.store.revision import fingerprint

    return fingerprint()


@pytest.mark.django_db
def test_every_kind_of_write_changes_the_fingerprint_kept_figures_depend_on(web_case, write_rows, case, shared_data):
    from mingdan.ingest.amend import amend
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.explain import record_decision
    from mingdan.store.models import Estimate, LinkRun, Person, Record

    a1, a2 = web_case["a1"], web_case["a2"]
    writes = {
        "an import": lambda: import_file(case, write_rows([{"record_id": "N1", "name": "李四", "event": "killed"}],
                                                          name="new.csv"), source_name="New"),
        "a new version of a list (superseding)": lambda: import_file(
            case, write_rows([{"record_id": "N1", "name": "李四", "event": "detained"}], name="new2.csv"),
            source_name="New"),
        "an amendment": lambda: amend(case, a1, "age", "24", "editor"),
        "count claims": lambda: import_count_claims(case, shared_data / "tiananmen_count_claims.csv"),
        "a review decision": lambda: record_decision(a1.pk, a2.pk, "different", "reviewer"),
        # what `mingdan link` writes in one transaction: a run, and records moved between people
        "a linkage run": lambda: (LinkRun.objects.create(auto_link=0.6, review=0.2),
                                  Record.objects.filter(pk=a2.pk).update(person=Person.objects.create(person_id="P9"))),
        "an estimate": lambda: Estimate.objects.create(**_estimate_fields()),
    }
    for name, write in writes.items():
        before = _fingerprint()
        write()
        assert _fingerprint() != before, name


def _estimate_fields() -> dict:
    from django.utils import timezone

    from mingdan.store.models import Estimate

    fields = {}
    for field in Estimate._meta.concrete_fields:
        if field.primary_key or field.has_default() or field.null:
            continue
        internal = field.get_internal_type()
        fields[field.name] = (timezone.now() if "Date" in internal else 1.0 if "Float" in internal
                              else 1 if "Integer" in internal else {} if "JSON" in internal else "x")
    return fields


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path, count, stale", [
    ("/accounting", r"<th>Killed</th>\s*<td class=\"num\">(\d+)</td>", "accounting-stale"),
    # The search page's counts per event type and source over the whole case.
    ("/records", r'event=killed">[^<]*</a> <span class="n">(\d+)</span>', "facets-stale"),
])
def test_kept_figures_show_a_change_once_recomputed_and_are_marked_until_then(client, transactional_db, tmp_path,
                                                                              write_rows, path, count, stale):
    """Kept figures are recomputed after a change: first shown as from before (saying so), then the new ones."""
    from mingdan.ingest.importer import import_file
    from mingdan.store.case import init_case
    from mingdan.web.accounts import add_user
    from mingdan.web.case import use

    case = init_case(tmp_path / "case", setup_database=False)
    import_file(case, write_rows([{"record_id": "K1", "name": "张三", "event": "killed"}], name="one.csv"),
                source_name="One")
    use(case)
    add_user("viewer", "viewer", PASSWORD)
    client.post("/login", {"username": "viewer", "password": PASSWORD}, secure=True)

    def killed() -> tuple[str, bool]:
        page = client.get(path, secure=True).content.decode()
        return re.search(count, page).group(1), f'id="{stale}"' not in page

    assert killed() == ("1", True)
    import_file(case, write_rows([{"record_id": "K2", "name": "李四", "event": "killed"}], name="two.csv"),
                source_name="Two")
    assert killed() == ("1", False)  # the figure from before, marked, while it is recomputed in the background
    for _ in range(100):
        if killed() == ("2", True):
            break
        time.sleep(0.1)
    assert killed() == ("2", True)


@pytest.mark.django_db
def test_the_start_computes_the_accounting_of_each_roles_view_and_no_other(web_case):
    """Each view costs seconds of the interpreter on a large case, while the first users browse: no view no role has."""
    from mingdan.web import kept
    from mingdan.web.views_reports import warm

    kept.forget()
    warm()
    views = {(key[1], key[2]) for key in kept._VALUES if key[0] == "accounting"}
    # viewer and analyst (public), reviewer (restricted), editor (restricted, families), admin (secret, families)
    assert views == {("public", False), ("restricted", False), ("restricted", True), ("secret", True)}


@pytest.mark.django_db
def test_a_deep_records_page_skips_by_ids_alone(client, web_case, login, write_rows, case):
    """Skipping rows by OFFSET read every skipped record with its source and person (448 ms at page 10,000)."""
    from mingdan.ingest.importer import import_file

    import_file(case, write_rows([{"record_id": f"R{i:04d}", "name": "李明"} for i in range(120)], name="many.csv"),
                source_name="Many")
    login("viewer")
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/records?page=2", secure=True)
    assert page.status_code == 200 and page.content.decode().count('<td translate="no">R0') >= 45
    skipping = [q["sql"] for q in queries.captured_queries if " OFFSET " in q["sql"] and "mingdan_record" in q["sql"]]
    assert skipping, "the page skips rows"
    for sql in skipping:
        assert " JOIN " not in sql and sql.startswith('SELECT "mingdan_record"."id" AS "pk" FROM "mingdan_record" '), sql


@pytest.mark.django_db
def test_figures_of_other_days_are_few_and_never_on_disk_and_no_kept_folder_is_no_error(client, web_case, login,
                                                                                      case):
    """Any reader may ask the accounting as of thousands of days: a few are kept in memory, none written to kept/; a
    kept/ that cannot be a folder leaves every figure computed in the process, not a 500."""
    from mingdan.web import kept

    kept.forget()
    login("analyst")
    assert client.get("/accounting", secure=True).status_code == 200
    on_disk = set((case.root / "kept").glob("*.fig"))
    assert on_disk  # today's accounting is shared with the other processes
    for day in range(1, 13):
        assert client.get(f"/accounting?as_of=1990-01-{day:02d}", secure=True).status_code == 200
    assert set((case.root / "kept").glob("*.fig")) == on_disk
    assert len(kept._OTHER_DAYS) == kept.OTHER_DAYS_KEPT
    assert {key[3] for key in kept._OTHER_DAYS} == {dt.date(1990, 1, day) for day in range(5, 13)}

    kept.forget()
    shutil.rmtree(case.root / "kept")
    (case.root / "kept").write_text("not a folder")
    login("reviewer")
    for path in ("/accounting", "/records", "/records?status=held", "/review"):
        assert client.get(path, secure=True).status_code == 200, path



@pytest.mark.django_db
def test_a_review_page_reads_the_cases_places_once_until_the_case_changes(client, web_case, login):
    # The place reader samples every distinct place of the case: built on each review page, it was half the page's
    # time at 100,000 records (the check of a death before a detention built its own).
    from mingdan.store.models import Record

    a1, b1 = Record.objects.get(record_id="A1"), Record.objects.get(record_id="B1")
    login("reviewer")
    assert client.get(f"/review/{a1.pk}/{b1.pk}", secure=True).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/review/{a1.pk}/{b1.pk}", secure=True).status_code == 200
    sampled = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT DISTINCT "mingdan_event"."place"')]
    assert not sampled, sampled
