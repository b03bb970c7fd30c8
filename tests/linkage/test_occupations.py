"""Occupations read as a kind of work and a place of work, in either script or English (occupations.py)."""

from __future__ import annotations

import pytest

from mingdan.linkage.occupations import Occupation, read_occupation


@pytest.mark.parametrize(("written", "kind", "at"), [
    ("工人", "worker", None),
    ("worker", "worker", None),
    ("Factory Worker", "worker", None),
    ("退休工人", "retired", None),  # the longer form wins over the 工人 it ends with
    ("retired worker", "retired", None),
    ("个體戶", "self-employed", None),  # traditional characters read as simplified
    ("Self-employed", "self-employed", None),
    ("北京大学学生", "student", "bj:beijingdaxue"),
    ("北大學生", "student", "bj:beijingdaxue"),  # a 学生 of 北大, not a 大学生 of 北
    ("student, Peking University", "student", "bj:beijingdaxue"),
    ("Peking University student", "student", "bj:beijingdaxue"),
    ("学生（北京大学）", "student", "bj:beijingdaxue"),
    ("北京大学生", "student", None),  # a university student of Beijing: a city is not a place of work
    ("Tsinghua University student", "student", "bj:qinghuadaxue"),
    ("student at Beijing Institute of Technology", "student", "bj:beijingligongdaxue"),
    ("北京理工大学学生", "student", "bj:beijingligongdaxue"),
    ("北京工业学院学生", "student", "bj:beijingligongdaxue"),  # the name of 1989
    ("中科院研究人员", "researcher", "bj:kexueyuan"),
    ("北京第一机床厂工人", "worker", None),  # a works the gazetteer does not know, read as Beijing: none to tell apart
    ("worker, Capital Iron and Steel", "worker", "~capitalironsteel"),  # unknown: never a contradiction
    ("炊事员", "cook", None),
    ("beekeeper", "beekeeper", None),  # not a known kind: compared as written, folded
    ("  Bee  Keeper ", "bee keeper", None),
])
def test_an_occupation_is_read_in_any_script_or_english(written, kind, at):
    read = read_occupation(written)
    assert read == Occupation(kind, at), read


def test_nothing_written_is_no_occupation():
    assert read_occupation(None) is None and read_occupation("  ") is None


def _row(record_id: str, name: str, **fields) -> dict:
    return {"record_id": record_id, "name": name, "sex": "male", "event": "killed", "event_date": "1989-06-04",
            **fields}


def test_linkage_compares_the_kind_of_work_not_the_words(case, write_rows):
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.explain import explain_pair
    from mingdan.linkage.run import link_case
    from mingdan.store.models import Record

    people = ["王建国", "李文华", "张小兵", "刘志明", "陈国庆", "杨建军", "赵一鸣", "周四海"]
    mainland = [_row(f"M{i}", n, occupation=o) for i, (n, o) in enumerate(zip(people, [
        "工人", "北京大学学生", "清华大学学生", "司机", "教师", "个体户", "职员", "工人"]))]
    english = [_row(f"E{i}", n, occupation=o) for i, (n, o) in enumerate(zip(people, [
        "worker", "student, Peking University", "student, Peking University", "teacher", "Teacher", "self-employed",
        "office clerk", None]))]
    import_file(case, write_rows(mainland, name="mainland.csv"), source_name="mainland")
    import_file(case, write_rows(english, name="english.csv"), source_name="english")
    link_case(case)

    def occupation(a: str, b: str) -> dict:
        pair = explain_pair(Record.objects.get(record_id=a), Record.objects.get(record_id=b))
        return next(row for row in pair["fields"] if row["field"] == "occupation")

    for same in ("0", "1", "4", "5", "6"):  # 工人 and worker, a student of 北大 written twice, ...
        row = occupation(f"M{same}", f"E{same}")
        assert row["meaning"] == "same occupation" and row["weight"] > 0, row
    assert occupation("M2", "E2")["meaning"] == "different"  # 清华 against 北大: two places of work
    assert occupation("M3", "E3")["meaning"] == "different"  # a driver, a teacher
    assert occupation("M7", "E7")["meaning"] == "missing on one side or both"
    # The compared values are shown as the lists wrote them.
    assert occupation("M0", "E0")["left"] == "工人" and occupation("M0", "E0")["right"] == "worker"
