"""Capture tables: every bad input is a clear error naming the line and column."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mingdan.estimate import CaptureTable, TableError


def read(text: str, strata: str | None = None) -> CaptureTable:
    return CaptureTable.from_text(text, "T.csv", strata)


def test_counts_comments_na_and_duplicate_patterns():
    table = read("# a comment\nA,B,C,Freq\n1,0,0,5\n0,1,0,3\n1,0,0,2\n0,0,0,NA\n1,1,1,0\n")
    assert table.lists == ("A", "B", "C") and table.counts[1] == 7 and table.observed == 10
    assert table.list_sizes() == {"A": 7, "B": 3, "C": 0}


def test_one_row_per_individual():
    table = read("A,B,C\n1,0,0\n1,1,0\n1,0,0\n")
    assert table.counts[1] == 2 and table.counts[3] == 1


@pytest.mark.parametrize("text, where, reason", [
    ("A,B,count\n1,0,-3\n", "T.csv:2:count", "negative"),
    ("A,B,count\n1,0,2.5\n", "T.csv:2:count", "whole number"),
    ("A,B,count\n1,2,3\n", "T.csv:2:B", "not 0 or 1"),
    ("A,B,region,count\n1,0,north,3\n", "T.csv:2:region", "--strata"),
    ("A,B,count\n1,0,NA\n", "T.csv:2:count", "NA is only allowed"),
    ("A,A,count\n1,0,3\n", "T.csv:1", "twice"),
    ("A,B,count\n0,0,9\n", "T.csv:2:count", "nobody can count"),
    ("A,B,count\n1,0\n", "T.csv:2", "cells"),
    ("# only a comment\n", "T.csv", "no header"),
])
def test_bad_tables_say_where_and_why(text, where, reason):
    with pytest.raises(TableError) as failure:
        read(text)
    assert str(failure.value).startswith(where) and reason in str(failure.value)


def test_a_list_with_no_records_is_refused_by_validate():
    table = read("A,B,C,count\n1,0,0,5\n0,1,0,3\n")
    with pytest.raises(TableError, match="list C has no records"):
        table.validate()
    assert table.drop_lists(["C"]).lists == ("A", "B")


def test_strata():
    table = read("A,B,C,region,count\n1,0,0,n,5\n0,1,0,n,3\n1,1,1,s,2\n", strata="region")
    assert set(table.strata) == {"n", "s"} and table.observed == 10
    assert table.strata["s"].observed == 2


@given(st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1), st.integers(0, 1)).filter(any), min_size=1, max_size=60))
def test_individuals_and_counts_agree_and_hash_is_stable(rows):
    individuals = CaptureTable.from_individuals(["A", "B", "C"], rows)
    counted = CaptureTable.from_patterns(["A", "B", "C"], rows, [1] * len(rows))
    assert individuals.observed == len(rows) and individuals.sha256() == counted.sha256()


@given(st.integers(2, 5).flatmap(lambda J: st.tuples(
    st.just(J),
    st.lists(st.integers(0, 50), min_size=2 ** J - 1, max_size=2 ** J - 1),
    st.randoms(use_true_random=False),
    st.sampled_from(["count", "n", "Freq"]),
)))
def test_written_tables_read_back_with_the_same_counts_whatever_the_row_order_and_splits(case):
    J, counts, random, count_column = case  # noqa: N806
    lists = [f"L{j}" for j in range(J)]
    rows = []
    for cell, count in enumerate(counts, start=1):
        pattern = ",".join(str(cell >> j & 1) for j in range(J))
        # A cell may be written as several rows that the reader must add up.
        split = random.randint(0, count)
        rows += [f"{pattern},{split}", f"{pattern},{count - split}"]
    random.shuffle(rows)
    text = "# made-up counts\n" + ",".join(lists + [count_column]) + "\n" + ",".join(["0"] * J + ["NA"]) + "\n"
    table = read(text + "\n".join(rows) + "\n")
    assert table.lists == tuple(lists) and table.counts[0] == 0
    assert table.counts[1:].tolist() == counts and table.observed == sum(counts)
