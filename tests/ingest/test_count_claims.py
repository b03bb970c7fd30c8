"""Published count claims sit side by side, with their sources; never collapsed."""

from __future__ import annotations

from mingdan.api import list_count_claims
from mingdan.ingest.count_claims import import_count_claims
from mingdan.store.models import CountClaim


def test_the_published_tiananmen_claims_import_side_by_side(case, shared_data):
    path = shared_data / "tiananmen_count_claims.csv"
    result = import_count_claims(case, path)
    rows = path.read_text("utf-8").strip().splitlines()
    assert result.claims == len(rows) - 1 == CountClaim.objects.count()
    killed = [c for c in list_count_claims(case, metric="killed")]
    figures = [(c["figure"], c["source"], c["verification"]) for c in killed]
    assert ("2,600", "Chinese Red Cross (attributed)", "retracted") in figures
    assert ("400–800", "estimate from hospital evidence", "unverified") in figures
    assert [c["as_of"] for c in killed] == sorted([c["as_of"] for c in killed], key=lambda t: t[:4])
    still = list_count_claims(case, metric="still imprisoned")
    assert [c["figure"] for c in still] == ["213", "at least 8", "2–11"]
    assert import_count_claims(case, path).status == "already imported"
    assert CountClaim.objects.count() == result.claims


def test_a_source_kind_column_marks_official_figures_and_a_wrong_kind_is_an_error(case, tmp_path):
    import pytest

    from mingdan.ingest.problems import ImportFailed
    from mingdan.store.models import Source

    good = tmp_path / "claims.csv"
    good.write_text("metric,scope,as_of,best,source,source_kind\n"
                    "killed,episode,1989-06-06,120,Ministry,official\n"
                    "killed,episode,1989-06-21,400,Hospitals,\n", "utf-8")
    import_count_claims(case, good)
    assert dict(Source.objects.filter(name__in=("Ministry", "Hospitals")).values_list("name", "kind")) == {
        "Ministry": "official", "Hospitals": "other"}
    bad = tmp_path / "bad.csv"
    bad.write_text("metric,scope,as_of,best,source,source_kind\nkilled,episode,1989,1,X,government\n", "utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_count_claims(case, bad)
    problem = failure.value.problems[0]
    assert (problem.row, problem.column) == (2, "source_kind") and "official" in problem.reason
    assert not Source.objects.filter(name="X").exists()
