"""`mingdan evaluate` scores what it says it scores: no record left out in silence, no perfect score on nothing."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from cli_helpers import run

from mingdan.linkage.evaluate import coverage, read_truth, read_truths, scores

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def test_a_truth_file_that_cannot_be_read_names_the_file_and_row(tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.csv: needs the columns source, record_id, person_id"):
        read_truth(bad)
    bad.write_text("source,record_id,person_id\nL,1,P1\nL,2,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.csv:3:person_id: empty"):
        read_truth(bad)
    bad.write_text("source,record_id,person_id\nL,1,P1\nL,1,P2\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.csv:3: L:1 is given two people, P1 and P2"):
        read_truth(bad)
    bad.write_text("source,record_id,person_id\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no rows"):
        read_truth(bad)
    with pytest.raises(ValueError, match="no such file"):
        read_truth(tmp_path / "missing.csv")
    with pytest.raises(ValueError, match="a folder, not a file"):
        read_truth(tmp_path)
    # One stray quote swallows the rest of the file into one cell: the row that opened it is named.
    body = "".join(f"L,{i},P{i}\n" for i in range(1, 30))
    bad.write_text("source,record_id,person_id\n" + body.replace("L,10,P10", 'L,10,"P10'), encoding="utf-8")
    with pytest.raises(ValueError, match=r"t.csv:11:person_id: holds a line break or a double quote"):
        read_truth(bad)
    many = "".join(f"L,{i},P{i}\n" for i in range(1, 20_000))
    bad.write_text("source,record_id,person_id\n" + many.replace("L,10,P10\n", 'L,10,"P10\n'), encoding="utf-8")
    # Past the csv module's field limit (a process-wide setting the importer raises) or not, row 11 is named.
    with pytest.raises(ValueError, match=r"t.csv:11:.*never closed"):
        read_truth(bad)
    # Other encodings are told as an import tells them, or given; a wrong one names the row.
    for encoding in ("utf-16", "utf-16-le", "gb18030", "big5"):
        bad.write_bytes("source,record_id,person_id\n天安門名單,1,王建華\n天安門名單,2,P1\n".encode(encoding))
        assert read_truth(bad, encoding) == {("天安門名單", "1"): "王建華", ("天安門名單", "2"): "P1"}, encoding
        assert read_truth(bad) == {("天安門名單", "1"): "王建華", ("天安門名單", "2"): "P1"}, encoding
    # UTF-16 without a byte order mark, either order, rows mostly in Chinese (few NUL bytes): told by the side its
    # NULs fall on; "utf-16" given reads such a big-endian file in its own order (Python's would read it backwards).
    rows = "source,record_id,person_id\n" + "".join(f"家屬名單,甲{i:02d},王建華之{i}\n" for i in range(10))
    expected = {("家屬名單", f"甲{i:02d}"): f"王建華之{i}" for i in range(10)}
    for order in ("utf-16-be", "utf-16-le"):
        bad.write_bytes(rows.encode(order))
        assert read_truth(bad) == expected and read_truth(bad, "utf-16") == expected, order
    # Read in the wrong order, the header is no text at all: the error says so.
    with pytest.raises(ValueError, match=r"read as utf-16-be: if that is not the file's encoding, give the right one"):
        read_truth(bad, "utf-16-be")
    bad.write_bytes("source,record_id,person_id\nL,1,P1\nL,2,王\n".encode("gb18030"))
    with pytest.raises(ValueError, match=r"t.csv:3: not utf-8 text .*--encoding"):
        read_truth(bad, "utf-8")
    with pytest.raises(ValueError, match=r"unknown encoding 'klingon'"):
        read_truth(bad, "klingon")
    with pytest.raises(ValueError, match=r"t.csv: not utf-16-le text \(byte 32\)"):
        bad.write_bytes(b"source,record_id,person_id\nL,1,P\n")
        read_truth(bad, "utf-16")
    bad.write_bytes(b"")
    with pytest.raises(ValueError, match=r"t.csv: the file is empty"):
        read_truth(bad)
    # Header cells as people type them.
    bad.write_text("Source, Record_ID , PERSON_ID\nL,1,P1\n", encoding="utf-8")
    assert read_truth(bad) == {("L", "1"): "P1"}
    bad.write_text("src,id,person\nL,1,P1\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"missing source, record_id, person_id; found 'src', 'id', 'person'"):
        read_truth(bad)
    # A spreadsheet's export with a byte-order mark, CRLF line ends and padded cells reads as written.
    bad.write_bytes("\ufeffsource,record_id,person_id,note\r\nL,1 , P1\r\nL,2,P1\r\n".encode("utf-8"))
    assert read_truth(bad) == {("L", "1"): "P1", ("L", "2"): "P1"}


def test_one_truth_from_several_files_never_gives_a_record_two_people(tmp_path):
    lists, families = tmp_path / "truth.csv", tmp_path / "families.csv"
    lists.write_text("source,record_id,person_id\nL,1,P1\nL,2,P1\n", encoding="utf-8")
    families.write_text("source,record_id,person_id\nF,1,F1\nL,2,P1\n", encoding="utf-8")
    assert read_truths([lists, families]) == {("L", "1"): "P1", ("L", "2"): "P1", ("F", "1"): "F1"}
    families.write_text("source,record_id,person_id\nL,2,P9\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"L:2 is P1 in .*truth.csv and P9 in .*families.csv"):
        read_truths([lists, families])


def test_coverage_counts_the_case_records_the_truth_leaves_out_by_source():
    predicted = {("list_a", "1"): "x", ("list_a", "2"): "x", ("B", "1"): "y", ("B", "2"): "z"}
    truth = {("Court", "1"): "P1", ("Court", "2"): "P1", ("B", "1"): "P2", ("B", "2"): "P3", ("B", "3"): "P4"}
    covered = coverage(predicted, truth)
    assert covered["scored"] == 2 and covered["case_records"] == 4 and covered["truth_records"] == 5
    assert covered["case_records_not_in_truth"] == {"list_a": 2}
    assert covered["truth_sources_not_in_case"] == {"Court": 2}
    scored = scores(predicted, truth)
    assert scored["records"] == 2 and scored["pairwise"] == {"precision": None, "recall": None, "f1": None}
    unlinked = scores({("B", "1"): "y", ("B", "2"): "z"}, {("B", "1"): "P", ("B", "2"): "P"})
    assert unlinked["pairwise"] == {"precision": None, "recall": 0.0, "f1": 0.0}
    overlinked = scores({("B", "1"): "y", ("B", "2"): "y"}, {("B", "1"): "P", ("B", "2"): "Q"})
    assert overlinked["pairwise"] == {"precision": 0.0, "recall": None, "f1": 0.0}


def test_evaluate_refuses_to_score_a_part_in_silence_and_never_scores_nothing_as_perfect(tmp_path):
    case = tmp_path / "case"
    assert run("init", case).returncode == 0
    # The canonical list imported without --source takes its file's name, which the truth does not know.
    assert run("import", DEMO / "list_a.csv", "--case", case).returncode == 0
    assert run("import", DEMO / "list_b.csv", "--mapping", DEMO / "list_b.yaml", "--case", case).returncode == 0
    truth = DEMO / "truth.csv"

    refused = run("evaluate", "--case", case, "--truth", truth)
    assert refused.returncode == 1 and not refused.stdout
    assert "records are not in" in refused.stderr and "('list_a': 483 of its records)" in refused.stderr
    assert "'Court judgments'" in refused.stderr and "--partial" in refused.stderr and "Traceback" not in refused.stderr

    partial = run("evaluate", "--case", case, "--truth", truth, "--partial")
    assert partial.returncode == 0, partial.stderr
    assert "warning:" in partial.stderr and "not been linked" in partial.stderr
    assert "of the case's" in partial.stdout and "Court judgments" in partial.stdout
    # Unlinked: every true pair of the named list is missed, which the score must show.
    assert "recall 0.0000" in partial.stdout

    as_json = json.loads(run("evaluate", "--case", case, "--truth", truth, "--partial", "--json").stdout)
    assert any("not been linked" in warning for warning in as_json["warnings"])
    assert as_json["coverage"]["case_records_not_in_truth"] == {"list_a": 483}

    small = tmp_path / "two.csv"
    small.write_text("source,record_id,person_id\nCourt judgments,A-000001,P1\nCourt judgments,A-000002,P2\n",
                     encoding="utf-8")
    nothing = run("evaluate", "--case", case, "--truth", small, "--partial")
    assert nothing.returncode == 1 and "no record of the case is in" in nothing.stderr and "F1" not in nothing.stdout

    # UTF-8 read as Latin-1: the Chinese list's names come out as 'å¤©å®\x89…'; --partial must not score the rest.
    misread = tmp_path / "misread.csv"
    misread.write_text("source,record_id,person_id\nlist_a,1,P1\nlist_a,2,P2\n天安門名單,1,P1\n", encoding="utf-8")
    for extra in ((), ("--partial",)):
        refused = run("evaluate", "--case", case, "--truth", misread, "--encoding", "latin-1", *extra)
        assert refused.returncode == 1 and "a wrong decoding" in refused.stderr and "latin-1" in refused.stderr, (
            refused.stderr)
        assert "F1" not in refused.stdout

    for path, reason in ((tmp_path / "missing.csv", "no such file"), (DEMO / "count_claims.csv", "needs the columns")):
        failed = run("evaluate", "--case", case, "--truth", path)
        assert failed.returncode == 2 and failed.stderr.startswith("error: ") and reason in failed.stderr
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr

    named = tmp_path / "named"
    assert run("init", named).returncode == 0
    assert run("import", DEMO / "list_a.csv", "--source", "Court judgments", "--case", named).returncode == 0
    whole = run("evaluate", "--case", named, "--truth", truth)
    assert whole.returncode == 0, whole.stderr
    # One list alone holds no true pairs: nothing to find is not a perfect score.
    assert "pairwise: precision n/a  recall n/a  F1 n/a" in whole.stdout
    assert "(n/a: a ratio over no pairs)" in whole.stdout
    scored = re.search(r"([\d,]+) of the case's ([\d,]+) records scored", whole.stdout)
    assert scored and scored[1] == scored[2] and int(scored[1].replace(",", "")) == 483, whole.stdout

    # Linked, then a list imported and not linked: its records are scored alone, and that is said.
    assert run("import", DEMO / "list_b.csv", "--mapping", DEMO / "list_b.yaml", "--case", named).returncode == 0
    assert run("link", "--case", named).returncode == 0
    linked = run("evaluate", "--case", named, "--truth", truth)
    assert linked.returncode == 0 and "warning" not in linked.stderr and "(n/a" not in linked.stdout
    # A truth naming a record of the case's lists that the case lacks: the true people are counted over the records
    # in common, which is said.
    extra = tmp_path / "extra.csv"
    extra.write_text(truth.read_text("utf-8").rstrip("\n") + "\nCourt judgments,A-999999,P-EXTRA\n", "utf-8")
    fewer = run("evaluate", "--case", named, "--truth", extra)
    assert fewer.returncode == 0 and "warning: 1 of the truth's records are of the case's lists but not in the case" \
        in fewer.stderr, fewer.stderr
    assert run("import", DEMO / "list_e.csv", "--mapping", DEMO / "list_e.yaml", "--case", named).returncode == 0
    stale = run("evaluate", "--case", named, "--truth", truth, "--json")
    warnings = json.loads(stale.stdout)["warnings"]
    assert len(warnings) == 1 and "records were imported after the last link" in warnings[0], warnings
    assert "Families' testimony: " in warnings[0] and "warning: " in stale.stderr



def test_a_truth_misread_into_other_characters_is_refused_when_an_encoding_is_given(tmp_path):
    """GB18030 read as Big5 gives characters, not mojibake: with --encoding given, a truth whose Chinese list names
    are none of the case's, though the case has Chinese lists, was misread (--partial scored the rest before)."""
    import csv

    case = tmp_path / "case"
    assert run("init", case).returncode == 0
    assert run("import", DEMO / "list_a.csv", "--source", "大陆民间死难者名单", "--case", case).returncode == 0
    assert run("import", DEMO / "list_b.csv", "--mapping", DEMO / "list_b.yaml", "--case", case).returncode == 0
    assert run("link", "--case", case).returncode == 0
    with open(DEMO / "truth.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    wanted = {"Court judgments": "大陆民间死难者名单", "Hong Kong list": "Hong Kong list"}
    text = "source,record_id,person_id\n" + "".join(f"{wanted[r['source']]},{r['record_id']},{r['person_id']}\n"
                                                   for r in rows if r["source"] in wanted)
    truth = tmp_path / "gb.csv"
    truth.write_bytes(text.encode("gb18030"))
    assert run("evaluate", "--case", case, "--truth", truth).returncode == 0  # told by its content: read right
    for extra in ((), ("--partial",)):
        refused = run("evaluate", "--case", case, "--truth", truth, "--encoding", "big5", *extra)
        assert refused.returncode == 1 and "read as big5" in refused.stderr, refused.stderr
        assert "F1" not in refused.stdout
