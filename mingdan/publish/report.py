"""The static report: English and Chinese pages, figures as files, nothing loaded from elsewhere."""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from mingdan.store.case import Case

TEXT = {
    "en": {"title": "A public accounting", "category": "Category", "named": "Named people", "claims": "Published claims",
           "official": "Official figure", "estimate": "Estimated total (95% interval)", "none": "none",
           "suppressed": "fewer than {t}", "figures": "Figures", "method": "Method, definitions and limits",
           "other": "中文", "other_href": "index.zh.html", "data": "Open data", "hash": "Data hash (SHA-256)",
           "changes": "Changes since the previous release", "first": "No comparison: {reason}.",
           "compared": "Compared with the release made {created} (SHA-256 {sha}…).",
           "unverified": "Warning: the previous release does not verify ({n} problem(s)); this comparison may be wrong.",
           "people": "People named: {old:,} → {new:,}; added: {added}; removed: {removed}.",
           "counts": "Published counts that changed", "table": "Table", "row": "Row", "column": "Column",
           "change": "Before → now", "nocounts": "No published count changed.",
           "files": "Data files changed: {changed}; added: {added}; removed: {removed}. Every file, with its "
                    "SHA-256, is listed in changes.json.",
           "labels": {"killed": "Killed", "detained": "Detained", "imprisoned": "Still imprisoned", "missing": "Missing"},
           "places": "People by place", "place": "Place",
           "blank": "— : not published (fewer than {t} people, or hidden with such a cell so that no total gives it "
                    "back). Places are read into a gazetteer, so one street written several ways is one row.",
           "methodology": [
               "Every figure is traced to its sources. Named people are distinct people after linking the records of "
               "all lists (a person named by three lists counts once). Published claims are shown side by side and "
               "never merged; retracted claims are listed as retracted and left out of the range.",
               "The estimated total uses multiple systems estimation (LCMCR, Manrique-Vallier 2016) on the overlap of "
               "the lists; it counts the people no list recorded. Its interval is a 95% posterior interval.",
               "Names are published only with consent and when no risk is recorded. Counts below {t} are suppressed, "
               "with other cells where needed so that no total gives them back.",
               "Limits: lists undercount; linkage may join or split people; estimates assume the lists and their "
               "overlaps are what the model allows. Dates may be uncertain and are given as ranges."]},
    "zh": {"title": "公开的名单与统计", "category": "类别", "named": "有名有姓者", "claims": "已公布的数字",
           "official": "官方数字", "estimate": "估计总数（95%区间）", "none": "无", "suppressed": "少于{t}",
           "figures": "图表", "method": "方法、定义与局限", "other": "English", "other_href": "index.html",
           "data": "开放数据", "hash": "数据哈希（SHA-256）",
           "changes": "与上一次发布相比的变化", "first": "未作比较：{reason}。",
           "compared": "比较对象：{created}发布的版本（SHA-256 {sha}…）。",
           "unverified": "警告：上一次发布未通过验证（{n}个问题），本比较可能有误。",
           "people": "公布姓名的人数：{old:,} → {new:,}；新增：{added}；移除：{removed}。",
           "counts": "有变化的已公布计数", "table": "表", "row": "行", "column": "列", "change": "之前 → 现在",
           "nocounts": "已公布的计数均无变化。",
           "files": "数据文件有变化：{changed}；新增：{added}；移除：{removed}。所有文件及其SHA-256见changes.json。",
           "labels": {"killed": "遇难", "detained": "被拘押", "imprisoned": "仍在狱中", "missing": "失踪"},
           "places": "按地点的人数", "place": "地点",
           "blank": "—：不公布（少于{t}人，或为防止由总数反推而一并隐去）。地点按地名表识别，同一街道的不同写法合为一行。",
           "methodology": [
               "每个数字都可追溯到来源。有名有姓者为记录链接后的不同个人（被三份名单提及的人只计一次）。"
               "已公布的数字并列呈现，从不合并；已撤回的数字标为撤回，不计入范围。",
               "估计总数采用多系统估计（LCMCR，Manrique-Vallier 2016），依据各名单的重叠推算未被任何名单记录的人数；区间为95%后验区间。",
               "只有在本人或家属同意且无风险记录时才公布姓名。少于{t}的计数不公布，并在需要时一并隐去其他格，使总数无法反推。",
               "局限：名单必然遗漏；链接可能误合或误分；估计依赖模型假设。日期可能不确定，以区间表示。"]},
}


def write_report(folder: Path, account: dict, tables: dict, threshold: int, case: Case,
                 changes: dict | None = None) -> dict:
    """index.html (English) and index.zh.html (Chinese) with their figures and what changed since the last release."""
    from .figures import write_figures

    folder.mkdir(parents=True)
    english, english_note = write_figures(folder, account, threshold, case, "en")
    chinese, chinese_note = write_figures(folder, account, threshold, case, "zh")
    data_hash = hashlib.sha256("".join(sorted(str(tables))).encode()).hexdigest()
    for language, name, figures in (("en", "index.html", english), ("zh", "index.zh.html", chinese or english)):
        page = _page(language, account, tables, threshold, figures, data_hash, case)
        section = _changes(language, changes or {"previous": None, "reason": "not compared"})
        if language == "zh" and chinese is None:
            section = f"<p>图表标签为英文：生成图表时未找到中文字体（{html.escape(chinese_note)}）。</p>" + section
        (folder / name).write_text(page.replace("<!--changes-->", section), "utf-8")
    return {"zh_labels": chinese is not None, "en": english_note, "zh": chinese_note}


def _ids(ids: list[str], limit: int = 40) -> str:
    if not ids:
        return "0"
    shown = ", ".join(ids[:limit]) + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")
    return f"{len(ids)} ({html.escape(shown)})"


def _changes(language: str, changes: dict) -> str:
    """The report's section on what changed since the previous release (ids only, never a name)."""
    text = TEXT[language]
    parts = [f"<h2>{text['changes']}</h2>"]
    earlier = changes.get("previous")
    if earlier is None:
        return parts[0] + f"<p>{html.escape(text['first'].format(reason=changes.get('reason', '')))}</p>"
    parts.append(f"<p>{html.escape(text['compared'].format(created=earlier['created'], sha=(earlier['release_sha256'] or '')[:16]))}</p>")
    if not earlier["verified"]:
        parts.append(f"<p><strong>{html.escape(text['unverified'].format(n=len(earlier['problems'])))}</strong></p>")
    people = changes["people_named"]
    parts.append(f"<p>{text['people'].format(old=people['old'], new=people['new'], added=_ids(people['added']), removed=_ids(people['removed']))}</p>")
    if changes["counts"]:
        rows = "".join(f"<tr><td>{html.escape(c['table'])}</td><td>{html.escape(str(c['row']))}</td>"
                       f"<td>{html.escape(c['column'])}</td><td>{html.escape(str(c['old']))} → {html.escape(str(c['new']))}</td></tr>"
                       for c in changes["counts"][:200])
        parts.append(f"<h3>{text['counts']}</h3><table><thead><tr><th>{text['table']}</th><th>{text['row']}</th>"
                     f"<th>{text['column']}</th><th>{text['change']}</th></tr></thead><tbody>{rows}</tbody></table>")
    else:
        parts.append(f"<p>{text['nocounts']}</p>")
    files = changes["files"]
    names = lambda entries: ", ".join(html.escape(e["file"]) for e in entries) or "0"  # noqa: E731
    parts.append(f"<p>{text['files'].format(changed=names(files['changed']), added=names(files['added']), removed=names(files['removed']))}</p>")
    return "\n".join(parts)


def _cell(value, threshold: int, text: dict) -> str:
    if value is None:
        return html.escape(text["suppressed"].format(t=threshold))
    return f"{value:,}" if isinstance(value, int) else html.escape(str(value))


def _page(language: str, account: dict, tables: dict, threshold: int, figures: list[tuple[str, str, str]],
          data_hash: str, case: Case) -> str:
    text = TEXT[language]
    rows = []
    for entry, published in zip(account["categories"], tables["accounting"]):
        low, high = published["claims_low"], published["claims_high"]
        claimed = text["none"] if low is None else (f"{low:,}" if low == high else f"{low:,}–{high:,}")
        estimate = (f"{published['estimate']:,} ({published['estimate_lower']:,}–{published['estimate_upper']:,})"
                    if published["estimate"] is not None else text["none"])
        rows.append(f"<tr><td>{html.escape(text['labels'][entry['category']])}</td>"
                    f"<td>{_cell(published['named_people'], threshold, text)}</td><td>{claimed}</td>"
                    f"<td>{html.escape(published['official'] or text['none'])}</td><td>{estimate}</td></tr>")
    claims = "".join(
        f"<li>{html.escape(c['metric'])}: {c['best'] if c['best'] is not None else ''}"
        f"{'' if c['minimum'] is None else ' min ' + str(c['minimum'])}{'' if c['maximum'] is None else ' max ' + str(c['maximum'])}"
        f" — {html.escape(c['source'])}, {html.escape(c['as_of'])}"
        f"{' (retracted)' if c['verification'] == 'retracted' else ''}</li>" for c in tables["count_claims"])
    categories = ("killed", "detained", "missing")
    places = "".join(
        f"<tr><td>{html.escape(row['place_zh'] if language == 'zh' else row['place'])}</td>"
        + "".join(f"<td>{'—' if row.get(c) is None else f'{row[c]:,}'}</td>" for c in categories) + "</tr>"
        for row in tables.get("counts_by_place", []))
    place_table = (f"<h2>{text['places']}</h2><table><thead><tr><th>{text['place']}</th>"
                   + "".join(f"<th>{html.escape(text['labels'][c])}</th>" for c in categories)
                   + f"</tr></thead><tbody>{places}</tbody></table><p>{html.escape(text['blank'].format(t=threshold))}</p>"
                   if places else "")
    pictures = "".join(f'<figure><img src="{file}" alt="{html.escape(alt)}"><figcaption>{html.escape(caption)}'
                       f"</figcaption></figure>" for file, alt, caption in figures)
    method = "".join(f"<p>{html.escape(p.format(t=threshold))}</p>" for p in text["methodology"])
    return f"""<!doctype html>
<html lang="{'zh-Hans' if language == 'zh' else 'en'}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{html.escape(text['title'])}: {html.escape(case.name)}</title>
<style>
body{{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222;line-height:1.5}}
table{{border-collapse:collapse;width:100%}}th,td{{border-bottom:1px solid #ccc;padding:.4rem;text-align:left}}
th{{background:#f3f3f3}}figure{{margin:1.5rem 0}}img{{max-width:100%}}figcaption{{color:#555;font-size:.9rem}}
nav{{text-align:right}}code{{font-size:.8rem;word-break:break-all}}
</style></head><body>
<nav><a href="{text['other_href']}">{text['other']}</a></nav>
<h1>{html.escape(text['title'])}</h1>
<p>{html.escape(case.name)} — {account['as_of']}</p>
<table><thead><tr><th>{text['category']}</th><th>{text['named']}</th><th>{text['claims']}</th><th>{text['official']}</th>
<th>{text['estimate']}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>
<h2>{text['claims']}</h2><ul>{claims}</ul>
{place_table}
<!--changes-->
<h2>{text['figures']}</h2>{pictures}
<h2>{text['method']}</h2>{method}
<h2>{text['data']}</h2><p><a href="../data/datapackage.json">datapackage.json</a> · CSV · public.sqlite</p>
<p>{text['hash']}: <code>{data_hash}</code></p>
</body></html>
"""
