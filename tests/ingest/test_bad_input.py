"""Every class of bad input gives the precise error and leaves the database as it was."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.count_claims import import_count_claims
from mingdan.ingest.problems import ImportFailed

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")

GOOD = {"record_id": "r1", "name": "陈大文", "sex": "male", "age": "21", "event": "killed",
        "event_date": "1989-06-04", "place": "木樨地"}


def failing(case, snapshot, path, **options) -> list[str]:
    """Import that must fail; returns the problems as text and checks nothing changed."""
    before = snapshot()
    with pytest.raises(ImportFailed) as caught:
        import_file(case, path, **options)
    assert snapshot() == before
    assert not any(case.originals_dir.iterdir())
    return [str(problem) for problem in caught.value.problems]


def test_missing_required_column(case, snapshot, write_rows):
    path = write_rows([{"name": "陈大文"}], header=["name", "sex"])
    assert failing(case, snapshot, path) == [
        f"{path}:record_id: no column is mapped to record_id; every row needs the source's id of its record"
    ]


def test_unknown_column_in_canonical_layout(case, snapshot, write_rows):
    path = write_rows([GOOD], header=["record_id", "name", "hometown"])
    problems = failing(case, snapshot, path)
    assert problems[0].startswith(f"{path}:1:hometown: column 'hometown' is not a canonical column")


def test_unknown_event_type(case, snapshot, write_rows):
    path = write_rows([GOOD, {**GOOD, "record_id": "r2", "event": "vanished"}])
    problems = failing(case, snapshot, path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:3:event: unknown event type 'vanished'; expected one of: killed,")


def test_impossible_date(case, snapshot, write_rows):
    path = write_rows([{**GOOD, "event_date": "1989-02-30"}])
    problems = failing(case, snapshot, path)
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:2:event_date: event_date '1989-02-30': ")
    assert "28" in problems[0]


def test_age_that_is_not_a_number(case, snapshot, write_rows):
    path = write_rows([{**GOOD, "age": "abc"}])
    assert failing(case, snapshot, path) == [
        f"{path}:2:age: age 'abc' is not an age; expected a whole number 0-120 (19, 19岁, 二十三), a range "
        "(30-35, 40多岁, 40s), an approximate age (约40, about 40, ~30) or unknown (不详, unknown, ?)"
    ]


def test_rows_of_one_record_that_contradict(case, snapshot, write_rows):
    path = write_rows([
        {**GOOD, "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "r1", "age": "21", "event": "released", "event_date": "1990"},
        {"record_id": "r1", "age": "22", "event": "harassed", "event_date": "1995"},
    ])
    assert failing(case, snapshot, path) == [
        f"{path}:4:age: age '22' contradicts row 2 of record 'r1', which says '21'"
    ]


def test_every_problem_is_reported_not_only_the_first(case, snapshot, write_rows):
    path = write_rows([{**GOOD, "age": "abc", "sex": "x"}, {**GOOD, "record_id": "r2", "event_date": "1989-13"}])
    problems = failing(case, snapshot, path)
    assert [p.split(": ")[0] for p in problems] == [f"{path}:2:sex", f"{path}:2:age", f"{path}:3:event_date"]


def test_empty_file(case, snapshot, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    assert failing(case, snapshot, path) == [f"{path}: the file is empty"]


def test_header_only(case, snapshot, write_rows):
    path = write_rows([])
    assert failing(case, snapshot, path) == [f"{path}: the file has a header but no rows"]


def test_missing_file(case, snapshot, tmp_path):
    path = tmp_path / "nowhere.csv"
    assert failing(case, snapshot, path) == [f"{path}: file not found"]


def test_mapping_that_names_a_missing_column(case, snapshot, write_rows, tmp_path):
    path = write_rows([{"id": "1", "who": "陈大文"}], header=["id", "who"])
    mapping = tmp_path / "map.yaml"
    mapping.write_text("source: {name: S}\ncolumns:\n  id: record_id\n  who: name\n  when: event_date\n", "utf-8")
    assert failing(case, snapshot, path, mapping_path=mapping) == [
        f"{mapping}:when: the mapping names column 'when', which {path} does not have (its columns: id, who)"
    ]


def test_wrong_encoding(case, snapshot, write_rows):
    path = write_rows([GOOD, {**GOOD, "record_id": "r2", "name": "王伟"}], encoding="gb18030")
    problems = failing(case, snapshot, path, encoding="utf-8")
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}:2: bytes ")
    assert "are not valid utf-8" in problems[0] and "--encoding" in problems[0]


def test_ragged_row(case, snapshot, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("record_id,name\nr1,陈大文\nr2,王伟,extra\n", "utf-8")
    assert failing(case, snapshot, path) == [
        f"{path}:3: row has 3 cells but the header has 2; check for a stray delimiter or a missing quote"
    ]


def test_a_ragged_row_does_not_hide_the_other_rows_problems(case, snapshot, tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("record_id,name,age\nr1,陈大文,abc\nr2,王伟,30,extra\nr3,李四,\n,张三,40\n", "utf-8")
    problems = failing(case, snapshot, path)
    assert len(problems) == 3, problems
    assert problems[0].startswith(f"{path}:2:age: ")
    assert problems[1] == f"{path}:3: row has 4 cells but the header has 3; check for a stray delimiter or a missing quote"
    assert problems[2].startswith(f"{path}:5:record_id: record_id is empty")


def test_a_wrong_delimiter_stops_after_a_hundred_misshapen_rows(case, snapshot, tmp_path):
    path = tmp_path / "semicolons.csv"
    path.write_text("record_id,name\n" + "".join(f"r{i},名{i},x\n" for i in range(300)), "utf-8")
    problems = failing(case, snapshot, path)
    assert len(problems) == 101 and "is the delimiter right?" in problems[-1]


def test_record_without_a_name(case, snapshot, write_rows):
    path = write_rows([{**GOOD, "name": ""}])
    problems = failing(case, snapshot, path)
    assert problems == [f"{path}:2:name: record 'r1' has no name on its first row; write 'unknown' if the source does not name the person"]


def test_sentence_on_an_event_that_has_none(case, snapshot, write_rows):
    path = write_rows([{**GOOD, "sentence": "P10Y"}])
    problems = failing(case, snapshot, path)
    assert problems[0].startswith(f"{path}:2:sentence: a sentence is given for event 'killed'")


def test_too_long_value_is_refused_not_truncated(case, snapshot, write_rows):
    path = write_rows([{**GOOD, "place": "街" * 301}])
    assert failing(case, snapshot, path) == [f"{path}:2:place: place is 301 characters long; the limit is 300"]


def test_negative_count_claim(case, snapshot, tmp_path):
    path = tmp_path / "claims.csv"
    path.write_text("metric,scope,as_of,min,best,max,includes,source,cited_in,verification\n"
                    "killed,Beijing,1989-06,,-3,,,X,Y,unverified\n", "utf-8")
    before = snapshot()
    with pytest.raises(ImportFailed) as caught:
        import_count_claims(case, path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:2:best: '-3': a count cannot be negative"]
    assert snapshot() == before
