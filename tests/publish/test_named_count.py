"""The number of people a release names is the number of rows of its named_people.csv, wherever it is printed."""

from __future__ import annotations

import csv
import json

import pytest
from cli_run import mingdan

pytestmark = pytest.mark.sqlite_file

VICTIMS = ("record_id,name,event,event_date,consent_publish_name\n"
           "V1,模拟甲,killed,1989-06-04,granted\nV2,模拟乙,detained,1989-06-10,granted\nV3,模拟丙,killed,1989-06-04,\n")
# A mother who consented to be named, harassed and nothing else: may be named, but is in no category, so not listed.
FAMILY = ("record_id,name,event,event_date,harassment,relation,relation_of,consent_publish_name\n"
          "G1,模拟母,harassed,2019-06-02,police_visit,mother_of,Victims:V1,granted\n"
          "G2,模拟孙,harassed,2019-06-03,surveillance,child_of,G1,\n")


def test_the_printed_count_of_people_named_is_the_rows_of_named_people(tmp_path, monkeypatch):
    """Outside tester: `publish` printed '3 people named' beside a named_people.csv of 2 rows."""
    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))  # the PDF is tested elsewhere
    (tmp_path / "victims.csv").write_text(VICTIMS, "utf-8")
    (tmp_path / "fam.csv").write_text(FAMILY, "utf-8")
    case = str(tmp_path / "case")
    mingdan("init", case)
    mingdan("import", str(tmp_path / "victims.csv"), "--source", "Victims", "--case", case)
    mingdan("import", str(tmp_path / "fam.csv"), "--source", "Families", "--case", case)
    printed = mingdan("publish", "--case", case, "--out", str(tmp_path / "r1"), "--license", "CC0-1.0",
                      "--as-of", "2025-01-01").stdout
    with open(tmp_path / "r1" / "data" / "named_people.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["name"] for row in rows) == ["模拟乙", "模拟甲"]
    assert "2 people named, 1 withheld" in printed and "模拟母" not in printed
    assert "1 more consented to be named but are in none of the accounting's categories" in printed
    # The case remembers only the names it published: a later release compares against those two.
    history = json.loads((tmp_path / "case" / "releases" / "published_names.json").read_text("utf-8"))
    assert len(history) == 2
    result = json.loads(mingdan("publish", "--case", case, "--out", str(tmp_path / "r2"), "--as-of", "2025-01-01",
                                "--json").stdout)
    assert result["named"] == 2 and result["not_listed"] == 1 and result["changes"]["people_added"] == 0
    changes = json.loads((tmp_path / "r2" / "changes.json").read_text("utf-8"))
    assert changes["people_named"]["old"] == changes["people_named"]["new"] == 2
    report = (tmp_path / "r2" / "report" / "index.html").read_text("utf-8")
    assert "People named: 2 → 2" in report
