"""A record torn between two records of one list joins neither through a third record (linkage/ties.py)."""

from __future__ import annotations

from mingdan.ingest.importer import import_file
from mingdan.linkage.run import link_case


def test_a_record_tied_between_two_of_one_list_is_not_joined_through_a_third(case, write_rows):
    # An outside tester (rt45): Hong Kong `Wong Lai` scored 0.48 against both 黄丽 and 王丽 of the mainland list, yet
    # joined 黄丽's person through the international list's `Huang Li`, which is 黄丽 romanized and says no more.
    from mingdan.linkage.explain import explain_pair
    from mingdan.store.models import Record

    def row(record_id, name, **values):
        return {"record_id": record_id, "name": name, "event": "killed", "event_date": "1989-06-04", **values}

    filler = [row(f"F{i}", name, sex="male", age=str(20 + i), place="海淀区")
              for i, name in enumerate(["赵一鸣", "钱二平", "孙三立", "李四海", "周五洲", "吴六合", "郑七星", "冯八方"])]
    import_file(case, write_rows(filler + [row("M07", "黄丽", sex="female", age="约30", place="北京市朝阳区"),
                                           row("M08", "王丽", sex="female", age="30", place="北京市丰台区")],
                                 name="mainland.csv"), source_name="mainland")
    import_file(case, write_rows([row("I09", "Huang Li", sex="female", age="30", place="Chaoyang District, Beijing"),
                                  row("I10", "Zhao Yiming", sex="male", age="20", place="Haidian")],
                                 name="international.csv"), source_name="international")
    import_file(case, write_rows([row("H05", "Wong Lai", sex="female", place="Peking"),
                                  row("H06", "Chiu Yat Ming", sex="male", place="Peking")],
                                 name="hongkong.csv"), source_name="hongkong")
    link_case(case)
    records = {r.record_id: r for r in Record.objects.all()}
    assert records["I09"].person_id == records["M07"].person_id  # 黄丽 romanized is 黄丽
    assert records["H05"].person_id not in (records["M07"].person_id, records["M08"].person_id)
    assert records["H06"].person_id == records["I10"].person_id == records["F0"].person_id  # no tie: joined
    assert "tied" in explain_pair(records["H05"], records["I09"])["kept_apart"]
