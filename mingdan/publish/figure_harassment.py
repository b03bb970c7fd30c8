"""The report's harassment figure: events per year by kind from the published cells, each 4 June marked."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .opendata import HIDDEN, is_hidden

#: The episode's year: anniversaries are counted from it.
EPISODE_YEAR = 1989
#: Rows of a year that are not a kind of harassment (drawn or listed apart, never stacked with the kinds).
NOT_KINDS = ("all", "around_4_june", "uncertain_date")
KIND_WORDS = {
    "en": {"surveillance": "surveillance", "house_arrest": "house arrest",
           "administrative_detention": "administrative detention", "criminal_detention": "criminal detention",
           "forced_travel": "forced travel", "travel_ban": "travel ban", "passport_refused": "passport refused",
           "loss_of_employment": "loss of employment", "loss_of_pension": "loss of pension", "threats": "threats",
           "police_visit": "visit by police", "eviction": "eviction", "pressure_on_relatives": "pressure on relatives",
           "communication_cut": "communication cut", "other": "other", "unspecified": "kind not stated",
           "withheld": "kind withheld"},
    "zh-hans": {"surveillance": "监视", "house_arrest": "软禁", "administrative_detention": "行政拘留",
                "criminal_detention": "刑事拘留", "forced_travel": "被旅游", "travel_ban": "限制出境",
                "passport_refused": "拒发护照", "loss_of_employment": "失去工作", "loss_of_pension": "失去养老金",
                "threats": "威胁", "police_visit": "警察上门", "eviction": "被迫搬离", "pressure_on_relatives": "向亲属施压",
                "communication_cut": "切断通讯", "other": "其他", "unspecified": "未注明类型", "withheld": "类型不公开"},
}
_EN = {"events": "events", "other_kinds": "other kinds", "hidden_kinds": "kinds hidden by disclosure control",
       "hidden": "fewer than {t} people (suppressed, not zero)",
       "protecting": "year's total suppressed to protect another cell", "around": "around 4 June (±15 days)",
       "anniversary": "{n}th", "title": "Harassment: events per year by kind",
       "caption": "Harassment events per year by kind (bars), events around each 4 June (line, one point per "
                  "anniversary; round anniversaries dotted). Cells of fewer than {t} people are hatched, never "
                  "drawn as zero; nobody is named and no relation is shown.",
       "alt": "stacked bar chart", "section": "Harassment of participants and of victims' families",
       "year": "Year", "people": "People", "events_head": "Events", "around_head": "Around 4 June (people / events)",
       "main_kinds": "Most frequent kinds (events)", "uncertain_head": "Dated with doubt (people / events)",
       "note": "Counts only: nobody is named here, no family tie is published, and no detail of one person's "
               "harassment. People are distinct people harassed that year (participants and relatives alike); an "
               "event is counted in the year it began; an event dated with doubt (2019?) only under 'dated with "
               "doubt' in that year, in none of its other columns. <{t}: fewer than {t} people, not published (and "
               "not zero); — : suppressed to protect another cell (or, for people, because the count grew by fewer "
               "than {t} since the previous release while people were newly named); a cell's events are hidden "
               "with its people. "
               "Every kind per year is in the open data (harassment_by_year)."}
_ZH = {"events": "事件数", "other_kinds": "其他类型", "hidden_kinds": "因保密而隐去的类型",
       "hidden": "少于{t}人（不公布，并非为零）",
       "protecting": "为保护另一格而不公布当年总数", "around": "六四前后（±15天）", "anniversary": "{n}周年",
       "title": "骚扰：每年按类型的事件数",
       "caption": "每年按类型的骚扰事件数（柱），每年六四前后的事件数（线，每个周年一个点；逢五逢十的周年以虚线标出）。"
                  "少于{t}人的格以斜线标出，从不显示为零；不列任何姓名，也不显示任何亲属关系。",
       "alt": "堆积柱状图", "section": "参与者及遇难者、被捕者家属所受的骚扰",
       "year": "年份", "people": "人数", "events_head": "事件数", "around_head": "六四前后（人数 / 事件数）", "main_kinds": "最常见的类型（事件数）",
       "uncertain_head": "日期存疑（人数 / 事件数）",
       "note": "仅公布计数：此处不列任何姓名，不公布任何亲属关系，也不公布任何个人所受骚扰的细节。人数为当年受到骚扰的不同个人"
               "（参与者与家属均计入）；事件按开始的年份计数；日期存疑的事件（2019?）只计入当年的“日期存疑”一栏，不计入其他各栏。"
               "<{t}：少于{t}人，不公布（并非为零）；—：为保护另一格而不公布"
               "（人数一栏也可能因自上一次发布以来只增加不足{t}人而同时名单上新增了姓名）；一格的人数隐去时，其事件数也一并隐去。每年各类型的计数见开放数据（harassment_by_year）。"}
COLORS = ("#1f4e79", "#c0504d", "#9bbb59", "#8064a2", "#4bacc6", "#f79646")


@lru_cache(maxsize=None)
def harassment_words(language: str) -> dict:
    """The figure's and the report section's words in one language (繁體 converted from 简体)."""
    if language == "en":
        return {**_EN, "kinds": KIND_WORDS["en"]}
    if language == "zh-hans":
        return {**_ZH, "kinds": KIND_WORDS["zh-hans"]}
    from .report_text import to_traditional as convert

    return {**{k: convert(v) for k, v in _ZH.items() if k != "note"}, "note": _hant_note(convert),
            "kinds": {k: convert(v) for k, v in KIND_WORDS["zh-hans"].items()}}


def _hant_note(convert) -> str:
    """The note converted, the open data's table name kept as written (it is data, not a word)."""
    return convert(_ZH["note"].replace("harassment_by_year", "@@TABLE@@")).replace("@@TABLE@@", "harassment_by_year")


def harassment_table(language: str, rows: list[dict], threshold: int) -> str:
    """The report's section: per year people, events, around 4 June and the most frequent kinds; hidden cells '—'."""
    import html

    if not rows:
        return ""
    words = harassment_words(language)
    # People: "<5" when small (escaped: "&lt;5"), "—" when suppressed to protect another cell; events hidden
    # with them: "—" (any size).
    cell = lambda v, people=True: (html.escape(f"<{threshold}") if v is HIDDEN and people  # noqa: E731
                                   else "—" if is_hidden(v) else f"{v:,}")
    body = []
    for year in sorted({r["year"] for r in rows}):
        mine = {r["kind"]: r for r in rows if r["year"] == year}
        total, near = mine["all"], mine["around_4_june"]
        doubt = mine.get("uncertain_date")
        kinds = sorted((r for k, r in mine.items() if k not in NOT_KINDS and not is_hidden(r["events"])),
                       key=lambda r: (-r["events"], r["kind"]))[:3]
        top = html.escape("，" if language != "en" else ", ").join
        listed = top(f"{html.escape(words['kinds'].get(r['kind'], r['kind']))} {r['events']:,}" for r in kinds)
        body.append(f'<tr><th scope="row">{html.escape(str(year))}</th><td class="num">{cell(total["people"])}</td>'
                    f'<td class="num">{cell(total["events"], False)}</td><td class="num">{cell(near["people"])} / '
                    f'{cell(near["events"], False)}</td><td>{listed or "—"}</td><td class="num">'
                    + (f'{cell(doubt["people"])} / {cell(doubt["events"], False)}' if doubt else "")
                    + "</td></tr>")
    note = html.escape(words["note"].format(t=threshold)).replace(
        "harassment_by_year", '<code translate="no">harassment_by_year</code>')
    e = lambda key: html.escape(words[key])  # noqa: E731  (every word is text, escaped like data)
    return (f"<h2>{e('section')}</h2><table><thead><tr><th>{e('year')}</th>"
            f"<th>{e('people')}</th><th>{e('events_head')}</th><th>{e('around_head')}</th>"
            f"<th>{e('main_kinds')}</th><th>{e('uncertain_head')}</th></tr></thead><tbody>{''.join(body)}</tbody>"
            f"</table><p>{note}</p>")


def harassment_figure(folder: Path, rows: list[dict], threshold: int, language: str, suffix: str,
                      hidden_style: dict) -> tuple[str, str, str] | None:
    """Stacked bars of published events per year and kind, the 4 June line, round anniversaries; None with no rows."""
    from .figures import _save

    if not rows:
        return None
    words = harassment_words(language)
    figure = draw_harassment(rows, threshold, words, hidden_style)
    name = f"harassment_by_year{suffix}.png"
    _save(figure, folder / name)
    return name, words["alt"], words["caption"].format(t=threshold)


def draw_harassment(rows: list[dict], threshold: int, words: dict, hidden_style: dict):
    """The figure itself (unsaved): whole years only on the axis, a legend entry only for what is drawn, and a
    year hidden whole marked across the plot, never drawn as a count of events."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    years = sorted({r["year"] for r in rows})
    total = {r["year"]: r["events"] for r in rows if r["kind"] == "all"}
    around = {r["year"]: r["events"] for r in rows if r["kind"] == "around_4_june"}
    kinds = [r for r in rows if r["kind"] not in NOT_KINDS]
    sums: dict[str, int] = {}
    for r in kinds:
        if not is_hidden(r["events"]):
            sums[r["kind"]] = sums.get(r["kind"], 0) + r["events"]
    # Six kinds get a colour each (the most frequent); the rest share one, so the legend stays readable.
    main = [k for k, _ in sorted(sums.items(), key=lambda p: (-p[1], p[0]))[:len(COLORS)]]
    figure, axes = plt.subplots(figsize=(9, 5.0), dpi=110)
    bottom = {y: 0 for y in years}
    for kind, color in zip([*main, "_rest"], [*COLORS, "#bbbbbb"]):
        heights = []
        for y in years:
            cells = [r["events"] for r in kinds if r["year"] == y and not is_hidden(r["events"])
                     and ((r["kind"] == kind) if kind != "_rest" else r["kind"] not in main)]
            heights.append(sum(cells))
        if not any(heights):
            continue  # nothing of it is published: no empty legend entry
        label = words["kinds"].get(kind, kind) if kind != "_rest" else words["other_kinds"]
        axes.bar(years, heights, bottom=[bottom[y] for y in years], color=color, width=0.8, label=label)
        for y, h in zip(years, heights):
            bottom[y] += h
    hidden_kinds, hidden_year = words["hidden_kinds"], words["hidden"].format(t=threshold)
    protecting = words["protecting"]
    for y in years:
        if total.get(y) is HIDDEN:
            # Marked over the whole height: a bar up to the threshold would read as that many events.
            style = {key: value for key, value in hidden_style.items() if key != "color"}  # it would hide the hatch
            axes.axvspan(y - 0.4, y + 0.4, facecolor="none", label=hidden_year, **style)
            hidden_year = None
        elif is_hidden(total.get(y)):
            # A complement, of any size: marked over the whole height like a year hidden whole, cross-hatched
            # (a bar up to the threshold read as that many events, beside the line of those around 4 June).
            style = {key: value for key, value in hidden_style.items() if key != "color"}
            axes.axvspan(y - 0.4, y + 0.4, facecolor="none", label=protecting, **{**style, "hatch": "xx"})
            protecting = None
        elif total.get(y) and total[y] > bottom[y]:
            # The year's total is published: what its shown kinds leave is the hidden kinds together.
            axes.bar(y, total[y] - bottom[y], bottom=bottom[y], width=0.8, label=hidden_kinds, **hidden_style)
            hidden_kinds = None
    shown = [around[y] if not is_hidden(around.get(y)) else float("nan") for y in years]
    axes.plot(years, shown, color="black", marker="o", markersize=3, linewidth=1, label=words["around"])
    top = max([threshold, *(v for v in total.values() if not is_hidden(v))]) * 1.15
    for y in years:
        if (y - EPISODE_YEAR) % 5 == 0:
            axes.axvline(y, color="#555555", linestyle=":", linewidth=0.8)
            axes.text(y, top * 0.97, words["anniversary"].format(n=y - EPISODE_YEAR), ha="center", va="top",
                      fontsize=7, color="#333333")
    axes.set_ylim(0, top)
    axes.set_xlim(years[0] - 0.7, years[-1] + 0.7)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))  # a year is whole: no 2018.5 on the axis
    axes.set_ylabel(words["events"])
    axes.set_title(words["title"])
    # Below the plot: inside, it would cover the bars and the anniversaries' labels.
    axes.legend(fontsize=7, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.09), frameon=False)
    return figure
