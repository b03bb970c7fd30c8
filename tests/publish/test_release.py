"""The release: nothing restricted or unconsented leaves, small counts are suppressed, the signature holds."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mingdan.publish.disclosure import neutralise
from mingdan.publish.release import ReleaseError, publish
from mingdan.publish.signing import verify


def _release(case, tmp_path, write_rows, rows, name="out"):
    from mingdan.ingest.importer import import_file

    header = ["record_id", "name", "sex", "age", "place", "event", "event_date", "notes", "consent_publish_name", "risk"]
    import_file(case, write_rows(rows, header=header, name=f"{name}.csv"), source_name=f"List {name}")
    return publish(case, tmp_path / name)


def _all_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["同意", "不同意", "撤回", ""]), st.booleans(), st.sampled_from(["西城区", "海淀区", "丰台区"]),
                          st.sampled_from(["killed", "detained", "disappeared"])), min_size=3, max_size=25))
def test_nothing_restricted_or_unconsented_leaves_and_small_counts_are_hidden(db, no_pdf, tmp_path_factory, people):
    import pytest as _pytest  # noqa: F401  (hypothesis runs this body many times inside one test)
    from django.db import transaction

    from mingdan.store.case import init_case

    tmp_path = tmp_path_factory.mktemp("release")
    with transaction.atomic():
        case = init_case(tmp_path / "case", setup_database=False)
        rows = []
        for index, (consent, risky, place, event) in enumerate(people):
            rows.append({"record_id": f"R{index}", "name": f"秘名{index:03d}", "age": "30", "place": place,
                         "event": event, "event_date": "1989-06", "notes": f"证人秘密{index:03d}",
                         "consent_publish_name": consent, "risk": f"风险{index:03d}" if risky else ""})
        path = tmp_path / "list.csv"
        import csv

        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        from mingdan.ingest.importer import import_file

        import_file(case, path, source_name="Families")
        result = publish(case, tmp_path / "release", license="CC0-1.0")
        content = _all_bytes(tmp_path / "release").decode("utf-8", errors="replace")
        for index, (consent, risky, _, _) in enumerate(people):
            assert f"证人秘密{index:03d}" not in content and f"风险{index:03d}" not in content
            named = f"秘名{index:03d}" in content
            assert named == (consent == "同意" and not risky), (index, consent, risky)
        counts = json.dumps([row for row in _csv(tmp_path / "release" / "data" / "counts_by_place.csv")])
        for row in _csv(tmp_path / "release" / "data" / "counts_by_place.csv"):
            for key in ("killed", "died_in_custody", "detained", "missing"):
                assert row[key] == "suppressed" or row[key] == "0" or int(row[key]) >= 5, counts
        assert result["threshold"] == 5
        transaction.set_rollback(True)


def _csv(path):
    import csv

    with open(path, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_verify_rejects_one_changed_byte_and_frictionless_validates(case, tmp_path, write_rows, no_pdf):
    rows = [{"record_id": f"A{i}", "name": f"张伟{i}", "event": "killed", "place": "西城区", "consent_publish_name": "同意"}
            for i in range(8)]
    _release(case, tmp_path, write_rows, rows)
    release = tmp_path / "out"
    assert verify(release) == []
    checked = subprocess.run([sys.executable, "-m", "frictionless", "validate", str(release / "data" / "datapackage.json")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout[-2000:]
    target = release / "data" / "accounting.csv"
    data = bytearray(target.read_bytes())
    data[-2] = data[-2] ^ 1
    target.write_bytes(bytes(data))
    assert any("accounting.csv: changed" in p for p in verify(release))


def test_a_withdrawn_name_is_never_published_again(case, tmp_path, write_rows, no_pdf):
    from mingdan.store.models import Consent, Record

    rows = [{"record_id": f"A{i}", "name": f"李明{i}", "event": "killed", "consent_publish_name": "同意"} for i in range(6)]
    first = _release(case, tmp_path, write_rows, rows)
    assert first["named"] == 6
    record = Record.objects.get(record_id="A0")
    Consent.objects.create(record=record, purpose="publish_name", status="withdrawn", given_by="family")
    second = publish(case, tmp_path / "second")
    assert second["named"] == 5 and "李明0" not in _all_bytes(tmp_path / "second").decode("utf-8", errors="replace")


def test_formulas_are_neutralised_and_suppression_has_complements():
    from mingdan.publish.protection import Relations, protect

    assert neutralise("=HYPERLINK(1)") == "'=HYPERLINK(1)" and neutralise("-3") == "'-3" and neutralise("王") == "王"
    # A 2 x 2 table published with its row, column and grand totals.
    cells = {("a", "x"): 3, ("a", "y"): 40, ("b", "x"): 20, ("b", "y"): 30}
    values = {**cells, ("a", "+"): 43, ("b", "+"): 50, ("+", "x"): 23, ("+", "y"): 70, ("+", "+"): 93}
    lines = [[("a", "x"), ("a", "y"), ("a", "+")], [("b", "x"), ("b", "y"), ("b", "+")],
             [("a", "x"), ("b", "x"), ("+", "x")], [("a", "y"), ("b", "y"), ("+", "y")],
             [("+", "x"), ("+", "y"), ("+", "+")]]
    relations = Relations(values=values, counts=set(values), equal=[{a: 1, b: 1, total: -1} for a, b, total in lines],
                          totals={k for k in values if "+" in k})
    outcome = protect(relations, 5)
    assert outcome.small == {("a", "x")} and outcome.complementary == {("a", "y"), ("b", "x"), ("b", "y")}
    low, high = outcome.intervals[("a", "x")]
    assert low <= 0 and high >= 5  # from the totals, a reader can tell it neither from 0 nor from 5


def test_an_existing_folder_is_refused(case, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(ReleaseError, match="not empty"):
        publish(case, tmp_path / "full")


def test_cells_whose_columns_have_no_total_are_complemented_along_rows_only():
    from mingdan.publish.suppression import suppress_tables

    spread = {"killed": (12, 6, 6, 0), "died_in_custody": (2, 2, 0, 0), "detained": (29, 19, 3, 7)}
    columns = ("named_people", "named_by_1_source", "named_by_2_sources", "named_by_3_or_more_sources")
    tables = {"accounting": [{"category": c, **dict(zip(columns, counts))} for c, counts in spread.items()]}
    suppress_tables(tables, 5)
    shown = {row["category"]: tuple(v if isinstance(v, int) else "hidden" for v in map(row.get, columns))
             for row in tables["accounting"]}
    assert shown["killed"] == (12, 6, 6, 0)  # no column total could give the 2 of died in custody back
    assert shown["died_in_custody"] == ("hidden", "hidden", 0, 0)
    assert shown["detained"] == (29, 19, "hidden", "hidden")  # the row total would: a complement
