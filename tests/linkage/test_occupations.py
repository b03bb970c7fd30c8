"""Occupations read as a kind of work and a place of work, in either script or English (occupations.py)."""

from __future__ import annotations

import pytest

from mingdan.linkage.occupations import read_occupation


@pytest.mark.parametrize(("written", "kind", "at"), [
    ("工人", "worker", None),
    ("worker", "worker", None),
    ("Factory Worker", "worker", None),
    ("ｗｏｒｋｅｒ", "worker", None),  # full width
    ("个體戶", "self-employed", None),  # traditional characters read as simplified
    ("Self-employed", "self-employed", None),
    ("北京大学学生", "university student", "bj:beijingdaxue"),
    ("北大學生", "university student", "bj:beijingdaxue"),  # a 学生 of 北大, not a 大学生 of 北
    ("student, Peking University", "university student", "bj:beijingdaxue"),
    ("Peking University student", "university student", "bj:beijingdaxue"),
    ("student, Peking Univ.", "university student", "bj:beijingdaxue"),
    ("北京大学 student", "university student", "bj:beijingdaxue"),  # mixed scripts
    ("学生（北京大学）", "university student", "bj:beijingdaxue"),
    ("北京大学生", "university student", None),  # a university student of Beijing: a city is not a place of work
    ("Tsinghua student", "university student", "bj:qinghuadaxue"),
    ("student, People's University", "university student", "bj:renmindaxue"),
    ("student at Beijing Institute of Technology", "university student", "bj:beijingligongdaxue"),
    ("北京工业学院学生", "university student", "bj:beijingligongdaxue"),  # the name of 1989
    ("学生", "student", None),
    ("students", "student", None),
    ("小学生", "primary pupil", None),
    ("中学生", "secondary student", None),
    # A school that belongs to a university is not the university (an outside tester).
    ("北京大学附属中学学生", "secondary student", "~北京大学附属中学学生"),
    ("清华大学附中学生", "secondary student", "~清华大学附中学生"),
    # Retired: the work it names, or nothing said of the work.
    ("退休工人", "worker", None),
    ("Worker (retired)", "worker", None),
    ("退休干部", "cadre", None),
    # A place of work alone is that place, with no kind.
    ("北京大学", None, "bj:beijingdaxue"),
    ("PKU", None, "bj:beijingdaxue"),
    ("北京大学职工", "clerk", "bj:beijingdaxue"),
    ("staff, Peking University", "clerk", "bj:beijingdaxue"),
    ("中科院研究人员", "researcher", "bj:kexueyuan"),
    ("北京第一机床厂工人", "worker", None),  # a works the gazetteer does not know, read as Beijing: none to tell apart
    ("worker, Capital Iron and Steel", "worker", "~capitalironsteel"),  # unknown: never a contradiction
    ("炊事员", "cook", None),
    ("beekeeper", "beekeeper", None),  # not a known kind: compared as written, folded
    ("  Bee  Keeper ", "bee keeper", None),
])
def test_an_occupation_is_read_in_any_script_or_english(written, kind, at):
    read = read_occupation(written)
    assert (read.kind, read.at) == (kind, at), read


@pytest.mark.parametrize("written", [None, "  ", "—", "-", "N/A", "123", "职业不详", "不清楚", "无", "none", "退休", "retired"])
def test_a_value_that_says_nothing_of_the_work_is_no_occupation(written):
    # Each counted about -3 bits against "worker" (an outside tester); retired alone says nothing of the work.
    assert read_occupation(written) is None


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


def test_two_namesakes_of_one_list_at_two_kinds_of_work_stay_two(case, write_rows):
    # An outside tester's custody list: 张建华 the worker and 张建华 the student, both detained on one day, were
    # counted as one person entered twice (the name's frequency +0.52) and joined at 0.986; so were 王立 of 北大
    # and 王立 of 清华.
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.run import link_case
    from mingdan.store.models import Record

    custody = [{"record_id": rid, "name": name, "sex": "male", "occupation": work, "event": "detained",
                "event_date": day} for rid, name, work, day in [
        ("C01", "张建华", "工人", "1989-06-10"), ("C02", "张建华", "学生", "1989-06-10"),
        ("C03", "李卫东", "个体户", "1989-06-12"), ("C04", "赵红", "教师", "1989-06-11"),
        ("C05", "王立", "北京大学学生", "1989-06-14"), ("C06", "王立", "清华大学学生", "1989-06-14"),
        ("C07", "周平", "工人", "1989-06-15")]]
    press = [{"record_id": rid, "name": name, "sex": "male", "occupation": work, "event": "detained",
              "event_date": day} for rid, name, work, day in [
        ("P01", "Zhang Jianhua", "student", "1989-06-10"), ("P02", "Li Weidong", "self-employed", "1989-06-12"),
        ("P03", "Wang Li", "student, Peking University", "1989-06-14")]]
    import_file(case, write_rows(custody, name="custody.csv"), source_name="custody")
    import_file(case, write_rows(press, name="press.csv"), source_name="press")
    link_case(case)
    person = {r.record_id: r.person_id for r in Record.objects.all()}
    assert person["C01"] != person["C02"] and person["C05"] != person["C06"], person
    assert person["P01"] == person["C02"] and person["P03"] == person["C05"], person


def test_a_place_of_work_written_alone_agrees_with_that_place_in_any_form(case, write_rows):
    # 北京大学 against "Peking University" read as two kinds of work, -3 bits (an outside tester).
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.explain import explain_pair
    from mingdan.linkage.run import link_case
    from mingdan.store.models import Record

    people = ["彭德明", "王志刚", "李文华", "张小兵", "刘志明", "陈国庆"]
    work_a = ["北京大学", "北京大学", "退休工人", "北大附中学生", "无", "工人"]
    work_b = ["Peking University", "student, Tsinghua", "worker", "student, Peking University", "worker", "—"]
    one = [_row(f"A{i}", n, occupation=w) for i, (n, w) in enumerate(zip(people, work_a))]
    two = [_row(f"B{i}", n, occupation=w) for i, (n, w) in enumerate(zip(people, work_b))]
    import_file(case, write_rows(one, name="one.csv"), source_name="one")
    import_file(case, write_rows(two, name="two.csv"), source_name="two")
    link_case(case)

    def meaning(i: int) -> str:
        pair = explain_pair(Record.objects.get(record_id=f"A{i}"), Record.objects.get(record_id=f"B{i}"))
        return next(row for row in pair["fields"] if row["field"] == "occupation")["meaning"]

    assert [meaning(i) for i in range(6)] == [
        "same occupation", "different", "same occupation", "different",
        "missing on one side or both", "missing on one side or both"]
