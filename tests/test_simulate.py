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
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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


def _family_rows(folder):
    """Every harassment row of families/, with the true person of its record."""
    with open(folder / "families" / "truth.csv", encoding="utf-8", newline="") as handle:
        truth = {(r["source"], r["record_id"]): r["person_id"] for r in csv.DictReader(handle)}
    out = []
    for key, name in (("f", "Rights monitors"), ("g", "Families' network")):
        for row in read_rows(folder / "families" / f"list_{key}.csv", "utf-8"):
            out.append({**row, "source": name, "person": truth[(name, row["record_id"])]})
    return out


def test_families_leave_the_victims_lists_byte_identical(tmp_path):
    """The families draw from their own random stream: other tests' lists do not move."""
    write_case(simulate_case(SimulationSettings(seed=5, people=300)), tmp_path / "with")
    write_case(simulate_case(SimulationSettings(seed=5, people=300, families=False)), tmp_path / "without")
    made, plain = files(tmp_path / "with"), files(tmp_path / "without")
    assert {k: v for k, v in made.items() if not k.startswith("families/") and k != "truth.json"} == \
        {k: v for k, v in plain.items() if k != "truth.json"}
    assert "families/list_f.csv" in made and not any(k.startswith("families/") for k in plain)


@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_harassment_truth_agrees_with_the_family_lists(tmp_path_factory, seed):
    """Counts per year and kind, relatives and restrictions recomputed from the written rows equal the truth."""
    import datetime as dt

    folder = tmp_path_factory.mktemp("fam")
    write_case(simulate_case(SimulationSettings(seed=seed, people=600)), folder)
    rows = _family_rows(folder)
    events = {(r["person"], r["harassment"], r["event_date"]) for r in rows}  # one event however many lists
    by_year = {}
    for person, kind, date in events:
        entry = by_year.setdefault(date[:4], {"people": set(), "events": 0, "by_kind": {}})
        entry["people"].add(person)
        entry["events"] += 1
        entry["by_kind"][kind] = entry["by_kind"].get(kind, 0) + 1
    truth = json.loads((folder / "families" / "truth_harassment.json").read_text("utf-8"))
    assert {y: {**e, "people": len(e["people"])} for y, e in by_year.items()} == truth["by_year"]
    # A relative's record names a victim's record that exists, and is another person.
    with open(folder / "truth.csv", encoding="utf-8", newline="") as handle:
        victims = {f"{r['source']}:{r['record_id']}": r["person_id"] for r in csv.DictReader(handle)}
    related = {r["person"]: victims[r["relation_of"]] for r in rows if r["relation_of"]}
    assert related and all(person != victim for person, victim in related.items())
    assert {(r["person_id"], r["victim_id"]) for r in truth["relatives"]} == set(related.items())
    day = dt.date(2019, 6, 4)
    restricted = set()
    for r in rows:
        if r["harassment"] not in ("house_arrest", "administrative_detention", "criminal_detention",
                                   "forced_travel", "travel_ban"):
            continue
        start, _, end = r["event_date"].partition("/")
        first = dt.date.fromisoformat(start)
        if r["duration"]:
            last = SimDuration(r["duration"]).add_to(first) - dt.timedelta(days=1)
        else:
            last = dt.date.max if end == ".." else dt.date.fromisoformat(end or start)
        if first <= day <= last:
            restricted.add(r["person"])
    assert sorted(restricted) == truth["restricted_on"]["2019-06-04"]


def SimDuration(text):
    from mingdan.dates.core import parse_duration

    return parse_duration(text)


def test_harassment_peaks_around_each_fourth_of_june():
    """Most events fall around 4 June, and round anniversaries bring more than the years beside them."""
    from mingdan.simulate.harassment_lists import recorded_events

    case = simulate_case(SimulationSettings(seed=3, people=3000))
    events = [e for evs in recorded_events(case.harassment).values() for e in evs]
    near = [e for e in events if (e.start.month, e.start.day) >= (5, 20) and (e.start.month, e.start.day) <= (6, 20)]
    assert len(near) > 0.6 * len(events)  # a month out of twelve holds most of them
    per_year = {y: sum(e.year == y for e in near) for y in range(1990, 2026)}
    for year in (2009, 2014, 2019):
        assert per_year[year] > max(per_year[year - 2], per_year[year + 2])
    kinds = {e.kind for e in events}
    assert {"house_arrest", "administrative_detention", "travel_ban", "forced_travel"} <= kinds
    assert all(e.duration for e in events if e.kind.endswith("_detention"))


def test_a_victim_has_at_most_one_mother_father_and_spouse():
    from collections import Counter

    case = simulate_case(SimulationSettings(seed=9, people=3000))
    ties = Counter((p.victim_id, p.relation) for p in case.harassment.harassed if p.relation)
    assert ties and all(n == 1 for (_, relation), n in ties.items() if relation in ("mother_of", "father_of", "spouse_of"))
    assert any(n == 2 for (_, relation), n in ties.items() if relation == "sibling_of")
