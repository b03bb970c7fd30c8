"""The report's harassment figure, drawn from published cells: whole years, no empty legend entry, and a year
hidden whole marked, never drawn as a number of events."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

from matplotlib.patches import Rectangle  # noqa: E402

from mingdan.publish.figure_harassment import draw_harassment, harassment_table, harassment_words  # noqa: E402
from mingdan.publish.figures import HIDDEN_STYLE  # noqa: E402
from mingdan.publish.opendata import COMPLEMENT, HIDDEN  # noqa: E402


def row(year, kind, people, events):
    return {"year": year, "kind": kind, "people": people, "events": events}


ROWS = [row(2017, "all", 12, 30), row(2017, "around_4_june", 10, 20), row(2017, "house_arrest", 12, 30),
        row(2018, "all", HIDDEN, HIDDEN), row(2018, "around_4_june", HIDDEN, HIDDEN),
        row(2018, "house_arrest", HIDDEN, HIDDEN),
        row(2019, "all", 9, 25), row(2019, "around_4_june", 9, 25), row(2019, "house_arrest", 9, 25),
        row(2019, "uncertain_date", 6, 7)]


def test_the_figure_has_whole_years_no_empty_legend_and_no_value_for_a_hidden_year():
    import matplotlib.pyplot as plt

    figure = draw_harassment(ROWS, 5, harassment_words("en"), HIDDEN_STYLE)
    axes = figure.axes[0]
    figure.canvas.draw()
    ticks = [t for t in axes.get_xticks() if axes.get_xlim()[0] <= t <= axes.get_xlim()[1]]
    assert ticks and all(float(t).is_integer() for t in ticks)
    labels = [t.get_text() for t in axes.get_legend().get_texts()]
    assert "other kinds" not in labels and "house arrest" in labels
    assert "fewer than 5 people (suppressed, not zero)" in labels
    # No bar stands at 2018 with a height: the hidden year is a band over the whole plot.
    full = axes.get_window_extent().height
    at_2018 = [p.get_window_extent().height for p in axes.patches if isinstance(p, Rectangle)
               and abs(p.get_x() + p.get_width() / 2 - 2018) < 0.01 and p.get_height() > 0]
    assert at_2018 and all(height > 0.99 * full for height in at_2018)
    # The uncertain-date row is not a kind stacked on 2019: its bar is the 25 house arrests alone.
    heights = [p.get_height() for p in axes.patches if isinstance(p, Rectangle)
               and abs(p.get_x() + p.get_width() / 2 - 2019) < 0.01]
    assert heights == [25]
    plt.close(figure)


def test_the_report_table_lists_doubtful_dates_apart():
    table = harassment_table("en", ROWS, 5)
    assert "Dated with doubt (people / events)" in table and "6 / 7" in table
    assert "uncertain_date" not in table


def test_traditional_chinese_writes_the_gazetteer_as_a_table_not_a_watch():
    from mingdan.publish.report_text import text

    words = repr(text("zh-hant"))
    assert "地名表" in words and "錶" not in words
    assert "錶" not in repr(harassment_words("zh-hant"))


def test_a_year_whose_total_protects_another_cell_is_marked_over_the_whole_height_not_as_five_events():
    """A complement drawn up to the threshold read as 5 events, beside 9 events around 4 June that year."""
    import matplotlib.pyplot as plt

    rows = [*ROWS[:3], row(2018, "all", COMPLEMENT, COMPLEMENT), row(2018, "around_4_june", 6, 9),
            row(2018, "house_arrest", COMPLEMENT, COMPLEMENT), *ROWS[6:]]
    figure = draw_harassment(rows, 5, harassment_words("en"), HIDDEN_STYLE)
    axes = figure.axes[0]
    figure.canvas.draw()
    full = axes.get_window_extent().height
    at_2018 = [p for p in axes.patches if isinstance(p, Rectangle) and abs(p.get_x() + p.get_width() / 2 - 2018) < 0.01
               and p.get_height() > 0]
    assert at_2018 and all(p.get_hatch() == "xx" and p.get_window_extent().height > 0.99 * full for p in at_2018)
    assert "year's total suppressed to protect another cell" in [t.get_text() for t in axes.get_legend().get_texts()]
    plt.close(figure)
