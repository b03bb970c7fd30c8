"""The simulator: deterministic, consistent with its truth, and as messy as real lists."""

from __future__ import annotations

import csv
import json

import numpy as np
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mingdan.simulate import SimulationSettings, simulate_case, write_case
from mingdan.simulate.layouts import LAYOUTS


def files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes_and_different_seed_differs(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_case(simulate_case(SimulationSettings(seed=seed, people=300)), tmp_path / name)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a")["list_a.csv"] != files(tmp_path / "c")["list_a.csv"]


def test_bundled_demo_is_what_the_documented_command_makes(tmp_path):
    """examples/README.md says how the demo lists were made; a simulator change must regenerate them."""
    from pathlib import Path

    write_case(simulate_case(SimulationSettings(seed=7, people=1500)), tmp_path / "demo")
    bundled = Path(__file__).resolve().parents[1] / "examples" / "demo"
    made = files(tmp_path / "demo")
    assert {k: v for k, v in files(bundled).items() if k in made} == made


def read_rows(path, encoding):
    if path.suffix == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(path, read_only=True).active
        rows = [[("" if c is None else str(c)) for c in r] for r in sheet.iter_rows(values_only=True)]
        return [dict(zip(rows[0], r)) for r in rows[1:]]
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding))
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


@settings(max_examples=5, deadline=None)
@given(seed=st.integers(0, 10_000), people=st.integers(50, 400))
def test_truth_agrees_with_the_files(tmp_path_factory, seed, people):
    folder = tmp_path_factory.mktemp("sim")
    case = simulate_case(SimulationSettings(seed=seed, people=people))
    write_case(case, folder)
    with open(folder / "truth.csv", encoding="utf-8", newline="") as handle:
        truth = {(r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle)}
    listed = set()
    for style in case.styles:
        path = folder / f"list_{style.key}.{style.file_format}"
        mapping = yaml.safe_load((path.with_suffix(".yaml")).read_text("utf-8"))
        rows = read_rows(path, style.encoding or "utf-8")
        id_column = next(c for c, spec in mapping["columns"].items() if spec == "record_id")
        if rows:
            assert set(rows[0]) == set(mapping["columns"])  # the mapping names every column
        listed |= {(style.name, row[id_column]) for row in rows}
    assert listed == set(truth)
    summary = json.loads((folder / "truth.json").read_text("utf-8"))
    assert sum(summary["by_category"].values()) == people == summary["people"]


def test_capture_differs_by_stratum_and_lists_hold_duplicates():
    case = simulate_case(SimulationSettings(seed=11, people=4000))
    by_stratum = {}
    for person in case.people:
        by_stratum.setdefault(person.stratum, []).append(person.person_id)
    hong_kong = {row.person_id for row in case.rows["b"]}
    rates = [np.mean([pid in hong_kong for pid in ids]) for ids in by_stratum.values()]
    assert max(rates) - min(rates) > 0.05
    duplicates = {}
    for row in case.rows["c"]:
        duplicates.setdefault(row.person_id, set()).add(row.record_id)
    assert any(len(ids) > 1 for ids in duplicates.values())


def test_custody_histories_run_forward_in_time():
    case = simulate_case(SimulationSettings(seed=5, people=2000))
    detained = [p for p in case.people if p.category == "detained"]
    assert detained
    for person in detained:
        dates = [e.date for e in person.events]
        assert dates == sorted(dates), person.events
        assert person.events[0].event == "detained"
        assert person.events[-1].event in ("released", "paroled", "died_in_custody")


def test_the_demo_lists_import_without_a_problem(case):
    from mingdan.demo import EXAMPLES, demo_lists
    from mingdan.ingest.importer import import_file

    results = [import_file(case, path, mapping_path=mapping) for path, mapping in demo_lists()]
    assert [r.rows_rejected for r in results] == [0] * 5
    records = sum(r.records_new for r in results)
    with open(EXAMPLES / "truth.csv", encoding="utf-8") as handle:
        assert records == sum(1 for _ in handle) - 1
    assert 2000 <= records <= 5000
