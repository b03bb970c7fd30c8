"""The report's figures, labelled in English, 简体 or 繁體; Chinese needs a CJK font, else English labels, said plainly.

Counts that disclosure control hides are drawn so that they cannot be read as a value, named in the
legend, never left out (a gap reads as "nobody") and never drawn as zero: a small count as a hatched
band over the whole range it may hold, 1 to the threshold − 1 (a bar up to the threshold read as that
many, beside real counts of it); a complement, of any size from the threshold up, as a mark at the
threshold with an arrow to the open side; a year hidden whole over the whole height.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections import Counter
from functools import lru_cache
from pathlib import Path

from mingdan.store.case import Case

from .opendata import HIDDEN, is_hidden
from .report_text import PAGES

CJK_FAMILIES = {
    "hans": ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
             "Droid Sans Fallback", "AR PL UMing CN"),
    "hant": ("Noto Sans CJK TC", "Source Han Sans TC", "Noto Sans TC", "Noto Sans CJK SC", "WenQuanYi Zen Hei",
             "AR PL UMing TW", "Droid Sans Fallback"),
}
HIDDEN_STYLE = {"color": "none", "edgecolor": "#888888", "hatch": "////", "linewidth": 0.6}
_EN = {"people": "people", "records": "records", "named": "named", "claims": "published claims",
       "estimate": "estimate (95%)", "held": "held", "unknown": "status unknown",
       "hidden": "fewer than {t} (1–{t_1}), suppressed, not zero", "retracted": "retracted",
       "series_hidden": "{series}: {hidden}",
       "complement": "suppressed to protect another cell ({t} or more)", "t_named": "Named, claimed and estimated, per category",
       "t_upset": "Source overlap (UpSet): people named by exactly these sources",
       "t_held": "People held on 1 July of each year", "t_sources": "Sources and their sizes",
       "t_estimate": "{label}: estimated total {n} (95% interval {low}–{high})",
       "e_named": "named", "e_estimate": "estimate, {method}", "e_middle": "middle 50%", "e_interval": "95% interval",
       "c_named": "Named people (bars), published claims (red: a range as a line, a single figure as a diamond, a "
                  "figure given only as at least or at most as a bar with an arrow towards the side it leaves "
                  "open), estimated totals with 95% intervals (points)",
       "claims_open": "published claim: at least / at most (arrow: the open side)",
       "c_upset": "People of the accounting's categories per combination of sources (combinations of fewer than "
                  "{t} people are not shown)",
       "c_held": "People held, and people whose status is unknown, on 1 July of each year; a year with fewer than {t} "
                 "in a line is a band hatched in that line's colour over 1 to {t_1}, where its count lies: not a "
                 "value, and not left out",
       "c_sources": "Records per source (a source of fewer than {t} records, or whose size is suppressed, and a "
                    "list of relatives, whose size is never published, are not drawn)",
       "c_estimate": "{label}: the estimate of the total with its 95% interval (line) and middle 50% (box), the "
                     "people named, and every published claim (grey: retracted)",
       "a_bar": "bar chart", "a_upset": "UpSet plot", "a_line": "line chart", "a_interval": "interval chart"}
_ZH = {"people": "人数", "records": "记录数", "named": "有名有姓者", "claims": "已公布的数字",
       "estimate": "估计（95%区间）", "held": "在押", "unknown": "状况不明",
       "hidden": "少于{t}（1–{t_1}），不公布，并非为零", "retracted": "已撤回", "series_hidden": "{series}：{hidden}",
       "complement": "为保护另一格而不公布（{t}或以上）", "t_named": "各类别的有名有姓者、已公布数字与估计", "t_upset": "来源重叠（UpSet图）：恰被这些来源提及的人数",
       "t_held": "每年7月1日在押的人数", "t_sources": "各来源及其规模",
       "t_estimate": "{label}：估计总数{n}（95%区间{low}–{high}）",
       "e_named": "有名有姓者", "e_estimate": "估计（{method}）", "e_middle": "中间50%", "e_interval": "95%区间",
       "c_named": "有名有姓者（柱），已公布数字（红色：范围为线段，单一数字为菱形，只给出“至少”或“至多”的数字为一竖线加指向未给出一端的箭头），"
                  "估计总数及95%区间（点）",
       "claims_open": "已公布的数字：至少 / 至多（箭头指向未给出的一端）",
       "c_upset": "各来源组合下属于统计类别的人数（少于{t}人的组合不显示）",
       "c_held": "每年7月1日在押及状况不明的人数；某条线少于{t}的年份以该线颜色的斜线带标出1至{t_1}的范围（其人数在此范围内），"
                 "既不是一个数值，也未略去",
       "c_sources": "每个来源的记录数（少于{t}条记录或记录数不公布的来源，以及从不公布规模的亲属名单，不在图中）",
       "c_estimate": "{label}：总数的估计及其95%区间（线）与中间50%（框）、有名有姓者，以及每个已公布的数字（灰色：已撤回）",
       "a_bar": "柱状图", "a_upset": "UpSet图", "a_line": "折线图", "a_interval": "区间图"}


@lru_cache(maxsize=None)
def words_for(language: str) -> dict:
    """The figures' words in one language (繁體 converted from 简体)."""
    if language == "en":
        return _EN
    if language == "zh-hans":
        return _ZH
    import opencc

    convert = opencc.OpenCC("s2tw").convert
    return {key: convert(value) for key, value in _ZH.items()}


def cjk_font(script: str = "hans") -> str | None:
    """The family name of a CJK font matplotlib can use (asking fontconfig when its cache predates the font), or None."""
    from matplotlib import font_manager

    def known() -> str | None:
        for family in CJK_FAMILIES[script]:
            try:
                font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
                return family
            except ValueError:
                continue
        return None

    found = known()
    if found or not shutil.which("fc-list"):
        return found
    listed = subprocess.run(["fc-list", ":lang=zh-cn", "file"], capture_output=True, text=True, timeout=30).stdout
    for line in sorted({line.split(":")[0].strip() for line in listed.splitlines() if line.strip()}):
        try:
            font_manager.fontManager.addfont(line)
        except (OSError, RuntimeError, ValueError):
            continue
    return known()


def write_figures(folder: Path, account: dict, threshold: int, case: Case, language: str,
                  held: dict | None = None, published: dict | None = None) -> tuple[list | None, str]:
    """The figures of one language (None when its script has no font) and a note on the font used.

    published: the release's tables after disclosure control; the figures draw the counts hidden there
    as hidden (a complement as well as a small count), never from the accounting's own numbers.
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context

    words, suffix = words_for(language), PAGES[language][1]
    font = cjk_font("hant" if language == "zh-hant" else "hans")
    if language != "en" and font is None:
        return None, "no CJK font found for matplotlib (install fonts-noto-cjk): the Chinese page shows the English figures"
    fonts = ([font, "DejaVu Sans"] if language != "en" else ["DejaVu Sans", font]) if font else ["DejaVu Sans"]
    series = held or held_series(case, account)
    # A list of families (not the generic "sans-serif") is what lets matplotlib fall back glyph by glyph.
    with rc_context({"font.family": fonts, "axes.unicode_minus": False}):
        named = _published_named(account, published, threshold)
        made = [_named(folder, account, threshold, words, language, suffix, named)]
        made += [_estimate(folder, entry, threshold, words, language, suffix, named[entry["category"]])
                 for entry in account["categories"] if entry["estimate"]]
        made += [_upset(folder, threshold, words, suffix), _held(folder, series, threshold, words, suffix)]
        made += [f for f in [_harassment(folder, account, threshold, language, suffix, published)] if f]
        made += [_sources(folder, account, threshold, words, suffix, published)]
    return made, f"labels drawn with {font}" if font else "no CJK font: Chinese source names may not draw"


def _save(figure, path: Path) -> None:
    import matplotlib.pyplot as plt

    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def hidden_span(threshold: int) -> tuple[float, float]:
    """Where a small hidden count is drawn: the band of the values it may hold, 1 to threshold − 1 (a sliver
    around 1 when that is the only one), never from 0 and never up to the threshold."""
    low, high = 1.0, float(threshold - 1)
    return (low, high) if high - low >= 0.5 else (low - 0.25, high + 0.25)


def _hidden_bar(axes, x, threshold: int, horizontal: bool, label: str | None, width: float = 0.35,
                reach: float = 0.0, complement: bool = False) -> None:
    """A count that is there but suppressed: a small one as a hatched band over 1..threshold − 1; a complement
    (threshold or more, unbounded) as a mark at the threshold and an arrow towards larger values."""
    if complement:
        axes.plot([threshold], [x], marker="|", markersize=12, markeredgewidth=2.5, color="#777777",
                  linestyle="none", label=label)
        head = threshold + max(reach, 1.0)
        arrow = axes.annotate("", xy=(head, x), xytext=(threshold, x),
                              arrowprops={"arrowstyle": "-|>", "color": "#777777", "linewidth": 1.5,
                                          "linestyle": (0, (3, 2)), "mutation_scale": 12, "shrinkA": 0, "shrinkB": 0})
        arrow.set_gid("complement")
        axes.update_datalim([(head, x)])
        axes.autoscale_view()
        return
    low, high = hidden_span(threshold)
    if horizontal:
        axes.barh(x, high - low, left=low, height=width, label=label, gid="hidden", **HIDDEN_STYLE)
    else:
        axes.bar(x, high - low, bottom=low, width=width, label=label, gid="hidden", **HIDDEN_STYLE)


def _claim_marks(axes, claims: list[dict], positions: list[float], label=None, reach: float = 0.0) -> None:
    """Each claim: a range as a thick line, a single figure as a diamond, retracted ones grey; a figure given
    only as "at least" or "at most" as a bar at it with an arrow towards its open side (never a diamond: it
    is not that number). label(key) gives a legend entry once, or None; reach is the arrow's length."""
    for claim, y in zip(claims, positions):
        values = [v for v in (claim["minimum"], claim["best"], claim["maximum"]) if v is not None]
        if not values:
            continue
        color = "#999999" if claim["verification"] == "retracted" else "#b03a2e"
        low = claim["minimum"] if claim["minimum"] is not None else claim["best"]
        high = claim["maximum"] if claim["maximum"] is not None else claim["best"]
        if low is None or high is None:
            _open_claim(axes, low if high is None else high, y, color, "above" if high is None else "below",
                        reach, label("claims_open") if label else None)
            continue
        name = label("claims") if label else None
        if low != high:
            axes.plot([low, high], [y, y], color=color, linewidth=4, solid_capstyle="butt", label=name)
        axes.plot([claim["best"] if claim["best"] is not None else low], [y], marker="D", markersize=6,
                  color=color, linestyle="none", label=name if low == high else None)


def _open_claim(axes, value: int, y: float, color: str, side: str, reach: float, label: str | None) -> None:
    """A one-sided claim: a bar at its figure and an arrow from it towards the side it leaves open."""
    axes.plot([value], [y], marker="|", markersize=12, markeredgewidth=2.5, color=color, linestyle="none",
              label=label)
    head = value + reach if side == "above" else max(value - reach, 0)
    arrow = axes.annotate("", xy=(head, y), xytext=(value, y),
                          arrowprops={"arrowstyle": "-|>", "color": color, "linewidth": 2, "mutation_scale": 12,
                                      "shrinkA": 0, "shrinkB": 0})
    arrow.set_gid(f"claim_open_{side}")
    axes.update_datalim([(head, y)])  # the axis reaches the arrow's head
    axes.autoscale_view()


def _reach(*values) -> float:
    """The length of an open claim's arrow: a tenth of the largest value the figure draws."""
    drawn = [v for v in values if isinstance(v, (int, float))]
    return 0.1 * max(drawn, default=1) or 1.0


def _claim_values(claims: list[dict]) -> list[int]:
    return [v for c in claims for v in (c["minimum"], c["best"], c["maximum"]) if v is not None]


def _published_named(account: dict, published: dict | None, threshold: int) -> dict:
    """category -> its named people as the release publishes them (a number, or hidden)."""
    if published and published.get("accounting"):
        return {row["category"]: row["named_people"] for row in published["accounting"]}
    return {e["category"]: e["named"]["people"] if e["named"]["people"] == 0 or e["named"]["people"] >= threshold else HIDDEN
            for e in account["categories"]}


def _named(folder: Path, account: dict, threshold: int, words: dict, language: str, suffix: str,
           published: dict) -> tuple[str, str, str]:
    """Named vs claimed vs estimated, per category."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4.2), dpi=110)
    labelled: set[str] = set()
    reach = _reach(threshold, *published.values(), *(v for e in account["categories"] for v in _claim_values(
        [c for c in e["claims"] if c["verification"] != "retracted"])),
        *(e["estimate"]["upper"] for e in account["categories"] if e["estimate"]))

    def label(key: str) -> str | None:
        if key in labelled:
            return None
        labelled.add(key)
        return words[key].format(t=threshold, t_1=threshold - 1)

    for index, entry in enumerate(account["categories"]):
        named = published[entry["category"]]
        if not is_hidden(named):
            axes.barh(index, named, color="#4a7ab0", height=0.35, label=label("named"))
        else:
            _hidden_bar(axes, index, threshold, True, label("hidden" if named is HIDDEN else "complement"),
                        reach=reach, complement=named is not HIDDEN)
        live = [c for c in entry["claims"] if c["verification"] != "retracted"]
        if live:
            _claim_marks(axes, live, [index + 0.3] * len(live), label, reach)
        estimate = entry["estimate"]
        if estimate:
            axes.errorbar(estimate["estimate"], index - 0.3, xerr=[[estimate["estimate"] - estimate["lower"]],
                                                                    [estimate["upper"] - estimate["estimate"]]],
                          fmt="o", color="#1f4e79", capsize=4, label=label("estimate"))
    axes.set_yticks(range(len(account["categories"])), [e["labels"][language] for e in account["categories"]])
    axes.invert_yaxis()
    axes.set_xlim(left=0)
    axes.set_xlabel(words["people"])
    if labelled:
        axes.legend(fontsize=8, loc="lower right")
    axes.set_title(words["t_named"])
    name = f"named_claimed_estimated{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_bar"], words["c_named"]


def _estimate(folder: Path, entry: dict, threshold: int, words: dict, language: str,
              suffix: str, named) -> tuple[str, str, str]:
    """One category's estimate: 95% interval and middle half, the people named, every published claim."""
    import matplotlib.pyplot as plt

    estimate, label = entry["estimate"], entry["labels"][language]
    quantiles = (estimate.get("summary") or {}).get("quantiles") or {}
    claims = entry["claims"]
    rows = [words["e_named"], words["e_estimate"].format(method=estimate["method"].upper())] + [
        c["source"] + (f" ({words['retracted']})" if c["verification"] == "retracted" else "") for c in claims]
    figure, axes = plt.subplots(figsize=(8, 1.4 + 0.38 * len(rows)), dpi=110)
    if not is_hidden(named):
        axes.barh(0, named, color="#4a7ab0", height=0.5)
    else:
        _hidden_bar(axes, 0, threshold, True, words["hidden" if named is HIDDEN else "complement"].format(
            t=threshold, t_1=threshold - 1), width=0.5, reach=_reach(threshold, estimate["upper"]),
            complement=named is not HIDDEN)
    axes.plot([estimate["lower"], estimate["upper"]], [1, 1], color="#1f4e79", linewidth=2, label=words["e_interval"])
    if "0.25" in quantiles and "0.75" in quantiles:
        axes.barh(1, quantiles["0.75"] - quantiles["0.25"], left=quantiles["0.25"], height=0.4, color="#8aa6c1",
                  label=words["e_middle"])
    axes.plot([estimate["estimate"]], [1], marker="o", color="#1f4e79", markersize=7)
    _claim_marks(axes, claims, [2 + i for i in range(len(claims))], None,
                 _reach(threshold, named, estimate["upper"], *_claim_values(claims)))
    axes.set_yticks(range(len(rows)), rows, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(left=0)
    axes.set_xlabel(words["people"])
    axes.legend(fontsize=7, loc="lower right")
    axes.set_title(words["t_estimate"].format(label=label, n=f"{estimate['estimate']:,.0f}",
                                              low=f"{estimate['lower']:,.0f}", high=f"{estimate['upper']:,.0f}"),
                   fontsize=10)
    name = f"estimate_{entry['category']}{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_interval"], words["c_estimate"].format(label=label)


def _upset(folder: Path, threshold: int, words: dict, suffix: str) -> tuple[str, str, str]:
    """An UpSet plot: people of the accounting's categories per combination of sources, combinations of fewer
    than threshold hidden.

    Only people in a category are drawn: a relative who is only harassed stands in no category, and the bar
    of a families' list alone would count them (the size a release withholds).
    """
    import matplotlib.pyplot as plt

    from mingdan.store.categories import CATEGORY_EVENTS
    from mingdan.store.lens import Lens, event_types_q
    from mingdan.store.models import Event, Record

    wanted = {event: category for category, events in CATEGORY_EVENTS.items() for event in events}
    counted = set(Event.objects.filter(event_types_q(Lens.everything(), wanted), superseded_in__isnull=True)
                  .values_list("record_id", flat=True))
    lists: dict[str, set[str]] = {}
    inside: set[str] = set()
    for pk, person, source, record_id in Record.objects.values_list("pk", "person__person_id", "source__name",
                                                                    "record_id"):
        key = person or f"{source}:{record_id}"
        lists.setdefault(key, set()).add(source)
        if pk in counted:
            inside.add(key)
    lists = {key: sources for key, sources in lists.items() if key in inside}
    combos = Counter(frozenset(s) for s in lists.values())
    shown = [(c, n) for c, n in combos.most_common() if n >= threshold][:20]
    sources = sorted({s for c, _ in shown for s in c})
    figure, (bars, dots) = plt.subplots(2, 1, figsize=(9, 5.5), dpi=110, gridspec_kw={"height_ratios": [2, 1]},
                                        sharex=True)
    bars.bar(range(len(shown)), [n for _, n in shown], color="#4a7ab0")
    bars.set_ylabel(words["people"])
    bars.set_title(words["t_upset"])
    for x, (combo, _) in enumerate(shown):
        ys = [sources.index(s) for s in combo]
        dots.scatter([x] * len(sources), range(len(sources)), color="#dddddd", s=30)
        dots.scatter([x] * len(ys), ys, color="#222222", s=30)
        if len(ys) > 1:
            dots.plot([x, x], [min(ys), max(ys)], color="#222222")
    dots.set_yticks(range(len(sources)), sources, fontsize=8)
    dots.set_xticks([])
    name = f"source_overlap_upset{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_upset"], words["c_upset"].format(t=threshold)


def held_series(case: Case, account: dict) -> dict:
    """People held, and of unknown status, on 1 July of each year from the first custody to the as-of year."""
    from mingdan.track import custody_people

    people = custody_people(case, named=False)
    last = int(account["as_of"][:4])
    first = min((p.view.custody_start.earliest.year for p in people if p.view.custody_start), default=last)
    years = list(range(first, last + 1))
    held, unknown = [], []
    for year in years:
        statuses = [p.view.status_on(dt.date(year, 7, 1)) for p in people]
        held.append(statuses.count("held"))
        unknown.append(statuses.count("unknown"))
    return {"years": years, "held": held, "unknown": unknown}


#: Each line of the held chart: its colour, line style and the hatching of its suppressed years (and their offset).
HELD_LINES = (("held", "#1f4e79", "-", "////", -0.21), ("unknown", "#777777", "--", "\\\\\\\\", 0.21))


def _held(folder: Path, series: dict, threshold: int, words: dict, suffix: str) -> tuple[str, str, str]:
    """The held-over-time lines from 0; a line's suppressed years are hatched bands up to the threshold.

    Each line hatches its own years, in its colour and its own hatching, side by side, and the legend
    names each (a band alone would not say whose count it hides); the legend sits under the axes,
    where it covers nothing.
    """
    import matplotlib.pyplot as plt

    from matplotlib.ticker import MaxNLocator

    years = series["years"]
    figure, axes = plt.subplots(figsize=(8, 3.9), dpi=110)
    for key, color, style, hatch, offset in HELD_LINES:
        shown = [c if c == 0 or c >= threshold else float("nan") for c in series[key]]
        axes.plot(years, shown, color=color, linestyle=style, marker="o", markersize=2.5, label=words[key])
        hidden = [year for year, count in zip(years, series[key]) if 0 < count < threshold]
        if hidden:
            label = words["series_hidden"].format(series=words[key], hidden=words["hidden"].format(
                t=threshold, t_1=threshold - 1))
            # Over 1..threshold − 1, where the count lies: a bar up to the threshold read as that many.
            low, high = hidden_span(threshold)
            bars = axes.bar([year + offset for year in hidden], high - low, bottom=low, width=0.4, label=label,
                            **{**HIDDEN_STYLE, "edgecolor": color, "hatch": hatch})
            for bar in bars:
                bar.set_gid(key)
    axes.set_ylim(bottom=0, top=max([threshold + 1, *series["held"], *series["unknown"]]) * 1.08)
    axes.set_xlim(years[0] - 0.7, years[-1] + 0.7)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # a year is whole: no 1992.5 on the axis
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # and so is a number of people
    axes.set_ylabel(words["people"])
    axes.set_title(words["t_held"])
    axes.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.1), ncol=2, frameon=False)
    name = f"held_over_time{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_line"], words["c_held"].format(t=threshold, t_1=threshold - 1)


def _harassment(folder: Path, account: dict, threshold: int, language: str, suffix: str, published: dict | None):
    """Harassment per year by kind, drawn from the same suppressed cells the release publishes."""
    from .figure_harassment import harassment_figure
    from .harassment import release_rows

    if not account.get("harassment"):
        return None
    rows = published["harassment_by_year"] if published and "harassment_by_year" in published else \
        release_rows(account["harassment"], threshold)
    return harassment_figure(folder, rows, threshold, language, suffix, HIDDEN_STYLE)


def _sources(folder: Path, account: dict, threshold: int, words: dict, suffix: str,
             published: dict | None = None) -> tuple[str, str, str]:
    """Records per source as sources.csv publishes them (a suppressed size, or fewer than threshold, left out)."""
    import matplotlib.pyplot as plt

    rows = published["sources"] if published and "sources" in published else [
        {**s, "records": None if s.get("family_list") else s["records"]} for s in account["sources"]]
    # A suppressed size, a withheld one (a list of relatives) and one below the threshold are not drawn.
    listed = [s for s in rows if isinstance(s["records"], int) and s["records"] >= threshold]
    figure, axes = plt.subplots(figsize=(8, 1.2 + 0.4 * max(len(listed), 1)), dpi=110)
    axes.barh([s["source"] for s in listed], [s["records"] for s in listed], color="#8aa6c1")
    axes.invert_yaxis()
    axes.set_xlabel(words["records"])
    axes.set_title(words["t_sources"])
    name = f"sources{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_bar"], words["c_sources"].format(t=threshold)
