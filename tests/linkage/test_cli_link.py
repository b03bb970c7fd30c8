"""`mingdan link`, `review`, `evaluate` as a user runs them: a real process on a real case folder."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest
from cli_helpers import mingdan, run

from mingdan.demo import demo_lists

pytestmark = pytest.mark.sqlite_file
DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def people(path: Path) -> dict[tuple[str, str], str]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and list(rows[0]) == ["source", "record_id", "person_id", "cluster_probability"]
    assert all(0 < float(row["cluster_probability"]) <= 1 for row in rows)
    return {(row["source"], row["record_id"]): row["person_id"] for row in rows}


def test_link_review_decide_and_evaluate_from_the_command_line(tmp_path):
    case = tmp_path / "case"
    mingdan("init", case)
    for path, mapping in demo_lists(DEMO):
        mingdan("import", path, "--mapping", mapping, "--case", case)

    first_csv = tmp_path / "first.csv"
    summary = json.loads(mingdan("link", "--case", case, "--clusters-out", first_csv, "--json"))
    first = people(first_csv)
    assert len(first) == summary["records"] and len(set(first.values())) == summary["people"] < summary["records"]

    quality = json.loads(mingdan("evaluate", "--case", case, "--truth", DEMO / "truth.csv", "--json"))
    assert quality["pairwise"]["f1"] >= 0.95 and quality["bcubed"]["f1"] >= 0.95, quality
    assert quality["review_band_share_of_true_pairs"] <= 0.05

    queue = json.loads(mingdan("review", "--case", case, "--json", "--limit", "30"))
    assert queue, "the demo leaves some pairs for a human"
    # Pairs between two people first, each part most uncertain first; a pair scored at auto-link is there only when
    # held for a reviewer (a death, then the person alive days after it).
    order = [(pair["one_person_now"], abs(pair["match_probability"] - 0.5)) for pair in queue]
    assert order == sorted(order) and all(0.2 <= pair["match_probability"] for pair in queue)
    assert all(pair["match_probability"] < 0.6 or "held for a reviewer" in mingdan(
        "link", "explain", pair["a"], pair["b"], "--case", case) for pair in queue)

    # A reviewer joins the most uncertain pair the records do not speak against (a pair whose join would put
    # two records of one list in one person is refused without --confirm) and separates a pair the model linked.
    joined = None
    for candidate in queue:
        tried = run("review", "decide", candidate["a"], candidate["b"], "same", "--by", "tester", "--case", case)
        if tried.returncode == 0:
            joined = candidate["a"], candidate["b"]
            break
        assert "add --confirm to record it anyway" in tried.stderr, tried.stderr
        assert "Traceback" not in tried.stderr
    assert joined, "no pair of the review queue could be joined"
    members = defaultdict(list)
    for record, person in first.items():
        members[person].append(record)
    pair = next(sorted(records) for records in members.values() if len(records) == 2)
    split = [f"{source}:{record_id}" for source, record_id in pair]
    mingdan("review", "decide", *split, "different", "--by", "tester", "--note", "two brothers", "--case", case)

    second_csv = tmp_path / "second.csv"
    rerun = json.loads(mingdan("link", "--case", case, "--clusters-out", second_csv, "--json"))
    second = people(second_csv)
    assert rerun["decisions_applied"] == 2
    label = {f"{s}:{r}": person for (s, r), person in second.items()}
    assert label[joined[0]] == label[joined[1]]
    assert label[split[0]] != label[split[1]]
    # Records untouched by the decisions keep their person ids.
    touched = {first[tuple(x.split(":", 1))] for x in (*joined, *split)}
    assert all(second[r] == p for r, p in first.items() if p not in touched)

    explained = json.loads(mingdan("link", "explain", *split, "--case", case, "--json"))
    assert explained["decision"]["decision"] == "different" and explained["decision"]["by"] == "tester"
    assert {row["field"] for row in explained["fields"]} >= {"name", "age", "place"}
    readable = mingdan("link", "explain", *split, "--case", case)
    assert "weight (bits)" in readable and "decided different by tester" in readable

    # One record is not a pair; a limit below one is no queue.
    for command in (("link", "explain", split[0], split[0]), ("review", "decide", split[0], split[0], "different")):
        refused = run(*command, "--case", case)
        assert refused.returncode == 2 and refused.stderr.startswith("error: ") and "are one record" in refused.stderr
    for limit in ("0", "-1"):
        refused = run("review", "--limit", limit, "--case", case)
        assert refused.returncode == 2 and "--limit is how many pairs to show, at least 1" in refused.stderr
