"""The Chinese page's figures are labelled in Chinese with a CJK font, or the page says why they are not."""

from __future__ import annotations

import json
import warnings

import pytest

from mingdan.publish import figures
from mingdan.publish.release import publish

HEADER = ["record_id", "name", "event", "place", "consent_publish_name"]


def _case(case, write_rows):
    from mingdan.ingest.importer import import_file

    rows = [{"record_id": f"F{i}", "name": f"模拟辛{i}", "event": "killed", "place": "西城区",
             "consent_publish_name": "同意"} for i in range(7)]
    import_file(case, write_rows(rows, header=HEADER), source_name="家属名单")  # a Chinese source name, drawn in both


@pytest.mark.skipif(figures.cjk_font() is None, reason="no CJK font installed (fonts-noto-cjk)")
def test_chinese_figures_are_drawn_with_a_cjk_font_and_no_missing_glyph(case, tmp_path, write_rows, no_pdf):
    _case(case, write_rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = publish(case, tmp_path / "release", find_previous=False)
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message).lower()]
    assert missing == []
    report = tmp_path / "release" / "report"
    chinese = (report / "index.zh.html").read_text("utf-8")
    english = (report / "index.html").read_text("utf-8")
    for name in ("named_claimed_estimated", "source_overlap_upset", "held_over_time", "sources"):
        assert f'src="{name}.zh.png"' in chinese and f'src="{name}.png"' in english
        assert (report / f"{name}.zh.png").read_bytes() != (report / f"{name}.png").read_bytes()
    assert "各来源及其规模" not in english and "每个来源的记录数" in chinese  # captions follow the page
    assert result["figures"]["zh_labels"] is True and figures.cjk_font() in result["figures"]["zh"]
    manifest = json.loads((tmp_path / "release" / "manifest.json").read_text("utf-8"))
    assert manifest["figures"] == result["figures"] and "report/sources.zh.png" in manifest["files"]


def test_without_a_cjk_font_the_chinese_page_uses_the_english_figures_and_says_so(case, tmp_path, write_rows,
                                                                                   monkeypatch, no_pdf):
    monkeypatch.setattr(figures, "cjk_font", lambda *script: None)
    _case(case, write_rows)
    result = publish(case, tmp_path / "release", find_previous=False)
    report = tmp_path / "release" / "report"
    chinese = (report / "index.zh.html").read_text("utf-8")
    assert result["figures"]["zh_labels"] is False and "no CJK font" in result["figures"]["zh"]
    assert 'src="sources.png"' in chinese and not list(report.glob("*.zh.png"))
    assert "图表标签为英文" in chinese and "fonts-noto-cjk" in chinese
