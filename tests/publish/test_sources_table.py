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


def _family_case(case, write_rows, victims: range, relatives: range):
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Source

    import_file(case, write_rows([{"record_id": f"V{i}", "name": f"模拟甲{i}", "event": "killed",
                                   "event_date": "1989-06-04", "consent_publish_name": "同意"} for i in victims],
                                 header=HEADER + ["event_date"], name=f"victims{len(victims)}.csv"),
                source_name="Victims")
    # Mothers of victims, harassed and nothing else, in a list that says whose mother each is (kind 'other').
    import_file(case, write_rows([{"record_id": f"M{i}", "name": f"模拟母{i}", "event": "harassed",
                                   "event_date": "2019-06-02", "harassment": "police_visit", "relation": "mother_of",
                                   "relation_of": f"Victims:V{i}"} for i in relatives],
                                 header=["record_id", "name", "event", "event_date", "harassment", "relation",
                                         "relation_of"], name=f"mothers{len(relatives)}.csv"),
                source_name="Relatives")
    # A families' testimony list (kind family) naming victims: its size is withheld too.
    import_file(case, write_rows([{"record_id": f"T{i}", "name": f"模拟甲{i}", "event": "killed",
                                   "consent_publish_name": "同意"} for i in range(7)],
                                 header=HEADER, name="testimony.csv"), source_name="Testimony")
    Source.objects.filter(name="Testimony").update(kind="family")


def test_a_list_of_relatives_is_published_without_its_size(case, tmp_path, write_rows, no_pdf, monkeypatch):
    """Outside tester: sources.csv gave a families' list's records; its growth between releases, beside a newly
    named person, told that they may be a relative."""
    import json

    from mingdan.publish import figures

    drawn = {}
    save = figures._save
    monkeypatch.setattr(figures, "_save", lambda figure, path: (drawn.setdefault(path.name, figure), save(figure, path)))
    _family_case(case, write_rows, range(12), range(6))
    publish(case, tmp_path / "r1")
    data = tmp_path / "r1" / "data"
    rows = {s["source"]: s for s in _read(data / "sources.csv")}
    assert rows["Victims"]["records"] == "12" and rows["Victims"]["blank_cells"] == "none"
    assert rows["Relatives"]["records"] == "withheld" and "relatives" in rows["Relatives"]["blank_cells"]
    assert rows["Testimony"]["records"] == "withheld" and "kind family" in rows["Testimony"]["blank_cells"]
    assert rows["Testimony"]["kind"] == "family" and rows["Relatives"]["versions"] == "1"
    with sqlite3.connect(data / "public.sqlite") as db:
        assert dict(db.execute("select source, records from sources")) == {"Relatives": None, "Testimony": None,
                                                                          "Victims": 12}
    package = json.loads((data / "datapackage.json").read_text("utf-8"))
    sources = next(r for r in package["resources"] if r["name"] == "sources")
    assert "withheld" in sources["schema"]["missingValues"]
    assert "list of relatives" in next(f for f in sources["schema"]["fields"] if f["name"] == "records")["description"]
    from frictionless import validate

    assert validate(str(data / "datapackage.json")).valid
    # The figures draw no size of theirs: not among the sources, and no bar of the relatives' list alone.
    bars = drawn["sources.png"].axes[0]
    assert [t.get_text() for t in bars.get_yticklabels()] == ["Victims"]
    upset = drawn["source_overlap_upset.png"].axes[1]
    assert "Relatives" not in [t.get_text() for t in upset.get_yticklabels()]

    # Five more victims named, and five more mothers in the relatives' list: nothing says the list grew.
    _family_case(case, write_rows, range(17), range(11))
    publish(case, tmp_path / "r2")
    rows = {s["source"]: s for s in _read(tmp_path / "r2" / "data" / "sources.csv")}
    assert rows["Relatives"]["records"] == "withheld" and rows["Victims"]["records"] == "17"
    changes = json.loads((tmp_path / "r2" / "changes.json").read_text("utf-8"))
    assert len(changes["people_named"]["added"]) == 5
    # That the list has a new version is said (versions 1 -> 2), never by how many records it grew.
    assert [(c["row"], c["column"]) for c in changes["counts"] if c["table"] == "sources"] == [
        ("Relatives", "versions"), ("Victims", "records"), ("Victims", "versions")]
    page = (tmp_path / "r2" / "report" / "index.html").read_text("utf-8")
    shown = [row for row in page.split("<tr>") if '<span translate="no">Relatives</span>' in row]
    assert len(shown) == 1 and "<td>versions</td>" in shown[0]
