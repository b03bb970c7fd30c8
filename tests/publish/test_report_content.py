"""What the report says, in English, 简体 and 繁體: the columns, the claims, the figures and the printed PDF."""

from __future__ import annotations

import datetime as dt
import math
import shutil
import subprocess

import pytest
from page_words import english_words
from pdf_pages import nearly_blank_pages

from mingdan.publish import figures
from mingdan.publish.release import publish

HEADER = ["record_id", "name", "event", "event_date", "sentence", "consent_publish_name"]


@pytest.fixture(scope="module")
def released(case_for_the_module, module_write_rows, tmp_path_factory):
    """A release of a case with linked people, custody over decades, a death in custody, claims and an estimate.

    Made once for the module (with its PDF and a dozen figures, the slow part): the tests only read it.
    """
    tmp_path = tmp_path_factory.mktemp("report")
    with case_for_the_module(tmp_path) as case, pytest.MonkeyPatch.context() as monkeypatch:
        return _release(case, module_write_rows, tmp_path, monkeypatch)


def _release(case, write_rows, tmp_path, monkeypatch):
    from mingdan.ingest.count_claims import import_count_claims
    from mingdan.ingest.importer import import_file
    from mingdan.store.models import Estimate, Person, Record

    court = [{"record_id": f"K{i}", "name": f"模拟甲{i}", "event": "killed", "event_date": "1989-06-04",
              "consent_publish_name": "同意"} for i in range(1, 13)]
    for i in range(1, 12):  # detained in June 1989; eight serve three years, three serve twenty
        court.append({"record_id": f"H{i}", "name": f"模拟乙{i}", "event": "detained", "event_date": "1989-06-10"})
        court.append({"record_id": f"H{i}", "event": "sentenced", "event_date": "1989-09-01",
                      "sentence": "P3Y" if i <= 8 else "P20Y"})
    for i in range(1, 7):  # detained, and nothing known since
        court.append({"record_id": f"U{i}", "name": f"模拟丙{i}", "event": "detained", "event_date": "1989-06"})
    for i in (1, 2):
        court.append({"record_id": f"D{i}", "name": f"模拟丁{i}", "event": "detained", "event_date": "1989-06-12"})
        court.append({"record_id": f"D{i}", "event": "died_in_custody", "event_date": "1990-02"})
    import_file(case, write_rows(court, header=HEADER, name="court.csv"), source_name="Court")
    families = [{"record_id": f"F{i}", "name": f"模拟甲{i}", "event": "killed", "event_date": "1989-06",
                 "consent_publish_name": "同意"} for i in range(1, 7)]
    import_file(case, write_rows(families, header=HEADER, name="families.csv"), source_name="Families")
    for i in range(1, 13):
        person = Person.objects.create(person_id=f"P{i:03d}")
        Record.objects.filter(record_id__in=(f"K{i}", f"F{i}")).update(person=person)
    for prefix in ("H", "U", "D"):
        for record in Record.objects.filter(record_id__startswith=prefix):
            record.person = Person.objects.create(person_id=f"P-{record.record_id}")
            record.save()
    claims = tmp_path / "claims.csv"
    claims.write_text("metric,scope,as_of,min,best,max,source,verification,source_kind\n"
                      "killed,episode,1989-06-06,,200,,Ministry,unverified,official\n"
                      "killed,episode,1989-06-21,400,,800,Hospitals,unverified,press\n"
                      "detained,episode,1990,525,,,NGO,unverified,ngo\n"
                      "missing,episode,1991,,74,,Families' group,unverified,family\n", "utf-8")
    import_count_claims(case, claims)
    Estimate.objects.create(category="killed", method="lcmcr", settings={}, input_sha256="0" * 64, table={},
                            code_version="test", observed=12, estimate=30.0, lower=18.0, upper=61.0,
                            summary={"quantiles": {"0.025": 18.0, "0.25": 24.0, "0.5": 30.0, "0.75": 38.0,
                                                   "0.975": 61.0}})
    drawn = {}
    save = figures._save

    def keep(figure, path):
        drawn[path.name] = figure
        save(figure, path)

    monkeypatch.setattr(figures, "_save", keep)
    result = publish(case, tmp_path / "release", dt.date(2012, 6, 4), find_previous=False)
    return {"result": result, "report": tmp_path / "release" / "report", "figures": drawn}


def test_the_accounting_table_has_the_sources_column_the_unknown_count_and_custody_deaths_apart(released):
    page = (released["report"] / "index.html").read_text("utf-8")
    assert "Named by 1 / 2 / 3+ sources" in page
    killed = page.split("Killed</th>")[1].split("</tr>")[0]
    assert ">12<" in killed and "6 / 6 / 0" in killed and "200–800" in killed and "30 (18–61)" in killed
    custody = page.split("Died in custody</th>")[1].split("</tr>")[0]
    assert "fewer than 5" in custody  # two people: suppressed, and never counted among the killed
    imprisoned = page.split("Still imprisoned</th>")[1].split("</tr>")[0]
    assert "status unknown: 17" in imprisoned  # 8 past their release with none confirmed, 3 held until 2009, 6
    assert "never among the killed" in page
    # A small cell of the sources split reads "<5"; a complement, of 5 or more, reads "—" and never "<5" (outside
    # testers: a complement written "<5" was wrong; two kinds of hidden cell must be told apart).
    assert "&lt;5 / 0 / 0" in custody and "—" not in custody
    assert "—: suppressed to protect another cell (it holds 5 or more" in page


def test_the_chinese_pages_list_the_claims_in_chinese_and_hold_no_english_word_but_data(released):
    simplified = (released["report"] / "index.zh.html").read_text("utf-8")
    traditional = (released["report"] / "index.zh-hant.html").read_text("utf-8")
    assert "遇难：<b>200</b>" in simplified and "遇难：<b>400–800</b>" in simplified
    assert "被拘押：<b>至少525</b>" in simplified and "失踪：<b>74</b>" in simplified
    assert "min " not in simplified and "max " not in simplified
    assert "遇難：<b>200</b>" in traditional and "羈押期間死亡" in traditional and "被拘押：<b>至少525</b>" in traditional
    for page in (simplified, traditional):
        assert [w for w in english_words(page) if not w.startswith(("'Manrique", "'Vallier"))] == []


def test_each_estimate_has_its_figure_in_every_language(released):
    report = released["report"]
    for name, suffix in (("index.html", ""), ("index.zh.html", ".zh"), ("index.zh-hant.html", ".zh-hant")):
        assert f'src="estimate_killed{suffix}.png"' in (report / name).read_text("utf-8")
        assert (report / f"estimate_killed{suffix}.png").stat().st_size > 5000
    assert not (report / "estimate_detained.png").exists()  # no estimate stored, no figure


def test_the_held_chart_starts_at_zero_and_marks_suppressed_years_instead_of_leaving_them_out(released):
    chart = released["figures"]["held_over_time.png"]
    axes = chart.axes[0]
    assert axes.get_ylim()[0] == 0
    held = axes.lines[0]
    years, counts = list(held.get_xdata()), list(held.get_ydata())
    # 11 held from 1989; 3 still held from mid-1992 to 2009: hidden, and not drawn as zero.
    assert counts[years.index(1990)] == 11
    assert all(math.isnan(counts[years.index(year)]) for year in range(1993, 2009))
    hatched = sorted({round(p.get_x() + p.get_width() / 2) for p in axes.patches if p.get_hatch()})
    assert set(range(1993, 2009)) <= set(hatched)
    assert any("fewer than 5" in text.get_text() for text in axes.get_legend().get_texts())


def test_a_single_claim_is_drawn(released):
    axes = released["figures"]["named_claimed_estimated.png"].axes[0]
    diamonds = [list(line.get_xdata()) for line in axes.lines if line.get_marker() == "D"]
    assert [74] in diamonds and [200] in diamonds  # one figure alone is a diamond, not an invisible line


def test_the_pdf_has_no_nearly_blank_page_and_no_path_of_this_machine(released):
    from pypdf import PdfReader

    pdf = released["report"] / "report.pdf"
    assert released["result"]["pdf"]["made"], released["result"]["pdf"]
    reader = PdfReader(pdf)
    links = [a.get_object().get("/A", {}).get("/URI", "") for page in reader.pages for a in page.get("/Annots") or []]
    assert links and not [link for link in links if not str(link).startswith("https://")]
    assert b"file://" not in pdf.read_bytes()
    assert shutil.which("pdftoppm"), "poppler-utils is needed (make test installs it)"
    subprocess.run(["pdftoppm", "-png", "-r", "20", str(pdf), str(pdf.parent / "page")], check=True)
    import numpy as np
    from PIL import Image

    for path in sorted(pdf.parent.glob("page-*.png")):
        pixels = np.asarray(Image.open(path).convert("L"))
        inked = np.flatnonzero(pixels.min(axis=1) < 200)  # rows with anything printed on them
        assert inked.size and (inked.max() + 1) / pixels.shape[0] >= 0.25, f"{path.name} is nearly blank"
    assert nearly_blank_pages(pdf) == []  # and by its text: no page but the last holds a line or two
