"""Estimates from a case: capture tables from linked people, stored with their provenance."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from mingdan.estimate import EstimationError
from mingdan.estimating import capture_rows, estimate_case
from mingdan.publish.account import accounting
from mingdan.simulate import SimulationSettings, simulate_case, write_case


@pytest.fixture
def linked_case(case, tmp_path):
    """The simulated lists imported and linked by the simulator's truth (a perfect linkage)."""
    from mingdan.demo import demo_lists
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Person, Record

    simulated = simulate_case(SimulationSettings(seed=4, people=2500))
    folder = tmp_path / "sim"
    write_case(simulated, folder)
    for path, mapping in demo_lists(folder):
        import_file(case, path, mapping_path=mapping)
    truth = {}
    with open(folder / "truth.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[(row["source"], row["record_id"])] = row["person_id"]
    people = {pid: Person.objects.create(person_id=pid) for pid in sorted(set(truth.values()))}
    for record in Record.objects.select_related("source"):
        record.person = people[truth[(record.source.name, record.record_id)]]
        record.save(update_fields=["person"])
    return case, simulated


def test_unlinked_records_are_refused(case, write_rows):
    from mingdan.ingest.importer import import_file

    import_file(case, write_rows([{"record_id": "A1", "name": "陈大文", "event": "killed"}]))
    with pytest.raises(EstimationError, match="not linked"):
        estimate_case(case, "killed", "loglinear")


def test_linked_people_make_the_capture_table_and_the_estimate_is_stored(linked_case):
    from mingdan.store.models import Estimate

    case, simulated = linked_case
    lists, rows, linked = capture_rows("killed")
    true_killed = sum(p.category == "killed" for p in simulated.people)
    assert linked and len(rows) <= true_killed and all(any(r) for r in rows)
    result = estimate_case(case, "killed", "dga", seed=1)
    assert result["observed"] == len(rows) and result["lower"] <= result["estimate"] <= result["upper"]
    assert result["estimate"] > result["observed"]
    stored = Estimate.objects.get(pk=result["estimate_id"])
    assert stored.method == "dga" and stored.input_sha256 and stored.code_version.startswith("0.1.0")
    assert stored.table["lists"] == lists and sum(stored.table["counts"]) == len(rows)
    shown = {c["category"]: c["estimate"] for c in accounting(case, dt.date(2012, 6, 4))["categories"]}
    assert shown["killed"]["estimate"] == pytest.approx(result["estimate"])
    assert shown["detained"] is None
