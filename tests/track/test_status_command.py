"""`mingdan status` as a user runs it: the sentence of the day asked about, worded as running that day."""

from __future__ import annotations

import json

import pytest
from cli_run import mingdan as run_cli

pytestmark = pytest.mark.sqlite_file


def mingdan(*args: str) -> str:
    return run_cli(*args).stdout


def test_status_names_the_sentence_running_on_that_day(tmp_path):
    case = tmp_path / "case"
    mingdan("init", str(case))
    data = tmp_path / "court.csv"
    data.write_text(
        "record_id,name,event,event_date,sentence\n"
        "X1,林小平,detained,1989-06-10,\n"
        "X1,,sentenced,1989-08-07,death-reprieve P2Y\n"
        "X1,,commuted,1998-09-15,P20Y\n", "utf-8")
    mingdan("import", str(data), "--case", str(case), "--source", "Court")
    text = mingdan("status", "Court:X1", "--case", str(case), "--as-of", "1990-01-01", "--today", "1990-01-01")
    assert "sentence running on that day: death_reprieve" in text and "now running" not in text
    held = json.loads(mingdan("status", "--case", str(case), "--as-of", "1990-01-01", "--json"))
    assert (held[0]["sentence_on_day"], held[0]["sentence"]) == ("death_reprieve", "P20Y")
    table = mingdan("status", "--case", str(case), "--as-of", "1990-01-01")
    assert "sentence on that day" in table and "death_reprieve" in table and "P20Y" not in table
    assert held[0]["flags"] == []  # counted from the --as-of day, not from the day the command is run
