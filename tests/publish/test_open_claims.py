"""A claim given only as "at least 3" or "at most 525" leaves that end of the claims' span open, everywhere."""

from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from mingdan.publish import figures
from mingdan.publish.release import publish

#: As the outside tester's claims.csv, with a category whose claims are open at both ends.
CLAIMS = ("metric,scope,as_of,min,best,max,includes,source,cited_in,verification,source_kind\n"
          "killed,Beijing,1989-06-30,,241,,军警在内,国务院发言人,人民日报,unverified,official\n"
          "killed,Beijing,1990-06,80,,150,at least,某人权组织,年度报告,unverified,ngo\n"
          "detained,Beijing,1990,,,525,至少,某人权组织,年度报告,unverified,ngo\n"
          "died in custody,Beijing,2000,3,,,,狱中通讯,通讯,unverified,press\n"
          "missing,Beijing,1991,10,,,,甲组织,报告,unverified,ngo\n"
          "missing,Beijing,1992,,,50,,乙组织,报告,unverified,ngo\n")


@pytest.fixture(scope="module")
def released(case_for_the_module, module_write_rows, tmp_path_factory):
    """One release of a case with one named person and the claims above (no PDF: it is tested elsewhere)."""
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.ingest.importer import import_file
    from mingdan.publish.account import accounting

    tmp_path = tmp_path_factory.mktemp("open")
    drawn = {}
    with case_for_the_module(tmp_path) as case, pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
        save = figures._save
        monkeypatch.setattr(figures, "_save", lambda figure, path: (drawn.setdefault(path.name, figure),
                                                                    save(figure, path)))
        import_file(case, module_write_rows([{"record_id": "R1", "name": "测甲", "event": "killed",
                                              "consent_publish_name": "yes"}],
                                            header=["record_id", "name", "event", "consent_publish_name"]),
                    source_name="s")
        (tmp_path / "claims.csv").write_text(CLAIMS, "utf-8")
        import_count_claims(case, tmp_path / "claims.csv")
        account = accounting(case)
        publish(case, tmp_path / "r", find_previous=False)
    return {"release": tmp_path / "r", "figures": drawn, "account": account}


def test_the_accountings_span_keeps_an_open_end_open(released):
    from mingdan.publish.account import range_text

    spans = {e["category"]: e["claims_range"] for e in released["account"]["categories"]}
    assert (spans["killed"]["low"], spans["killed"]["high"]) == (80, 241)
    assert spans["died_in_custody"] == {"low": 3, "high": None, "low_open": False, "high_open": True, "claims": 1,
                                        "excludes": "retracted claims"}
    assert (spans["detained"]["low"], spans["detained"]["high"], spans["detained"]["low_open"]) == (None, 525, True)
    texts = {key: range_text(span) for key, span in spans.items()}
    assert texts == {"killed": "80–241", "died_in_custody": "≥ 3", "detained": "≤ 525", "imprisoned": "none",
                     "missing": "open at both ends"}


def test_the_open_data_says_open_and_explains_it(released):
    data = released["release"] / "data"
    with open(data / "accounting.csv", encoding="utf-8", newline="") as handle:
        rows = {r["category"]: (r["claims"], r["claims_low"], r["claims_high"]) for r in csv.DictReader(handle)}
    assert rows == {"killed": ("2", "80", "241"), "died_in_custody": ("1", "3", "open"),
                    "detained": ("1", "open", "525"), "imprisoned": ("0", "none", "none"),
                    "missing": ("2", "open", "open")}
    with sqlite3.connect(data / "public.sqlite") as db:
        got = dict((c, (low, high)) for c, low, high in
                   db.execute("select category, claims_low, claims_high from accounting"))
    assert got["died_in_custody"] == (3, None) and got["detained"] == (None, 525) and got["killed"] == (80, 241)
    package = json.loads((data / "datapackage.json").read_text("utf-8"))
    accounting = next(r for r in package["resources"] if r["name"] == "accounting")
    assert "open" in accounting["schema"]["missingValues"]
    fields = {f["name"]: f["description"] for f in accounting["schema"]["fields"]}
    assert "'open'" in fields["claims_high"] and "at least 3" in fields["claims_high"]
    assert "'open'" in fields["claims_low"] and "at most 525" in fields["claims_low"]
    datasette = json.loads((data / "datasette.json").read_text("utf-8"))
    assert "at least 3" in datasette["databases"]["public"]["tables"]["accounting"]["columns"]["claims_high"]
    from frictionless import validate

    assert validate(str(data / "datapackage.json")).valid


def test_the_report_writes_the_open_end_in_every_language(released):
    report = released["release"] / "report"
    for page, note in (("index.html", "gives only a minimum"), ("index.zh.html", "只给出下限"),
                       ("index.zh-hant.html", "只給出下限")):
        text = (report / page).read_text("utf-8")
        rows = text.split("<tbody>")[1].split("</tbody>")[0].split("</tr>")
        custody, detained, missing = rows[1], rows[2], rows[4]
        assert '<td class="num">≥ 3</td>' in custody and '<td class="num">3</td>' not in custody, page
        assert '<td class="num">≤ 525</td>' in detained and '<td class="num">525</td>' not in detained, page
        assert "80–241" in rows[0] and note in text, page
        assert "open at both ends" in missing if page == "index.html" else "上下限皆未" in missing


def test_the_figure_draws_an_arrow_to_the_open_side_not_a_diamond(released):
    from matplotlib.text import Annotation

    axes = released["figures"]["named_claimed_estimated.png"].axes[0]
    diamonds = sorted(x for line in axes.lines if line.get_marker() == "D" for x in line.get_xdata())
    assert diamonds == [80, 241]  # the range's start and the single figure; neither 3 nor 525
    arrows = sorted((a.get_gid(), a.xyann[0], a.xy[0]) for a in axes.texts if isinstance(a, Annotation))
    assert [(gid, tail) for gid, tail, _ in arrows] == [("claim_open_above", 3), ("claim_open_above", 10),
                                                        ("claim_open_below", 50), ("claim_open_below", 525)]
    for gid, tail, head in arrows:
        assert (head > tail) == (gid == "claim_open_above") and head >= 0
        assert axes.get_xlim()[0] <= head <= axes.get_xlim()[1]  # the arrow is inside the plot
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert "published claim: at least / at most (arrow: the open side)" in labels
