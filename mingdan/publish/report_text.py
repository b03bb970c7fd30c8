"""The report's words in English, simplified and traditional Chinese (traditional converted from simplified)."""

from __future__ import annotations

from functools import lru_cache

from mingdan.store.categories import CATEGORY_LABELS

LANGUAGES = ("en", "zh-hans", "zh-hant")
#: language -> (page file, figure file suffix, html lang, name in the language menu)
PAGES = {"en": ("index.html", "", "en", "English"), "zh-hans": ("index.zh.html", ".zh", "zh-Hans", "简体中文"),
         "zh-hant": ("index.zh-hant.html", ".zh-hant", "zh-Hant", "繁體中文")}

_EN = {
    "title": "A public accounting", "category": "Category", "named": "Named people",
    "by_sources": "Named by 1 / 2 / 3+ sources", "claims": "Published claims (range)", "official": "Official figure",
    "estimate": "Estimated total (95% interval)", "none": "none", "suppressed": "fewer than {t}", "short": "<{t}",
    "unknown": "status unknown: {n}", "claims_list": "Published claims", "other_claims": "Other published figures",
    "figures": "Figures", "method": "Method, definitions and limits", "data": "Open data",
    "hash": "Data hash (SHA-256)", "licence": "Licence", "retracted": "retracted", "at_least": "at least {n}",
    "at_most": "at most {n}", "as_written": "as written: “{metric}”", "colon": ": ", "comma": ", ",
    "range_at_least": "≥ {n}", "range_at_most": "≤ {n}", "range_open": "open at both ends",
    "open_note": "≥ n: a published claim gives only a minimum (“at least n”), so the claims give no highest "
                 "figure; ≤ n: one gives only a maximum (“at most n”), so they give no lowest figure; open at both "
                 "ends: some give only a minimum, others only a maximum. Each claim is listed below.",
    "values": {"suppressed": "suppressed", "none": "none", "absent": "absent", "suppressed or none": "suppressed or none",
               "open": "open (no such figure)", "withheld": "withheld (a list of relatives)"},
    "reasons": {},
    "no_font": "", "changes": "Changes since the previous release", "first": "No comparison: {reason}.",
    "compared": "Compared with the release made {created} (SHA-256 {sha}…).",
    "unverified": "Warning: the previous release does not verify ({n} problem(s)); this comparison may be wrong.",
    "people": "People named: {old:,} → {new:,}; added: {added}; removed: {removed}.",
    "counts": "Published counts that changed", "table": "Table", "row": "Row", "column": "Column",
    "change": "Before → now", "nocounts": "No published count changed.",
    "files": "Data files changed: {changed}; added: {added}; removed: {removed}. Every file, with its SHA-256, "
             "is listed in changes.json.",
    "places": "People by place", "place": "Place",
    "tables": {"accounting": "The accounting", "counts_by_place": "People by place", "sources": "Sources"},
    "columns": {"named_people": "named people", "named_by_1_source": "named by 1 source",
                "named_by_2_sources": "named by 2 sources", "named_by_3_or_more_sources": "named by 3+ sources",
                "status_unknown": "status unknown", "claims": "published claims", "claims_low": "lowest claim",
                "claims_high": "highest claim", "official": "official figure", "estimate": "estimated total",
                "estimate_lower": "estimate, lower bound", "estimate_upper": "estimate, upper bound",
                "estimate_method": "estimation method", "place": "place (English)", "place_zh": "place (Chinese)",
                "kind": "kind", "records": "records", "versions": "versions"},
    "split_blank": "<{t}: fewer than {t} people, not published (and not zero). —: suppressed to protect another cell "
                   "(it holds {t} or more, hidden so that no published number gives a small one back).",
    "blank": "<{t}: fewer than {t} people, not published (and not zero). —: suppressed to protect another cell (it "
             "holds {t} or more, hidden so that no published number gives a small one back), or because it grew by "
             "fewer than {t} since the previous release while people were newly named. "
             "Places are read into a gazetteer, so one street written several ways is one row. A place's row is not "
             "added into the places it lies in: the row of a city (“no finer place stated”) counts only the people "
             "for whom the sources gave the city and nothing finer.",
    "verification": {"unverified": "unverified", "corroborated": "corroborated", "confirmed": "confirmed",
                     "contested": "contested", "retracted": "retracted"},
    "linking": {
        "none": "These records have not been linked: no linking was run, so each record counts as one person, and "
                "a person named by several lists is counted once per list. The counts below are records, not "
                "distinct people, and the “named by 1 / 2 / 3+ sources” column cannot tell how many sources name "
                "one person.",
        "partial": "{n:,} record(s) have not been linked (imported after the last linking): each of them counts as "
                   "one person and may be a person already counted from another list."},
    "unlinked_method": "Every figure is traced to its sources. The records have not been linked, so named people "
                       "are records: a person named by three lists counts three times. Published claims are shown "
                       "side by side and never merged; retracted claims are listed as retracted and left out of the "
                       "range.",
    "methodology": [
        "Every figure is traced to its sources. Named people are distinct people after linking the records of all "
        "lists (a person named by three lists counts once); the next column says how many were named by one, two, "
        "or three or more sources. Published claims are shown side by side and never merged; retracted claims are "
        "listed as retracted and left out of the range.",
        "Categories: killed; died in custody (counted on its own line, never among the killed; these people were "
        "detained first, so they are counted among the detained too); detained (ever detained, arrested, tried or "
        "sentenced); still imprisoned (custody status 'held' on the day of this accounting, with those whose "
        "status that day is not known counted beside them); missing.",
        "The estimated total uses multiple systems estimation (LCMCR, Manrique-Vallier 2016) on the overlap of the "
        "lists; it counts the people no list recorded. Its interval is a 95% posterior interval.",
        "Names are published only with consent and when no risk is recorded. Counts below {t} are suppressed (shown "
        "as “fewer than {t}” or “<{t}”, or marked in the figures, never as zero). Other cells are suppressed to "
        "protect them (shown as “—”) until no published number, total, other table or the previous release gives "
        "a hidden count back: for each hidden cell, a linear program finds the lowest and highest value a reader "
        "could work out, and a count below {t} must still be anywhere from 1 to {t_1}.",
        "Limits: lists undercount; linkage may join or split people; estimates assume the lists and their overlaps "
        "are what the model allows. Dates may be uncertain and are given as ranges."],
}
_ZH = {
    "title": "公开的名单与统计", "category": "类别", "named": "有名有姓者", "by_sources": "被1 / 2 / 3个以上来源提及",
    "claims": "已公布的数字（范围）", "official": "官方数字", "estimate": "估计总数（95%区间）", "none": "无",
    "suppressed": "少于{t}", "short": "<{t}", "unknown": "状况不明：{n}", "claims_list": "已公布的数字",
    "other_claims": "其他已公布的数字", "figures": "图表", "method": "方法、定义与局限", "data": "开放数据",
    "hash": "数据哈希（SHA-256）", "licence": "许可协议", "retracted": "已撤回", "at_least": "至少{n}",
    "at_most": "至多{n}", "as_written": "原文：“{metric}”", "colon": "：", "comma": "，",
    "range_at_least": "≥ {n}", "range_at_most": "≤ {n}", "range_open": "上下限皆未给出",
    "open_note": "≥ n：有已公布的数字只给出下限（“至少n”），因此各数字没有最高值；≤ n：有数字只给出上限（“至多n”），因此没有最低值；"
                 "上下限皆未给出：有的数字只给出下限，有的只给出上限。各项数字见下。",
    "values": {"suppressed": "不公布", "none": "无", "absent": "（不存在）", "suppressed or none": "不公布或无",
               "open": "未给出（范围开放）", "withheld": "不公布（亲属名单）",
               # the kinds of source, as sources.csv writes them
               "official": "官方声明", "court": "法院文书", "ngo": "民间组织名单", "press": "媒体报道",
               "family": "家属证言", "other": "其他"},
    "reasons": {"no earlier release of this case was found": "未找到本案此前的发布",
                "no comparison asked for (--no-previous)": "未要求比较", "not compared": "未比较"},
    "no_font": "图表标签为英文：生成图表时未找到中文字体（{note}）。",
    "changes": "与上一次发布相比的变化", "first": "未作比较：{reason}。",
    "compared": "比较对象：{created}发布的版本（SHA-256 {sha}…）。",
    "unverified": "警告：上一次发布未通过验证（{n}个问题），本比较可能有误。",
    "people": "公布姓名的人数：{old:,} → {new:,}；新增：{added}；移除：{removed}。",
    "counts": "有变化的已公布计数", "table": "表", "row": "行", "column": "列", "change": "之前 → 现在",
    "nocounts": "已公布的计数均无变化。",
    "files": "数据文件有变化：{changed}；新增：{added}；移除：{removed}。所有文件及其SHA-256见changes.json。",
    "places": "按地点的人数", "place": "地点",
    "tables": {"accounting": "统计总表", "counts_by_place": "按地点的人数", "sources": "来源"},
    "columns": {"named_people": "有名有姓者", "named_by_1_source": "被1个来源提及", "named_by_2_sources": "被2个来源提及",
                "named_by_3_or_more_sources": "被3个以上来源提及", "status_unknown": "状况不明",
                "claims": "已公布的数字（条数）", "claims_low": "最低数字", "claims_high": "最高数字",
                "official": "官方数字", "estimate": "估计总数", "estimate_lower": "估计区间下限",
                "estimate_upper": "估计区间上限", "estimate_method": "估计方法", "place": "地点（英文）",
                "place_zh": "地点（中文）", "kind": "类型", "records": "记录数", "versions": "版本数"},
    "split_blank": "<{t}：少于{t}人，不公布（并非为零）。—：为保护另一格而不公布（该格有{t}人或以上，隐去是为了使任何已公布的数字"
                   "都无法反推出较小的计数）。",
    "blank": "<{t}：少于{t}人，不公布（并非为零）。—：为保护另一格而不公布（该格有{t}人或以上，隐去是为了使任何已公布的数字都无法"
             "反推出较小的计数），或因自上一次发布以来只增加不足{t}人而同时名单上新增了姓名。地点按地名表识别，同一街道的不同写法合为一行。"
             "各地点的人数不计入其所属的上级地点：城市一行（“未注明区”等）只计来源仅写明该城市、未写明更具体地点的人。",
    "verification": {"unverified": "未核实", "corroborated": "有佐证", "confirmed": "已确认", "contested": "有争议",
                     "retracted": "已撤回"},
    "linking": {
        "none": "这些记录尚未链接：未进行记录链接，因此每条记录算作一人，被几份名单提及的人按名单各计一次。下表的数字是记录数，"
                "不是不同个人的人数；“被1 / 2 / 3个以上来源提及”一栏也无法说明同一人被几个来源提及。",
        "partial": "有{n:,}条记录尚未链接（在上一次链接之后导入）：每条记录算作一人，可能与其他名单中已计入的人是同一人。"},
    "unlinked_method": "每个数字都可追溯到来源。记录尚未链接，因此有名有姓者的人数是记录数：被三份名单提及的人计三次。"
                       "已公布的数字并列呈现，从不合并；已撤回的数字标为撤回，不计入范围。",
    "methodology": [
        "每个数字都可追溯到来源。有名有姓者为记录链接后的不同个人（被三份名单提及的人只计一次）；下一栏列出其中被一个、两个、"
        "三个或以上来源提及的人数。已公布的数字并列呈现，从不合并；已撤回的数字标为撤回，不计入范围。",
        "类别：遇难；羁押期间死亡（单独一行，从不计入遇难者；这些人先被拘押，因此也计入被拘押者）；被拘押（曾被拘留、逮捕、审判或判刑）；"
        "仍在狱中（本统计日期当天羁押状况为“在押”，当天状况不明者另列）；失踪。",
        "估计总数采用多系统估计（LCMCR，Manrique-Vallier 2016），依据各名单的重叠推算未被任何名单记录的人数；区间为95%后验区间。",
        "只有在本人或家属同意且无风险记录时才公布姓名。少于{t}的计数不公布（表中写作“少于{t}”或“<{t}”，图中另行标出，从不显示为零）。"
        "为保护这些计数，另有一些格也不公布（写作“—”），直到任何已公布的数字、总数、其他表格或上一次发布都无法反推出被隐去的计数："
        "对每个隐去的格，以线性规划求出读者所能推算的最低值与最高值；少于{t}的计数仍须可能是1到{t_1}之间的任何数。",
        "局限：名单必然遗漏；链接可能误合或误分；估计依赖模型假设。日期可能不确定，以区间表示。"],
}


def _converted(value, convert):
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, list):
        return [_converted(v, convert) for v in value]
    return {k: _converted(v, convert) for k, v in value.items()}


def to_traditional(text: str) -> str:
    """Simplified to Taiwan standard characters (為, not 爲), the words kept those of the simplified text.

    OpenCC reads 表 after 名 as the watch of 名表 (a luxury watch) and writes 地名錶; no word of the
    report means a watch, so 錶 is always the table 表.
    """
    return _s2tw().convert(text).replace("錶", "表")


@lru_cache(maxsize=None)
def _s2tw():
    import opencc

    return opencc.OpenCC("s2tw")


@lru_cache(maxsize=None)
def _traditional() -> dict:
    return _converted(_ZH, to_traditional)


def text(language: str) -> dict:
    """Every word of the report in this language, with the category names."""
    words = {"en": _EN, "zh-hans": _ZH}.get(language) or _traditional()
    return {**words, "labels": {key: labels[language] for key, labels in CATEGORY_LABELS.items()}}
