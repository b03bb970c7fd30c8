"""`mingdan harassment`, `account` and `show` on a small hand-written case: doubtful and missing years, ids
that look like markup, options refused."""

from __future__ import annotations

import csv
import json

import pytest
from cli_run import mingdan as run_cli

pytestmark = pytest.mark.sqlite_file
HEADER = ["record_id", "name", "event", "event_date", "harassment", "perpetrator", "duration"]
ROWS = [
    {"record_id": "a:thumbs_up:b", "name": "[bold]王母[/bold]", "event": "harassed",
     "event_date": "2019-05-28/2019-06-06", "harassment": "软禁", "perpetrator": "国保:smile:"},
    {"record_id": "2", "name": "李父", "event": "harassed", "event_date": "2019?", "harassment": "威胁"},
    {"record_id": "3", "name": "赵母", "event": "harassed", "event_date": "2019-06?", "harassment": "约谈"},
    {"record_id": "4", "name": "钱父", "event": "harassed", "event_date": "201X", "harassment": "约谈"},
    {"record_id": "5", "name": "孙母", "event": "harassed", "event_date": "2018-06-03", "harassment": "被旅游",
     "duration": "P5D"},
]


def mingdan(*args: str, check: bool = True):
    return run_cli(*args, check=check, columns=250)


@pytest.fixture(scope="module")
def small_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small")
    with open(folder / "families.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(ROWS)
    mingdan("init", str(folder / "case"))
    mingdan("import", str(folder / "families.csv"), "--case", str(folder / "case"), "--source", "S")
    return folder / "case"


def test_json_counts_doubtful_years_apart_and_gives_the_undated(small_case):
    done = mingdan("harassment", "--case", str(small_case), "--json")
    data = json.loads(done.stdout)
    assert isinstance(data, list), "the issue's contract: a list with one object per year"
    years = {y["year"]: y for y in data}
    assert (years[2019]["people"], years[2019]["events"]) == (1, 1)  # only the certain 2019 event
    assert years[2019]["uncertain_date"] == {"people": 2, "events": 2}
    assert years[2018]["events"] == 1 and years[2018]["uncertain_date"] == {"people": 0, "events": 0}
    assert sum(y["uncertain_date"]["events"] for y in data) == 2
    assert "1 event with no year at all" in done.stderr


def test_the_accounting_counts_doubtful_years_apart(small_case):
    section = json.loads(mingdan("account", "--case", str(small_case), "--json").stdout)["harassment"]
    assert (section["events"], section["uncertain_date_events"], section["undated_events"]) == (2, 2, 1)
    text = mingdan("account", "--case", str(small_case), "--as-of", "2019-06-04").stdout
    assert "uncertain date (people / events)" in text and "2 events (2 more dated with doubt, 1 with no year)" in text
    assert "1 under restriction" in text and "0 families" in text


def test_ids_and_names_are_printed_as_written_never_as_emoji_or_markup(small_case):
    text = mingdan("harassment", "--case", str(small_case), "--as-of", "2019-06-04").stdout
    assert "S:a:thumbs_up:b" in text and "[bold]王母[/bold]" in text and "\N{THUMBS UP SIGN}" not in text
    shown = mingdan("show", "a:thumbs_up:b", "--case", str(small_case)).stdout
    assert "a:thumbs_up:b" in shown and "\N{SMILING FACE WITH SMILING EYES}" not in shown


def test_show_prints_the_harassment_details(small_case):
    shown = mingdan("show", "a:thumbs_up:b", "--case", str(small_case)).stdout
    assert "house_arrest" in shown and "国保:smile:" in shown and "families.csv:2" in shown
    data = json.loads(mingdan("show", "5", "--case", str(small_case), "--json").stdout)
    assert data["events"][0]["harassment"]["duration"] == "P5D"


def test_a_negative_window_is_refused(small_case):
    result = mingdan("harassment", "--case", str(small_case), "--window", "-3", check=False)
    assert result.returncode == 2 and "--window -3 is negative" in result.stderr
