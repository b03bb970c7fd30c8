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


def test_the_mapping_can_say_reduced_rows_state_the_new_sentence(case, tmp_path):
    import datetime as dt

    from mingdan.store.models import CustodyEvent
    from mingdan.track.status import person_status

    (tmp_path / "l.csv").write_text(
        "编号,姓名,事件,日期,刑期\n"
        "A1,陈大文,detained,1989-06-10,\n"
        "A1,,sentenced,1990-01-05,无期徒刑\n"
        "A1,,reduced,1995-03-01,有期徒刑20年\n", "utf-8")
    (tmp_path / "m.yaml").write_text(
        "source: {name: Court}\ncolumns:\n  编号: record_id\n  姓名: name\n  事件: event\n  日期: event_date\n"
        "  刑期: {field: sentence, reduced_as: new_sentence}\n", "utf-8")
    import_file(case, tmp_path / "l.csv", mapping_path=tmp_path / "m.yaml")
    reduced = CustodyEvent.objects.get(event__event_type="reduced")
    assert (reduced.sentence_kind, reduced.term) == ("fixed", "P20Y")
    status = person_status(case, "Court:A1", dt.date(2000, 1, 1))
    # Life reduced to 20 years: the term runs from the ruling (PRC rules), not cut from an endless sentence.
    assert (status["sentence"], status["expected_release_earliest"]) == ("P20Y", "2015-03-01")


def test_a_cut_in_a_column_declared_to_hold_new_sentences_is_refused(case, tmp_path):
    (tmp_path / "l.csv").write_text(
        "编号,姓名,事件,日期,刑期\nA1,陈大文,sentenced,1990-01-05,无期徒刑\nA1,,reduced,1995-03-01,减刑1年\n", "utf-8")
    (tmp_path / "m.yaml").write_text(
        "source: {name: Court}\ncolumns:\n  编号: record_id\n  姓名: name\n  事件: event\n  日期: event_date\n"
        "  刑期: {field: sentence, reduced_as: new_sentence}\n", "utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_file(case, tmp_path / "l.csv", mapping_path=tmp_path / "m.yaml")
    [problem] = failure.value.problems
    assert (problem.row, problem.column) == (3, "刑期") and "reduced_as: new_sentence" in problem.reason
