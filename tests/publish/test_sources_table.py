"""sources.csv lists the sources of the case: who listed people or published a figure, and how many records each holds."""

from __future__ import annotations

import csv
import sqlite3

from mingdan.publish.release import publish

HEADER = ["record_id", "name", "event", "consent_publish_name"]


def _read(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_file_of_count_claims_is_no_source_but_the_claims_keep_their_own(case, tmp_path, write_rows, no_pdf):
    """Outside tester: `claims import` added a row 'count claims file,other,0,1' to sources.csv; it lists nobody."""
    from mingdan.ingest.count_claims import CLAIMS_SOURCE, import_count_claims
    from mingdan.ingest.importer import import_file
    from mingdan.publish.account import accounting

    rows = [{"record_id": f"K{i}", "name": f"模拟甲{i}", "event": "killed", "consent_publish_name": "同意"}
            for i in range(6)]
    import_file(case, write_rows(rows, header=HEADER), source_name="Victims")
    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,cited_in,source_kind\n"
                      "killed,Beijing,1989-06-30,,241,,State Council,People's Daily,official\n", "utf-8")
    import_count_claims(case, claims)
    publish(case, tmp_path / "release", find_previous=False)
    data = tmp_path / "release" / "data"
    sources = _read(data / "sources.csv")
    assert [(s["source"], s["kind"], s["records"]) for s in sources] == [("State Council", "official", "0"),
                                                                          ("Victims", "other", "6")]
    with sqlite3.connect(data / "public.sqlite") as db:
        assert db.execute("select source from sources order by source").fetchall() == [("State Council",),
                                                                                        ("Victims",)]
    for path in data.glob("*.csv"):
        assert CLAIMS_SOURCE not in path.read_text("utf-8"), path.name
    # The claim still cites who published it and where; the file it came from is traced by the case.
    claim = _read(data / "count_claims.csv")[0]
    assert (claim["source"], claim["cited_in"], claim["best"]) == ("State Council", "People's Daily", "241")
    account = accounting(case)
    assert CLAIMS_SOURCE not in [s["source"] for s in account["sources"]]
    assert [(f["file"], f["claims"]) for f in account["claims_files"]] == [("claims.csv", 1)]
