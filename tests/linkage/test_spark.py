"""The same settings on local PySpark (Java 17) give the same people as DuckDB (issue 3)."""

from __future__ import annotations

import re

import pytest

from mingdan.demo import demo_lists
from mingdan.ingest.importer import import_file
from mingdan.linkage.run import link_case
from mingdan.simulate import SimulationSettings, simulate_case, write_case


def people(result) -> set[frozenset[int]]:
    """The clusters of a run as a set of record groups, whatever ids they were given."""
    groups: dict[int, set[int]] = {}
    for record, (root, _) in result.thresholds["clusters"].items():
        groups.setdefault(root, set()).add(record)
    return {frozenset(group) for group in groups.values()}


def test_spark_finds_the_same_people_as_duckdb(case, tmp_path):
    from mingdan.store.models import Claim, LinkRun, Record

    write_case(simulate_case(SimulationSettings(seed=21, people=260)), tmp_path / "sim")
    for path, mapping in demo_lists(tmp_path / "sim"):
        # Sex restricted: a reader below reviewer may not read it, so the run has pairs resting on a hidden value.
        text = mapping.read_text("utf-8")
        text = re.sub(r"^(  \S+):\n    field: sex\n", r"\1:\n    field: sex\n    sensitivity: restricted\n", text, flags=re.M)
        mapping.write_text(re.sub(r"^(  \S+): sex$", r"\1: {field: sex, sensitivity: restricted}", text, flags=re.M),
                           "utf-8")
        import_file(case, path, mapping_path=mapping)
    records = Record.objects.count()
    assert records >= 350
    on_duckdb = people(link_case(case, store=False))
    # Most records are linked to others in the other lists: a real linkage, not singletons.
    assert sum(1 for group in on_duckdb if len(group) > 1) >= 100
    link_case(case, engine="spark")
    assert LinkRun.objects.latest("id").engine == "spark"
    # The reader scores' scorer reads DuckDB's SQL: a Spark run says so (the web withholds instead) and stands.
    assert LinkRun.objects.latest("id").marks["reader_scores"] == "not for a Spark run"
    assert Claim.objects.filter(field="sex", sensitivity="restricted").count() >= 100
    on_spark: dict[int, set[int]] = {}
    for record, person in Record.objects.values_list("pk", "person_id"):
        on_spark.setdefault(person, set()).add(record)
    assert sum(len(group) for group in on_spark.values()) == records
    assert {frozenset(group) for group in on_spark.values()} == on_duckdb
    # An incremental run must then use Spark too: the stored model is written in Spark SQL.
    with pytest.raises(ValueError, match="--engine spark"):
        link_case(case, incremental=True)
    # On Spark, Splink itself computes the incremental run's levels; ids are kept, new records placed.
    before = dict(Record.objects.values_list("pk", "person__person_id"))
    extra = tmp_path / "extra.csv"
    extra.write_text("record_id,name,sex,age,event,event_date,place\n"
                     "x1,陈大文,male,21,killed,1989-06-04,木樨地\nx2,Chen Dawen,male,21,killed,1989-06-04,木樨地\n", "utf-8")
    import_file(case, extra, source_name="Spark extra")
    result = link_case(case, incremental=True, engine="spark")
    after = dict(Record.objects.values_list("pk", "person__person_id"))
    assert all(after[pk] == pid for pk, pid in before.items())
    new = [pk for pk in after if pk not in before]
    assert len(new) == 2 and all(after[pk] for pk in new)
    assert after[new[0]] == after[new[1]]  # the same man in characters and in pinyin
    assert result.records == records + 2
    # The misspelling level is the same test in Spark's SQL as in DuckDB's (test_lists_in_other_hands.py).
    from cli_helpers import ONE_LETTER_APART, ONE_LETTER_APART_NAMES, one_letter_apart_names_query, one_letter_apart_query
    from pyspark.sql import SparkSession

    from mingdan.linkage.model import one_letter_apart_sql

    spark = SparkSession.builder.getOrCreate()
    for (a, b), expected in ONE_LETTER_APART.items():
        assert spark.sql(one_letter_apart_query(one_letter_apart_sql("spark"), a, b, "spark")).collect()[0][0] is expected, (a, b)
    for (a, b), expected in ONE_LETTER_APART_NAMES.items():
        query = one_letter_apart_names_query(one_letter_apart_sql("spark"), a, b, "spark")
        assert spark.sql(query).collect()[0][0] is expected, (a, b)
