"""The command line as a user runs it: a real process on a real case folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_run import mingdan

# The real CLI on the case's own SQLite file: run in the SQLite pass, not collected in the PostgreSQL one.
pytestmark = pytest.mark.sqlite_file
SHARED = Path(__file__).resolve().parents[1] / "data" / "published"
COMMANDS = ["init", "simulate", "import", "sources", "records", "show", "summary", "claims import", "claims list", "status",
            "account", "harassment", "keys rotate", "estimate", "link", "link explain", "review", "review decide", "evaluate",
            "publish", "verify", "serve-public"]



@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_explains_itself_with_an_example(command):
    text = mingdan(*command.split(), "--help").stdout
    assert "Example:" in text and f"mingdan {command}" in text


def test_a_tour_of_the_command_line(tmp_path):
    case = tmp_path / "case"
    mingdan("init", str(case))
    data = tmp_path / "list.csv"
    data.write_text(
        "record_id,name,sex,age,event,event_date,notes\n"
        "A1,陈大文,male,21,killed,1989-06-04,seen by a neighbour\n"
        "A2,王伟,female,30,detained,1989-06-10,\n", "utf-8")
    imported = mingdan("import", str(data), "--case", str(case), "--source", "Families list")
    assert "imported as version 1 of source 'Families list'" in imported.stdout
    assert "records new 2" in imported.stdout
    again = mingdan("import", str(data), "--case", str(case), "--source", "Families list")
    assert "already imported" in again.stdout and "nothing added" in again.stdout

    sources = json.loads(mingdan("sources", "--case", str(case), "--json").stdout)
    assert [(s["source"], s["records"]) for s in sources] == [("Families list", 2)]
    records = json.loads(mingdan("records", "--case", str(case), "--json").stdout)
    assert [(r["source"], r["record_id"], r["name"]) for r in records] == [
        ("Families list", "A1", "陈大文"), ("Families list", "A2", "王伟")]
    shown = json.loads(mingdan("show", "A1", "--case", str(case), "--json").stdout)
    notes = next(c for c in shown["claims"] if c["field"] == "notes")
    assert (notes["sensitivity"], notes["locator"]) == ("restricted", "list.csv:2:notes")
    table = mingdan("show", "A1", "--case", str(case)).stdout
    assert "list.csv:2:age" in table and "not collected" in table

    mingdan("claims", "import", str(SHARED / "tiananmen_count_claims.csv"), "--case", str(case))
    claims = json.loads(mingdan("claims", "list", "--case", str(case), "--json", "--metric", "killed").stdout)
    assert len(claims) == 5 and {c["verification"] for c in claims} == {"unverified", "retracted"}

    held = json.loads(mingdan("status", "--case", str(case), "--as-of", "1989-07-01", "--json").stdout)
    assert [(h["person_id"], h["name"], h["status"]) for h in held] == [("Families list:A2", "王伟", "unknown")]
    # Flags count from the day reported on: nothing was unconfirmed for years on 1989-07-01 ...
    assert held[0]["expected_release_earliest"] is None and held[0]["flags"] == []
    # ... but seen from a later day the status has gone unconfirmed, counted from that day.
    later = json.loads(mingdan("status", "--case", str(case), "--as-of", "1989-07-01", "--today", "2026-11-24",
                               "--json").stdout)
    assert later[0]["flags"] == ["status not confirmed for more than 5 years before 2026-11-24 (last event 1989-06-10)"]
    timeline = mingdan("status", "Families list:A2", "--case", str(case), "--as-of", "1989-07-01").stdout
    assert "detained" in timeline and "list.csv:3" in timeline and "status on 1989-07-01: unknown" in timeline
    assert mingdan("status", "--case", str(case), "--as-of", "1989-06", check=False).returncode == 2

    account = json.loads(mingdan("account", "--case", str(case), "--as-of", "1989-07-01", "--json").stdout)
    killed = next(entry for entry in account["categories"] if entry["category"] == "killed")
    assert killed["named"]["people"] == 1 and len(killed["claims"]) == 8  # 5 totals and 3 named counts
    text = mingdan("account", "--case", str(case), "--as-of", "1989-07-01").stdout
    assert "Still imprisoned" in text and "[retracted]" in text


def test_a_failed_import_prints_every_problem_and_exits_non_zero(tmp_path):
    case = tmp_path / "case"
    mingdan("init", str(case))
    data = tmp_path / "bad.csv"
    data.write_text("record_id,name,age,event\nA1,陈大文,abc,killed\nA2,王伟,30,vanished\n", "utf-8")
    failed = mingdan("import", str(data), "--case", str(case), check=False)
    assert failed.returncode == 1
    lines = failed.stderr.strip().splitlines()
    assert lines[0].startswith(f"{data}:2:age: age 'abc' is not an age")
    assert lines[1].startswith(f"{data}:3:event: unknown event type 'vanished'")
    assert lines[-1] == "nothing was imported: 2 problem(s)"


def test_a_folder_that_is_not_a_case(tmp_path):
    failed = mingdan("records", "--case", str(tmp_path), check=False)
    assert failed.returncode == 2 and "mingdan init" in failed.stderr


def test_estimate_from_a_table_and_its_errors(tmp_path):
    kosovo = str(SHARED / "mse" / "kosovo_1999_4lists.csv")
    result = json.loads(mingdan("estimate", "--table", kosovo, "--method", "loglinear", "--json").stdout)
    assert round(result["estimate"], 1) == 10356.5 and result["observed"] == 4400
    assert {"estimate", "lower", "upper", "observed", "method", "settings"} <= set(result)
    text = mingdan("estimate", "--table", kosovo, "--method", "dga", "--set", "delta=0.0625").stdout
    assert "12,595" in text and "9,827–16,544" in text
    bad = tmp_path / "bad.csv"
    bad.write_text("A,B,C,count\n1,0,0,-4\n", "utf-8")
    failed = mingdan("estimate", "--table", str(bad), check=False)
    assert failed.returncode == 1 and f"{bad}:2:count: a count cannot be negative" in failed.stderr
    two = tmp_path / "two.csv"
    two.write_text("A,B,count\n1,0,4\n0,1,5\n1,1,2\n", "utf-8")
    refused = mingdan("estimate", "--table", str(two), "--method", "lcmcr", check=False)
    assert refused.returncode == 1 and "at least 3 lists" in refused.stderr
