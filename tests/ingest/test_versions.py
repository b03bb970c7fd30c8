"""Re-importing is a no-op; a changed file is a new version that supersedes, never overwrites."""

from __future__ import annotations

import csv

import pytest

from mingdan.ingest.importer import import_file
from mingdan.store.models import Claim, Document, Event, Record

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")

ROWS = [
    {"record_id": "r1", "name": "陈大文", "age": "21", "event": "killed", "event_date": "1989-06-04"},
    {"record_id": "r2", "name": "王伟", "age": "30", "event": "detained", "event_date": "1989-06-10"},
]


def test_reimporting_the_same_file_adds_nothing(case, write_rows, snapshot):
    path = write_rows(ROWS)
    first = import_file(case, path, source_name="S")
    after_first = snapshot()
    again = import_file(case, path, source_name="S")
    assert again.status == "already imported" and again.version == first.version == 1
    assert snapshot() == after_first


def test_changed_file_is_a_new_version_and_keeps_the_old_claims(case, write_rows):
    import_file(case, write_rows(ROWS, name="v1.csv"), source_name="S")
    changed = [{**ROWS[0], "age": "22"}, ROWS[1], {"record_id": "r3", "name": "李明", "event": "disappeared"}]
    result = import_file(case, write_rows(changed, name="v2.csv"), source_name="S")
    assert (result.version, result.records_new, result.records_updated) == (2, 1, 2)
    assert Document.objects.count() == 2 and Record.objects.count() == 3
    r1 = Record.objects.get(record_id="r1")
    ages = list(r1.claims.filter(field="age").order_by("id"))
    assert [(c.normalized, c.superseded_in_id is None) for c in ages] == [("21", False), ("22", True)]
    assert ages[1].supersedes_id == ages[0].id
    assert list(r1.claims.current().filter(field="age").values_list("normalized", flat=True)) == ["22"]
    assert Event.objects.filter(record=r1).count() == 2
    assert Event.objects.filter(record=r1, superseded_in__isnull=True).count() == 1
    assert result.claims_superseded == Claim.objects.filter(document__version=1).count()


def test_skip_invalid_imports_the_rest_and_writes_the_rejects(case, write_rows):
    path = write_rows([*ROWS, {"record_id": "r3", "name": "李明", "age": "abc", "event": "killed"}])
    result = import_file(case, path, source_name="S", skip_invalid=True)
    assert (result.rows, result.rows_imported, result.rows_rejected) == (3, 2, 1)
    with open(path.parent / "list.rejected.csv", encoding="utf-8", newline="") as handle:
        rejected = list(csv.reader(handle))
    assert rejected[0][:3] == ["row", "problems", "record_id"]
    assert rejected[1][0] == "4" and rejected[1][1].startswith("age: age 'abc' is not an age")
    assert rejected[1][2:4] == ["r3", "李明"]  # the original cells, for correcting and re-importing
    assert not Record.objects.filter(record_id="r3").exists()
    assert Document.objects.get().rejected_count == 1
