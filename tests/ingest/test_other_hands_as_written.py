"""The hand-typed lists of the second generator (tests/fixtures/other_hands, typed without reading this
code) read as written: their mappings spell out each date and age with `values`; without those tables
the importer reads the same cells to the same meaning (a night: its day and the next)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from mingdan.dates import parse_date
from mingdan.ingest.ages import parse_age
from mingdan.ingest.importer import import_file
from mingdan.store.models import Claim

OTHER_HANDS = Path(__file__).resolve().parents[1] / "fixtures" / "other_hands"
MAPPINGS = sorted(p for p in OTHER_HANDS.rglob("*.yaml") if "untitled" not in p.name)


def _translations(field: str):
    for mapping in MAPPINGS:
        for column, spec in yaml.safe_load(mapping.read_text("utf-8"))["columns"].items():
            if isinstance(spec, dict) and spec.get("field") == field:
                for written, meant in (spec.get("values") or {}).items():
                    yield pytest.param(str(written), str(meant), id=f"{mapping.name}:{written}")


@pytest.mark.parametrize("written, meant", list(_translations("event_date")))
def test_each_date_the_typist_translated_reads_to_a_span_holding_it(written, meant):
    ours, theirs = parse_date(written, default_year=1989), parse_date(meant)
    assert ours.earliest <= theirs.earliest and theirs.latest <= ours.latest, (ours, theirs)
    assert (ours.latest - ours.earliest).days <= (theirs.latest - theirs.earliest).days + 1  # at most a day wider


@pytest.mark.parametrize("written, meant", list(_translations("age")))
def test_each_age_the_typist_translated_reads_the_same(written, meant):
    assert parse_age(written)[2:] == parse_age(meant)[2:]


@pytest.mark.usefixtures("import_path")
def test_the_roster_with_a_title_row_imports_without_its_values_tables(case, tmp_path):
    mapping = yaml.safe_load((OTHER_HANDS / "a_roster.xlsx.yaml").read_text("utf-8"))
    for spec in mapping["columns"].values():
        if isinstance(spec, dict) and spec["field"] in ("event_date", "age"):
            spec.pop("values")
            if spec["field"] == "event_date":
                spec["default_year"] = 1989
    (tmp_path / "a_roster.xlsx.yaml").write_text(yaml.safe_dump(mapping, allow_unicode=True), "utf-8")
    shutil.copy(OTHER_HANDS / "a_roster.xlsx", tmp_path)
    result = import_file(case, tmp_path / "a_roster.xlsx", mapping_path=tmp_path / "a_roster.xlsx.yaml")
    assert (result.rows_imported, result.header_row) == (36, 2)
    kinds = {c.kind for c in Claim.objects.filter(field="age")}
    assert kinds <= {"exact", "range", "approximate", "unknown"} and "range" in kinds
    assert Claim.objects.filter(field="event_date", normalized="1989-06-03/1989-06-04").exists()
