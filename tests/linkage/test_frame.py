"""The linkage frame read a chunk of records at a time is the same as read at once."""

from __future__ import annotations

from mingdan.ingest.importer import import_file
from mingdan.linkage.frame import COLUMNS, frame_table, record_frame


def test_chunks_give_the_same_frame(case, write_rows):
    rows = [{"record_id": f"R{n}", "name": name, "age": str(20 + n), "sex": "male", "place": "西城区",
             "event": "killed", "event_date": "1989-06-04"}
            for n, name in enumerate(["陳大文", "Chen Dawen", "王伟", "Ch'en Ta-wen", "Chan Tai Man", "李明"] * 4)]
    import_file(case, write_rows(rows), source_name="A list")
    whole = record_frame()
    assert len(whole) == 24
    for chunk in (1, 5, 24, 100):
        table = frame_table(chunk=chunk)
        assert table.column_names == list(COLUMNS)
        # The order of rows does not matter to the linkage; each record's row must be the same.
        by_id = lambda rows: {row["unique_id"]: row for row in rows}  # noqa: E731
        assert by_id(table.to_pylist()) == by_id(whole)
