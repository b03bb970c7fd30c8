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


#: Years where neither, only one, or both lines of the held chart are suppressed (1 to 4 people).
HELD = {"years": list(range(1989, 2001)),
        "held": [20, 15, 12, 3, 3, 2, 9, 8, 0, 0, 0, 0], "unknown": [0, 0, 2, 2, 7, 8, 3, 0, 0, 0, 0, 0]}


def test_the_held_chart_hatches_only_each_lines_own_suppressed_years_and_its_legend_covers_nothing(
        tmp_path, monkeypatch):
    """Outside tester: hatching on every year (whose?), a legend without the hatching of each line, over the line."""
    import matplotlib

    matplotlib.use("Agg")
    drawn = {}
    monkeypatch.setattr(figures, "_save", lambda figure, path: drawn.setdefault(path.name, figure))
    figures._held(tmp_path, HELD, 5, figures.words_for("en"), "")
    figure = drawn["held_over_time.png"]
    axes = figure.axes[0]
    hatched = [p for p in axes.patches if p.get_hatch()]
    for key in ("held", "unknown"):
        suppressed = {year for year, n in zip(HELD["years"], HELD[key]) if 0 < n < 5}
        # Each line hatches exactly its own suppressed years, in a style of its own.
        mine = [p for p in hatched if p.get_gid() == key]
        assert {round(p.get_x() + p.get_width() / 2) for p in mine} == suppressed, key
        assert len({(p.get_hatch(), p.get_edgecolor()) for p in mine}) == 1
    styles = {p.get_gid(): (p.get_hatch(), p.get_edgecolor()) for p in hatched}
    assert styles["held"] != styles["unknown"] and len(hatched) == 3 + 3
    # In 1993 and 1994 only "held" is hidden, in 1991 and 1995 only "status unknown": one band there, two in 1992.
    for year, key in ((1993, "held"), (1994, "held"), (1991, "unknown"), (1995, "unknown")):
        assert [p.get_gid() for p in hatched if round(p.get_x() + p.get_width() / 2) == year] == [key]
    # The legend names both lines and the hatching of each, in that line's style.
    legend = axes.get_legend()
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts == ["held", "status unknown", "held: fewer than 5 (1–4), suppressed, not zero",
                     "status unknown: fewer than 5 (1–4), suppressed, not zero"]
    handles = dict(zip(texts, legend.legend_handles))
    assert handles["held: fewer than 5 (1–4), suppressed, not zero"].get_hatch() == styles["held"][0]
    # The legend lies outside the axes, over no line or band, and inside the saved picture.
    figure.tight_layout()
    figure.canvas.draw()
    box, plot = legend.get_window_extent(), axes.get_window_extent()
    assert not box.overlaps(plot) and box.y1 <= plot.y0 and box.y0 >= 0


#: The outside tester's chart (rt15 repro 04): six then five held, then 1 to 4 held and of unknown status.
REPRO = {"years": list(range(1989, 2006)), "held": [6] * 6 + [5] * 7 + [3] * 4, "unknown": [0] * 13 + [2] * 4}


def _held_axes(tmp_path, monkeypatch, series):
    import matplotlib

    matplotlib.use("Agg")
    drawn = {}
    monkeypatch.setattr(figures, "_save", lambda figure, path: drawn.setdefault(path.name, figure))
    figures._held(tmp_path, series, 5, figures.words_for("en"), "")
    figure = drawn["held_over_time.png"]
    figure.canvas.draw()
    return figure.axes[0]


def test_the_held_chart_has_whole_years_and_draws_a_suppressed_year_where_it_cannot_be_read_as_five(
        tmp_path, monkeypatch):
    """Outside tester: ticks 1992.5, 1997.5; suppressed years drawn up to 5, as high as the real 5s beside them."""
    axes = _held_axes(tmp_path, monkeypatch, REPRO)
    low, high = axes.get_xlim()
    assert [t for t in axes.get_xticks() if low <= t <= high] and all(
        float(t).is_integer() for t in axes.get_xticks())
    assert low > 1988 and high < 2006  # no year outside the series on the axis
    bands = [p for p in axes.patches if p.get_hatch()]
    assert len(bands) == 8
    for band in bands:  # each over 1..4, where the hidden count lies: never from 0, never up to 5
        assert (band.get_y(), band.get_y() + band.get_height()) == (1, 4)
    held = axes.lines[0]
    assert list(held.get_ydata())[6:13] == [5] * 7  # the real fives stand above every band


def test_the_named_chart_draws_a_small_count_as_its_range_and_a_complement_as_open_above(tmp_path, monkeypatch):
    import matplotlib

    from mingdan.publish.opendata import COMPLEMENT, HIDDEN

    matplotlib.use("Agg")
    from matplotlib.text import Annotation

    drawn = {}
    monkeypatch.setattr(figures, "_save", lambda figure, path: drawn.setdefault(path.name, figure))
    entry = lambda key, label: {"category": key, "labels": {"en": label}, "claims": [], "estimate": None}  # noqa: E731
    account = {"categories": [entry("killed", "Killed"), entry("died_in_custody", "Died in custody"),
                              entry("detained", "Detained")]}
    figures._named(tmp_path, account, 5, figures.words_for("en"), "en", "",
                   {"killed": 5, "died_in_custody": HIDDEN, "detained": COMPLEMENT})
    axes = drawn["named_claimed_estimated.png"].axes[0]
    bars = {round(p.get_y() + p.get_height() / 2): p for p in axes.patches}
    assert (bars[0].get_x(), bars[0].get_width()) == (0, 5) and not bars[0].get_hatch()  # a real five
    assert (bars[1].get_x(), bars[1].get_x() + bars[1].get_width()) == (1, 4) and bars[1].get_hatch()
    assert 2 not in bars  # the complement is no bar of any length ...
    arrows = [a for a in axes.texts if isinstance(a, Annotation) and a.get_gid() == "complement"]
    assert [(a.xyann, a.xy[0] > 5) for a in arrows] == [((5, 2), True)]  # ... but 5 or more, open above
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert sorted(labels) == ["fewer than 5 (1–4), suppressed, not zero", "named",
                              "suppressed to protect another cell (5 or more)"]
