"""Search results tell two people of one name apart (age, event, date), list ids naturally, and facet only real sources."""

from __future__ import annotations

import re

import pytest


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("</tr>") if "<td" in row]


@pytest.mark.django_db
def test_each_result_shows_age_event_and_date_with_the_readers_visibility(client, web_case, login, write_rows,
                                                                          tmp_path):
    from mingdan.ingest.importer import import_file
    from mingdan.store.search import refresh_index

    hidden_age = tmp_path / "ages.csv"
    hidden_age.write_text("record_id,name,age,event,event_date\nS1,陈大文,44,detained,1990-01-02\n", "utf-8")
    mapping = tmp_path / "ages.yaml"
    mapping.write_text("source:\n  name: Sealed ages\ncolumns:\n  record_id: record_id\n  name: name\n"
                       "  age: {field: age, sensitivity: restricted}\n  event: event\n  event_date: event_date\n",
                       "utf-8")
    import_file(web_case["case"], hidden_age, mapping_path=mapping)
    refresh_index()
    login("editor")
    rows = _rows(client.get("/records?q=Chen+Dawen", secure=True).content.decode())
    assert "陳大文 21 killed 1989-06-04 List A A1" in rows[0]
    assert "Chen Dawen 22 killed 1989-06-04 List B B1" in rows[1]
    assert "陈大文 44 detained 1990-01-02 Sealed ages S1" in rows[2]  # an editor reads restricted ages
    client.post("/logout", secure=True)
    login("viewer")
    rows = _rows(client.get("/records?q=Chen+Dawen", secure=True).content.decode())
    # A withheld age is left out as if not recorded: "withheld" would say that one exists.
    assert "陈大文 — detained 1990-01-02" in rows[2] and "44" not in rows[2] and "withheld" not in rows[2]
    client.post("/language", {"language": "zh-hans"}, secure=True)
    rows = _rows(client.get("/records?q=Chen+Dawen", secure=True).content.decode())
    assert "陳大文 21 遇难 1989-06-04" in rows[0] and "陈大文 — 被拘留 1990-01-02" in rows[2]


@pytest.mark.django_db
def test_record_ids_sort_naturally_and_the_source_facet_leaves_out_sources_without_records(client, web_case, login,
                                                                                          write_rows, tmp_path):
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.ingest.importer import import_file

    numbered = write_rows([{"record_id": rid, "name": f"李{rid}", "event": "killed"} for rid in ("10", "2", "1", "R10",
                                                                                              "R2", "R1")],
                          name="numbered.csv")
    import_file(web_case["case"], numbered, source_name="Numbered")
    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,verification\nkilled,x,1989,,241,,Ministry,unverified\n",
                      "utf-8")
    import_count_claims(web_case["case"], claims)
    login("viewer")
    page = client.get("/records?source=Numbered", secure=True).content.decode()
    ids = [row.split("Numbered ")[1].split(" ")[0] for row in _rows(page)]
    assert ids == ["1", "2", "10", "R1", "R2", "R10"]
    everything = client.get("/records", secure=True).content.decode()
    facet = everything.split("<aside", 1)[1].split("</aside>", 1)[0]
    assert "Numbered" in facet and "List A" in facet and "Ministry" not in facet
    select = everything.split('name="source"', 1)[1].split("</select>", 1)[0]
    assert "Numbered" in select and "Ministry" not in select
