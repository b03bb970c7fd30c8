"""Years outside a plausible range and durations of nothing are refused with row and column, unless the
mapping says the column does reach that far."""

from __future__ import annotations

import datetime as dt

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.store.models import Claim

pytestmark = pytest.mark.usefixtures("import_path")


def test_implausible_years_are_refused_with_row_and_column(case, write_rows, snapshot):
    before = snapshot()
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    path = write_rows([
        {"record_id": "Y1", "name": "陈大文", "event": "killed", "event_date": "0219-06-04"},
        {"record_id": "Y2", "name": "王伟", "event": "killed", "event_date": "2091-06-04"},
        {"record_id": "Y3", "name": "李强", "event": "killed", "event_date": tomorrow},
        {"record_id": "Y4", "name": "张三", "birth": "1065", "event": "killed", "event_date": "1989-06-04"},
        {"record_id": "Y5", "name": "赵敏", "event": "killed", "event_date": "/1989-06-04"},
        {"record_id": "Y6", "name": "刘洋", "event": "detained", "event_date": "1989-06-10/.."},
    ])
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    found = {(problem.row, problem.column): problem.reason for problem in failure.value.problems}
    assert set(found) == {(2, "event_date"), (3, "event_date"), (4, "event_date"), (5, "birth")}
    assert "is before 1800" in found[(2, "event_date")] and "years_from" in found[(2, "event_date")]
    assert "after the day of the import" in found[(3, "event_date")] and "allow_future" in found[(3, "event_date")]
    assert "after the day of the import" in found[(4, "event_date")]
    assert snapshot() == before


def test_the_mapping_can_allow_earlier_years_and_dates_to_come(case, tmp_path):
    (tmp_path / "l.csv").write_text("id,name,born,when\n1,王伟,1765,2091-06-04\n", "utf-8")
    (tmp_path / "m.yaml").write_text(
        "source: {name: S}\ncolumns:\n  id: record_id\n  name: name\n  born: {field: birth, years_from: 1700}\n"
        "  when: {field: event_date, allow_future: true}\nconstants: {event: detained}\n", "utf-8")
    import_file(case, tmp_path / "l.csv", mapping_path=tmp_path / "m.yaml")
    assert set(Claim.objects.filter(field__in=("birth", "event_date")).values_list("normalized", flat=True)) == \
        {"1765", "2091-06-04"}


@pytest.mark.parametrize("written", ["0天", "P0D", "0 days", "零天"])
def test_a_duration_of_nothing_is_refused(case, write_rows, written):
    path = write_rows([{"record_id": "1", "name": "王母", "event": "harassed", "harassment": "软禁",
                        "duration": written}], header=["record_id", "name", "event", "harassment", "duration"])
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (2, "duration") and "is zero" in problem.reason
