"""A 'reduced' row carries the amount a term was cut by; a whole sentence there is refused, not read as a cut."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed

pytestmark = pytest.mark.usefixtures("import_path")


@pytest.mark.parametrize("written", ["有期徒刑15年", "判处10年", "15 years imprisonment", "减为有期徒刑20年"])
def test_a_whole_sentence_in_a_reduced_row_is_refused_with_what_to_write(case, write_rows, snapshot, written):
    before = snapshot()
    path = write_rows([
        {"record_id": "A1", "name": "陈大文", "event": "sentenced", "event_date": "1989-09-01", "sentence": "P20Y"},
        {"record_id": "A1", "event": "reduced", "event_date": "1995-06-01", "sentence": written},
    ])
    with pytest.raises(ImportFailed) as failure:
        import_file(case, path)
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (3, "sentence")
    assert str(problem).startswith(f"{path}:3:sentence: ")
    assert "减刑1年" in problem.reason and "'commuted'" in problem.reason
    assert snapshot() == before


@pytest.mark.parametrize("written", ["减刑1年", "P1Y", "1年", "1 year", "减刑一年"])
def test_a_reduction_amount_is_accepted(case, write_rows, written):
    from mingdan.store.models import CustodyEvent

    path = write_rows([
        {"record_id": "A1", "name": "陈大文", "event": "sentenced", "event_date": "1989-09-01", "sentence": "P20Y"},
        {"record_id": "A1", "event": "reduced", "event_date": "1995-06-01", "sentence": written},
    ])
    import_file(case, path)
    reduced = CustodyEvent.objects.get(event__event_type="reduced")
    assert (reduced.sentence_kind, reduced.term) == ("reduction", "P1Y")
