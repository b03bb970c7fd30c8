"""The accounting: people counted once however many sources name them; claims side by side."""

from __future__ import annotations

import datetime as dt

from mingdan.ingest.count_claims import import_count_claims
from mingdan.ingest.importer import import_file
from mingdan.publish.account import accounting


def test_accounting_counts_people_once_keeps_every_claim_and_splits_held_from_unknown(case, write_rows, tmp_path):
    from mingdan.store.models import Person, Record

    court = write_rows([
        {"record_id": "A1", "name": "陈大文", "event": "killed", "event_date": "1989-06-04"},
        {"record_id": "A2", "name": "王伟", "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "A2", "event": "sentenced", "event_date": "1989-09-01", "sentence": "P30Y"},
        {"record_id": "A3", "name": "李强", "event": "detained", "event_date": "1989-06-12"},
        {"record_id": "A4", "name": "张军", "event": "disappeared", "event_date": "1989-06"},
    ], name="court.csv")
    families = write_rows([
        {"record_id": "F1", "name": "陳大文", "event": "killed", "event_date": "1989-06"},
        {"record_id": "F2", "name": "赵明", "event": "killed", "event_date": "1989-06-04"},
    ], name="families.csv")
    import_file(case, court, source_name="Court")
    import_file(case, families, source_name="Families")
    # Linkage decided A1 and F1 are one person; the rest stand alone.
    chen = Person.objects.create(person_id="P-000001")
    Record.objects.filter(record_id__in=("A1", "F1")).update(person=chen)
    claims = tmp_path / "claims.csv"
    claims.write_text(
        "metric,scope,as_of,min,best,max,source,verification,source_kind\n"
        "killed,episode,1989-06-06,,200,,Ministry,unverified,official\n"
        "killed,episode,1989-06-21,400,,800,Hospitals,unverified,press\n"
        "killed,episode,1989-06,,2600,,Red Cross,retracted,ngo\n"
        "still imprisoned,episode,2012,2,,11,Foundation,unverified,ngo\n"
        "injured,episode,1989,,5000,,Hospitals,unverified,\n", "utf-8")
    import_count_claims(case, claims)

    result = accounting(case, dt.date(2012, 6, 4))
    by = {entry["category"]: entry for entry in result["categories"]}
    assert result["linked"] is True
    assert by["killed"]["named"] == {"people": 2, "records": 3, "by_sources": {"1": 1, "2": 1, "3+": 0}}
    assert by["detained"]["named"]["people"] == 2 and by["missing"]["named"]["people"] == 1
    # Sentenced to 30 years from 1989: held in 2012. Detained with nothing after: status unknown.
    assert by["imprisoned"]["named"]["people"] == 1 and by["imprisoned"]["possibly"]["people"] == 1
    killed_claims = by["killed"]["claims"]
    assert [c["figure"] for c in killed_claims] == ["2,600", "200", "400–800"]
    assert {c["verification"] for c in killed_claims if c["figure"] == "2,600"} == {"retracted"}
    assert by["killed"]["claims_range"] == {"low": 200, "high": 800, "low_open": False, "high_open": False, "claims": 2,
                                            "excludes": "retracted claims"}
    assert [c["source"] for c in by["killed"]["official"]] == ["Ministry"]
    assert by["imprisoned"]["claims_range"]["low"] == 2 and by["imprisoned"]["claims_range"]["high"] == 11
    assert [c["metric"] for c in result["unassigned_claims"]] == ["injured"]
    assert all(entry["estimate"] is None for entry in result["categories"])
    assert {s["source"]: s["records"] for s in result["sources"]}["Court"] == 4


def test_a_death_in_custody_is_its_own_line_and_never_a_killing(case, write_rows, tmp_path):
    from mingdan.estimating import capture_rows

    rows = write_rows([
        {"record_id": "A1", "name": "陈一", "event": "killed", "event_date": "1989-06-04"},
        {"record_id": "A2", "name": "陈二", "event": "detained", "event_date": "1989-06-10"},
        {"record_id": "A2", "event": "died_in_custody", "event_date": "1990-03"},
    ], name="court.csv")
    import_file(case, rows, source_name="Court")
    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,verification\n"
                      "died in custody,episode,1995,,3,,NGO,unverified\n"
                      "deaths,episode,1989-06,,9,,Hospital,unverified\n", "utf-8")
    import_count_claims(case, claims)
    by = {entry["category"]: entry for entry in accounting(case, dt.date(2012, 6, 4))["categories"]}
    assert [entry for entry in by] == ["killed", "died_in_custody", "detained", "imprisoned", "missing"]
    assert by["killed"]["named"]["people"] == 1 and by["died_in_custody"]["named"]["people"] == 1
    assert by["detained"]["named"]["people"] == 1  # detained first: among the detained too
    assert by["died_in_custody"]["labels"] == {"en": "Died in custody", "zh-hans": "羁押期间死亡", "zh-hant": "羈押期間死亡"}
    assert [c["figure"] for c in by["died_in_custody"]["claims"]] == ["3"]
    assert [c["figure"] for c in by["killed"]["claims"]] == ["9"]
    # The estimates count the same way: the killed list holds the killing only.
    assert len(capture_rows("killed")[1]) == 1 and len(capture_rows("died_in_custody")[1]) == 1
