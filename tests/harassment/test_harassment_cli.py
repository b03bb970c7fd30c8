"""`mingdan harassment` on a simulated case imported through the real import: its counts are the truth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mingdan.simulate import SimulationSettings, simulate_case, write_case
from cli_run import mingdan as run_cli

# The real CLI on the case's own SQLite file: run in the SQLite pass, not collected in the PostgreSQL one.
pytestmark = pytest.mark.sqlite_file
HERE = Path(__file__).resolve().parent


def mingdan(*args: str, check: bool = True):
    return run_cli(*args, check=check, columns=250)


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """A small simulated case with families, imported and linked by its truth."""
    folder = tmp_path_factory.mktemp("harassment")
    case = simulate_case(SimulationSettings(seed=5, people=300))
    write_case(case, folder / "sim")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    built = subprocess.run([sys.executable, str(HERE / "build_case.py"), str(folder / "sim"), str(folder / "case")],
                           env=env, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    truth = json.loads((folder / "sim" / "families" / "truth_harassment.json").read_text("utf-8"))
    return folder / "case", case, truth


def test_counts_per_year_and_kind_equal_the_truth(simulated):
    case_dir, _, truth = simulated
    years = json.loads(mingdan("harassment", "--case", str(case_dir), "--json").stdout)
    assert [y["year"] for y in years] == list(range(int(min(truth["by_year"])), int(max(truth["by_year"])) + 1))
    found = {str(y["year"]): {"people": y["people"], "events": y["events"], "by_kind": y["by_kind"]}
             for y in years if y["events"]}
    assert found == truth["by_year"]
    assert sum(y["relatives"] for y in years) > 0 and all(y["families"] <= y["relatives"] for y in years)
    window = json.loads(mingdan("harassment", "--case", str(case_dir), "--from", "2009", "--to", "2010",
                                "--json").stdout)
    assert [y["year"] for y in window] == [2009, 2010] and window[0]["events"] == truth["by_year"]["2009"]["events"]
    # Most of each year's events fall around 4 June.
    assert sum(y["anniversary"]["events"] for y in years) > 0.5 * sum(y["events"] for y in years)


@pytest.mark.parametrize("day", ["2012-06-04", "2019-06-04"])
def test_still_under_restriction_equals_the_truth_on_a_day(simulated, day):
    case_dir, _, truth = simulated
    text = mingdan("harassment", "--case", str(case_dir), "--as-of", day).stdout
    expected = truth["restricted_on"][day]
    assert f"under restriction, or possibly, on {day}: {len(expected):,}" in text
    listed = text.split(f"on {day}: {len(expected):,}")[1]
    people = {word for word in listed.split() if word[:1] in "PF" and word[1:].isdigit()}
    assert people == set(expected)
    assert expected  # the day falls in an anniversary: someone is restricted


def test_relatives_of_named_victims_are_listed_for_the_owner(simulated):
    case_dir, _, truth = simulated
    text = mingdan("harassment", "--case", str(case_dir), "--as-of", "2025-12-31").stdout
    victims = {r["victim_id"] for r in truth["relatives"]}
    assert f"families of named victims among the harassed: {len(victims):,}" in text


def test_bad_options_are_refused_clearly(simulated):
    case_dir, _, _ = simulated
    result = mingdan("harassment", "--case", str(case_dir), "--from", "2020", "--to", "2010", check=False)
    assert result.returncode == 2 and "--from 2020 is after --to 2010" in result.stderr
    result = mingdan("harassment", "--case", str(case_dir), "--as-of", "2019-06", check=False)
    assert result.returncode == 2 and "needs one day" in result.stderr


def test_the_accounting_has_the_harassment_counts_and_no_name(simulated):
    case_dir, simulated_case, truth = simulated
    account = json.loads(mingdan("account", "--case", str(case_dir), "--as-of", "2019-06-04", "--json").stdout)
    section = account["harassment"]
    assert {str(y["year"]): y["events"] for y in section["years"] if y["events"]} == \
        {year: entry["events"] for year, entry in truth["by_year"].items()}
    assert section["restricted"] == len(truth["restricted_on"]["2019-06-04"]) and section["possibly_restricted"] == 0
    assert section["families"] == len({r["victim_id"] for r in truth["relatives"]})
    text = json.dumps(section, ensure_ascii=False)
    assert not any(p.name in text for p in simulated_case.harassment.harassed)  # counts only
    printed = mingdan("account", "--case", str(case_dir), "--as-of", "2019-06-04").stdout
    assert "harassment of participants and victims' families, per year" in printed
    assert f"{sum(e['events'] for e in truth['by_year'].values()):,} events" in printed
