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
