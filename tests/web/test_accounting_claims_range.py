"""The accounting page's span of published claims keeps an open end open: "≥ 3", never the point "3"."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_one_sided_claim_leaves_its_end_of_the_span_open(client, web_case, login, tmp_path):
    """Outside tester: 'at least 3' read as the span 3–3, 'at most 525' as 525–525."""
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.web.case import use

    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,verification\n"
                      "killed,episode,1989-06,,241,,A,unverified\nkilled,episode,1990,80,,150,B,unverified\n"
                      "detained,episode,1990,,,525,B,unverified\ndied in custody,episode,2000,3,,,C,unverified\n"
                      "missing,episode,1991,10,,,C,unverified\nmissing,episode,1992,,,50,A,unverified\n", "utf-8")
    import_count_claims(web_case["case"], claims)
    use(web_case["case"])
    login("analyst")
    for language, custody, missing in (("en", "Died in custody", "open at both ends"),
                                       ("zh-hans", "羁押期间死亡", "上下限皆未给出"),
                                       ("zh-hant", "羈押期間死亡", "上下限皆未給出")):
        client.post("/language", {"language": language}, secure=True)
        page = client.get("/accounting", secure=True).content.decode()
        rows = {row.split("<th>")[1].split("</th>")[0]: row for row in page.split("<tr>")[2:7]}
        assert "<td>80–241 (2)</td>" in next(r for r in rows.values() if "80–241" in r), language
        assert "<td>≥ 3 (1)</td>" in rows[custody] and "<td>3–3" not in page, language
        assert "<td>≤ 525 (1)</td>" in page and "525–525" not in page, language
        assert f"<td>{missing} (2)</td>" in page, language
