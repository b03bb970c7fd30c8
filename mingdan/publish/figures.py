"""The report's figures, labelled in English or Chinese; Chinese needs a CJK font, else English labels, said plainly."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from collections import Counter
from pathlib import Path

from mingdan.store.case import Case

CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                "Droid Sans Fallback", "AR PL UMing CN")
WORDS = {
    "en": {"people": "people", "records": "records", "named": "named", "claims": "published claims",
           "estimate": "estimate (95%)", "held": "held", "unknown": "status unknown",
           "t_named": "Named, claimed and estimated, per category",
           "t_upset": "Source overlap (UpSet): people named by exactly these sources",
           "t_held": "People held on 1 July of each year", "t_sources": "Sources and their sizes",
           "c_named": "Named people (bars), published claims (red ranges), estimated totals with 95% intervals (points)",
           "c_upset": "People per combination of sources (combinations of fewer than {t} people are not shown)",
           "c_held": "People held, and people whose status is unknown, on 1 July of each year (counts below {t} not shown)",
           "c_sources": "Records per source", "a_bar": "bar chart", "a_upset": "UpSet plot", "a_line": "line chart"},
    "zh": {"people": "人数", "records": "记录数", "named": "有名有姓者", "claims": "已公布的数字",
           "estimate": "估计（95%区间）", "held": "在押", "unknown": "状况不明",
           "t_named": "各类别的有名有姓者、已公布数字与估计", "t_upset": "来源重叠（UpSet图）：恰被这些来源提及的人数",
           "t_held": "每年7月1日在押的人数", "t_sources": "各来源及其规模",
           "c_named": "有名有姓者（柱），已公布数字（红色范围），估计总数及95%区间（点）",
           "c_upset": "各来源组合下的人数（少于{t}人的组合不显示）",
           "c_held": "每年7月1日在押及状况不明的人数（少于{t}的计数不显示）",
           "c_sources": "每个来源的记录数", "a_bar": "柱状图", "a_upset": "UpSet图", "a_line": "折线图"},
}


def cjk_font() -> str | None:
    """The family name of a CJK font matplotlib can use (asking fontconfig when its cache predates the font), or None."""
    from matplotlib import font_manager

    def known() -> str | None:
        for family in CJK_FAMILIES:
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


def write_figures(folder: Path, account: dict, threshold: int, case: Case, language: str) -> tuple[list | None, str]:
    """The four figures for one language (None when its script has no font) and a note on the font used."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import rc_context

    words, suffix = WORDS[language], "" if language == "en" else f".{language}"
    font = cjk_font()
    if language != "en" and font is None:
        return None, "no CJK font found for matplotlib (install fonts-noto-cjk): the Chinese page shows the English figures"
    fonts = ([font, "DejaVu Sans"] if language != "en" else ["DejaVu Sans", font]) if font else ["DejaVu Sans"]
    # A list of families (not the generic "sans-serif") is what lets matplotlib fall back glyph by glyph.
    with rc_context({"font.family": fonts, "axes.unicode_minus": False}):
        made = [_named(folder, account, threshold, words, language, suffix),
                _upset(folder, threshold, words, suffix), _held(folder, account, threshold, case, words, suffix),
                _sources(folder, account, threshold, words, suffix)]
    return made, f"labels drawn with {font}" if font else "no CJK font: Chinese source names may not draw"


def _save(figure, path: Path) -> None:
    import matplotlib.pyplot as plt

    figure.tight_layout()
    figure.savefig(path, metadata={"Software": None})
    plt.close(figure)


def _named(folder: Path, account: dict, threshold: int, words: dict, language: str, suffix: str) -> tuple[str, str, str]:
    """Named vs claimed vs estimated, per category."""
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 4), dpi=110)
    labelled: set[str] = set()

    def label(key: str) -> str | None:
        if key in labelled:
            return None
        labelled.add(key)
        return words[key]

    for index, entry in enumerate(account["categories"]):
        named = entry["named"]["people"]
        if named >= threshold:
            axes.barh(index, named, color="#4a7ab0", height=0.35, label=label("named"))
        span = entry["claims_range"]
        if span["low"] is not None:
            axes.plot([span["low"], span["high"]], [index + 0.3] * 2, color="#b03a2e", linewidth=4, label=label("claims"))
        estimate = entry["estimate"]
        if estimate:
            axes.errorbar(estimate["estimate"], index - 0.3, xerr=[[estimate["estimate"] - estimate["lower"]],
                                                                    [estimate["upper"] - estimate["estimate"]]],
                          fmt="o", color="#1f4e79", capsize=4, label=label("estimate"))
    key = "label_zh" if language == "zh" else "label"
    axes.set_yticks(range(len(account["categories"])), [e.get(key) or e["label"] for e in account["categories"]])
    axes.invert_yaxis()
    axes.set_xlabel(words["people"])
    if labelled:
        axes.legend(fontsize=8, loc="lower right")
    axes.set_title(words["t_named"])
    name = f"named_claimed_estimated{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_bar"], words["c_named"]


def _upset(folder: Path, threshold: int, words: dict, suffix: str) -> tuple[str, str, str]:
    """An UpSet plot: people per combination of sources, combinations of fewer than threshold hidden."""
    import matplotlib.pyplot as plt

    from mingdan.store.models import Record

    lists: dict[str, set[str]] = {}
    for person, source, record_id in Record.objects.values_list("person__person_id", "source__name", "record_id"):
        lists.setdefault(person or f"{source}:{record_id}", set()).add(source)
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


def _held(folder: Path, account: dict, threshold: int, case: Case, words: dict, suffix: str) -> tuple[str, str, str]:
    """People held on 1 July of each year, and those whose status that day is unknown."""
    import matplotlib.pyplot as plt

    from mingdan.track import custody_people

    people = custody_people(case)
    last = int(account["as_of"][:4])
    first = min((p.view.custody_start.earliest.year for p in people if p.view.custody_start), default=last)
    years = list(range(first, last + 1))
    held, unknown = [], []
    for year in years:
        statuses = [p.view.status_on(dt.date(year, 7, 1)) for p in people]
        held.append(statuses.count("held"))
        unknown.append(statuses.count("unknown"))
    hide = lambda counts: [c if c == 0 or c >= threshold else float("nan") for c in counts]  # noqa: E731
    figure, axes = plt.subplots(figsize=(8, 3.4), dpi=110)
    axes.plot(years, hide(held), color="#1f4e79", label=words["held"])
    axes.plot(years, hide(unknown), color="#999999", linestyle="--", label=words["unknown"])
    axes.set_ylabel(words["people"])
    axes.set_title(words["t_held"])
    axes.legend(fontsize=8)
    name = f"held_over_time{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_line"], words["c_held"].format(t=threshold)


def _sources(folder: Path, account: dict, threshold: int, words: dict, suffix: str) -> tuple[str, str, str]:
    """Records per source (sources with fewer than threshold records left out)."""
    import matplotlib.pyplot as plt

    listed = [s for s in account["sources"] if s["records"] >= threshold]
    figure, axes = plt.subplots(figsize=(8, 3.2), dpi=110)
    axes.barh([s["source"] for s in listed], [s["records"] for s in listed], color="#8aa6c1")
    axes.invert_yaxis()
    axes.set_xlabel(words["records"])
    axes.set_title(words["t_sources"])
    name = f"sources{suffix}.png"
    _save(figure, folder / name)
    return name, words["a_bar"], words["c_sources"]
