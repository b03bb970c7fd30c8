"""A list's source name is its own: not one mingdan writes itself, not invisible characters, not a look-alike of
another source (an outside tester, rt44, reverted every amendment of a case by uploading a list under the name
amendments are kept under, and made sources that read like existing ones)."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed

ROW = [{"record_id": "R1", "name": "张三", "event": "killed"}]


@pytest.mark.parametrize(("name", "reason"), [
    ("Amendments entered in mingdan", "mingdan's own"), ("Relations entered in mingdan", "mingdan's own"),
    ("count claims file", "mingdan's own"), ("Ｓlist", "reads like the existing source 'Slist'"),
    ("SLIST", "reads like the existing source 'Slist'"), ("Slіst", "reads like the existing source 'Slist'"),
    ("Slist\u200b", "control or invisible"), ("\u202eevil", "control or invisible"), ("tab\tname", "control"),
    ("x" * 201, "longer than 200"), ("relations entered in mingdan", "mingdan's own"),
    *((f"Slist{blank}", "invisible") for blank in ("\ufe0f", "\u3164", "\u2800", "\u115f", "\u034f")),
])
def test_a_source_name_that_is_not_its_own_is_refused(case, write_rows, name, reason):
    from mingdan.store.models import Record

    import_file(case, write_rows(ROW, name="first.csv"), source_name="Slist")
    with pytest.raises(ImportFailed, match="source name") as refused:
        import_file(case, write_rows([{**ROW[0], "record_id": "R2"}], name="second.csv"), source_name=name)
    assert reason in str(refused.value.problems[0])
    assert Record.objects.count() == 1


def test_a_new_version_under_the_same_name_and_a_new_source_are_still_taken(case, write_rows):
    first = import_file(case, write_rows(ROW, name="first.csv"), source_name="Slist")
    again = import_file(case, write_rows([{**ROW[0], "name": "李四"}], name="second.csv"), source_name="Slist")
    other = import_file(case, write_rows(ROW, name="third.csv"), source_name="Slist B")
    assert (first.version, again.version, other.version) == (1, 2, 1)
