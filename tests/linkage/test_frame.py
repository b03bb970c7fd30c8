"""The linkage frame read a chunk of records at a time is the same as read at once."""

from __future__ import annotations

from mingdan.ingest.importer import import_file
from mingdan.linkage.frame import COLUMNS, frame_table, linkage_name, record_frame


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


def test_a_romanized_name_is_compared_by_the_characters_the_record_also_gives(case, write_rows):
    rows = [
        # A Hong Kong press list: the Cantonese spelling as the name, the characters beside it.
        {"record_id": "HK1", "name": "Wong Wai", "name_variants": "王衛", "event": "killed", "event_date": "1989-06-04"},
        {"record_id": "HK2", "name": "Wong Wai", "event": "killed", "event_date": "1989-06-04"},
        # Characters as the name: a romanized variant beside them changes nothing.
        {"record_id": "ZH1", "name": "王伟", "name_variants": "Wang Wei", "event": "killed", "event_date": "1989-06-04"},
    ]
    import_file(case, write_rows(rows), source_name="Press list")
    frame = {row["record_id"]: row for row in record_frame()}
    assert frame["HK1"]["name"] == "王衛" and frame["HK1"]["characters_key"] == "王卫"
    assert frame["HK2"]["name"] == "Wong Wai" and frame["HK2"]["characters_key"] is None
    assert frame["ZH1"]["name"] == "王伟" and frame["ZH1"]["characters_key"] == "王伟"
    # A record without a legal name (an amended one) is compared by its variant in characters first.
    assert linkage_name(None, "Lee Fu", "李富") == "李富" and linkage_name(None, "Lee Fu", None) == "Lee Fu"
    # The characters' readings replace the dozens a Cantonese spelling allows.
    assert len(frame["HK1"]["sound_readings"]) < len(frame["HK2"]["sound_readings"])


def test_a_record_is_compared_by_its_first_sentence(case, write_rows):
    rows = [
        {"record_id": "C1", "name": "刘建", "event": "sentenced", "event_date": "1989-11-02", "sentence": "有期徒刑十三年"},
        {"record_id": "C1", "name": "", "event": "reduced", "event_date": "1995-01-10", "sentence": "减刑两年"},
        {"record_id": "I1", "name": "Liu Jian", "event": "sentenced", "event_date": "1989-11", "sentence": "13 years"},
        {"record_id": "L1", "name": "王军涛", "event": "sentenced", "event_date": "1991-02-12", "sentence": "无期徒刑"},
        {"record_id": "N1", "name": "王伟", "event": "detained", "event_date": "1989-06-10"},
    ]
    import_file(case, write_rows(rows), source_name="Custody list")
    frame = {row["record_id"]: row for row in record_frame()}
    # The same term however written; a later reduction is not the sentence.
    assert frame["C1"]["sentence"] == frame["I1"]["sentence"] == "fixed P13Y"
    assert frame["L1"]["sentence"] == "life"
    assert frame["N1"]["sentence"] is None
