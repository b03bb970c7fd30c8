"""The static report: English, simplified and traditional Chinese pages, figures as files, nothing from elsewhere."""

from __future__ import annotations

import hashlib
import html
from functools import lru_cache
from pathlib import Path

from mingdan.store.case import Case
from mingdan.store.categories import metric_is_category

from .account import range_text
from .opendata import HIDDEN, is_hidden
from .report_text import LANGUAGES, PAGES, text


def write_report(folder: Path, account: dict, tables: dict, threshold: int, case: Case,
                 changes: dict | None = None, licence: dict | None = None) -> dict:
    """index.html (English), index.zh.html (简体) and index.zh-hant.html (繁體), each with its figures."""
    from .figures import held_series, write_figures

    folder.mkdir(parents=True)
    held = held_series(case, account)
    drawn = {language: write_figures(folder, account, threshold, case, language, held, tables) for language in LANGUAGES}
    data_hash = hashlib.sha256("".join(sorted(str(tables))).encode()).hexdigest()
    for language in LANGUAGES:
        figures, note = drawn[language]
        page = _page(language, account, tables, threshold, figures or drawn["en"][0], data_hash, case, licence)
        section = _changes(language, changes or {"previous": None, "reason": "not compared"})
        if figures is None:
            section = f"<p>{html.escape(text(language)['no_font'].format(note=note))}</p>" + section
        (folder / PAGES[language][0]).write_text(page.replace("<!--changes-->", section), "utf-8")
    return {"zh_labels": drawn["zh-hans"][0] is not None, "en": drawn["en"][1], "zh": drawn["zh-hans"][1],
            "zh-hant": drawn["zh-hant"][1]}


def _ids(ids: list[str], limit: int = 40) -> str:
    if not ids:
        return "0"
    shown = ", ".join(ids[:limit]) + (f" … (+{len(ids) - limit})" if len(ids) > limit else "")
    return f'{len(ids)} (<span translate="no">{html.escape(shown)}</span>)'


def _changes(language: str, changes: dict) -> str:
    """The report's section on what changed since the previous release (ids only, never a name)."""
    words = text(language)
    e = lambda key: html.escape(words[key])  # noqa: E731  (every word is text, escaped like data)
    parts = [f"<h2>{e('changes')}</h2>"]
    earlier = changes.get("previous")
    if earlier is None:
        reason = changes.get("reason", "")
        return parts[0] + f"<p>{html.escape(words['first'].format(reason=words['reasons'].get(reason, reason)))}</p>"
    data = lambda text: f'<span translate="no">{html.escape(str(text))}</span>'  # noqa: E731
    sha = (earlier["release_sha256"] or "")[:16]
    parts.append(f"<p>{e('compared').format(created=data(earlier['created']), sha=data(sha))}</p>")
    if not earlier["verified"]:
        parts.append(f"<p><strong>{html.escape(words['unverified'].format(n=len(earlier['problems'])))}</strong></p>")
    people = changes["people_named"]
    parts.append(f"<p>{e('people').format(old=people['old'], new=people['new'], added=_ids(people['added']), removed=_ids(people['removed']))}</p>")
    if changes["counts"]:
        rows = "".join(_change_row(language, c, words) for c in changes["counts"][:200])
        parts.append(f"<h3>{e('counts')}</h3><table><thead><tr><th>{e('table')}</th><th>{e('row')}</th>"
                     f"<th>{e('column')}</th><th>{e('change')}</th></tr></thead><tbody>{rows}</tbody></table>")
    else:
        parts.append(f"<p>{e('nocounts')}</p>")
    files = changes["files"]
    names = lambda entries: ", ".join(f'<span translate="no">{html.escape(e["file"])}</span>'  # noqa: E731
                                      for e in entries) or "0"
    listed = e("files").replace("changes.json", '<span translate="no">changes.json</span>')  # a file name is data
    parts.append(f"<p>{listed.format(changed=names(files['changed']), added=names(files['added']), removed=names(files['removed']))}</p>")
    return "\n".join(parts)


def _change_row(language: str, change: dict, words: dict) -> str:
    """One changed count in the page's language: its table, row and column in words, a code only if unknown."""
    code = lambda text: f'<code translate="no">{html.escape(str(text))}</code>'  # noqa: E731
    table, key, column = change["table"], change["row"], change["column"]
    if table == "accounting" and key in words["labels"]:
        row = html.escape(words["labels"][key])
    elif change.get("row_name"):
        name = change["row_name"]["en" if language == "en" else "zh"]
        row = f'<span translate="no">{html.escape(_place_name(language, name, key))}</span>'
    elif table == "sources":
        row = f'<span translate="no">{html.escape(str(key))}</span>'
    else:
        row = code(key)
    named = words["labels"].get(column) or words["columns"].get(column)
    return (f"<tr><td>{html.escape(words['tables'][table]) if table in words['tables'] else code(table)}</td>"
            f"<td>{row}</td><td>{html.escape(named) if named else code(column)}</td>"
            f"<td>{_changed_value(change['old'], words)} → {_changed_value(change['new'], words)}</td></tr>")


def _changed_value(value, words: dict) -> str:
    """A count, or a word in the page's language (suppressed, none, absent), or a value as published (data)."""
    if isinstance(value, int):
        return f"{value:,}"
    if value in words["values"]:
        return html.escape(words["values"][value])
    return f'<span translate="no">{html.escape(str(value))}</span>'


def _place_name(language: str, name: str, key: str) -> str:
    """A place's name for the page: our words and the gazetteer's in traditional characters on the 繁體 page;
    a place as a source wrote it (a key starting with '~') is data, never converted."""
    if language != "zh-hant" or str(key).startswith("~"):
        return name
    return _s2tw().convert(name)


@lru_cache(maxsize=1)
def _s2tw():
    import opencc

    return opencc.OpenCC("s2tw")  # as report_text converts the report's own words


def _cell(value, threshold: int, words: dict, short: bool = False) -> str:
    """A published count: the number, 'fewer than N' (short: '<N') when small, '—' when suppressed to protect
    another cell, 'none' when there is none."""
    if value is HIDDEN:
        return html.escape(words["short" if short else "suppressed"].format(t=threshold))
    if is_hidden(value):
        return "—"
    if value is None:
        return html.escape(words["none"])
    return f"{value:,}" if isinstance(value, int) else html.escape(str(value))


def figure_of_claim(claim: dict, words: dict) -> str:
    """The figure a claim gives, in the page's language: 120, 400–800, at least 525."""
    low, best, high = claim["minimum"], claim["best"], claim["maximum"]
    if best is not None and low is None and high is None:
        return f"{best:,}"
    if low is not None and high is not None:
        return f"{low:,}–{high:,}" + (f" ({best:,})" if best is not None else "")
    if low is not None:
        return words["at_least"].format(n=f"{low:,}")
    if high is not None:
        return words["at_most"].format(n=f"{high:,}")
    return words["none"]


def _claim(claim: dict, words: dict, label: str | None) -> str:
    """One published claim: its category in the page's language, the figure, who said it and when."""
    metric = claim["metric"]
    quoted = words["as_written"].format(metric="\0").split("\0")  # the source's own word is data: marked translate="no"
    said = (f"{html.escape(label)} <span class=\"written\">({html.escape(quoted[0])}<span translate=\"no\">"
            f"{html.escape(metric)}</span>{html.escape(quoted[1])})</span>"
            if label and not metric_is_category(metric, claim["category"])
            else html.escape(label) if label else f'<span translate="no">{html.escape(metric)}</span>')
    details = [f'<span translate="no">{html.escape(claim["source"])}</span>', html.escape(claim["as_of"])]
    if claim["qualifier"]:
        details.append(f'<span translate="no">{html.escape(claim["qualifier"])}</span>')
    state = "" if claim["verification"] == "unverified" else \
        f" <strong>[{html.escape(words['verification'].get(claim['verification'], claim['verification']))}]</strong>"
    return (f"<li>{said}{html.escape(words['colon'])}<b>{html.escape(figure_of_claim(claim, words))}</b> — "
            f"{html.escape(words['comma']).join(details)}{state}</li>")


def _rows(account: dict, tables: dict, threshold: int, words: dict) -> str:
    rows = []
    for entry, published in zip(account["categories"], tables["accounting"]):
        # A figure given only as "at least" or "at most" leaves that end of the span open: "≥ 3", never "3".
        claimed = html.escape(range_text(entry["claims_range"], words["none"], words["range_at_least"],
                                         words["range_at_most"], words["range_open"]))
        estimate = (f"{published['estimate']:,} ({published['estimate_lower']:,}–{published['estimate_upper']:,})"
                    if published["estimate"] is not None else html.escape(words["none"]))
        named = _cell(published["named_people"], threshold, words)
        if entry["category"] == "imprisoned":
            unknown = _cell(published["status_unknown"], threshold, words)
            named += f'<br><small class="unknown">{html.escape(words["unknown"].format(n=unknown))}</small>'
        spread = " / ".join(_cell(published[k], threshold, words, short=True) for k in
                            ("named_by_1_source", "named_by_2_sources", "named_by_3_or_more_sources"))
        official = (f'<span translate="no">{html.escape(published["official"])}</span>' if published["official"]
                    else html.escape(words["none"]))
        rows.append(f"<tr><th scope=\"row\">{html.escape(words['labels'][entry['category']])}</th>"
                    f"<td class=\"num\">{named}</td><td class=\"num\">{spread}</td><td class=\"num\">{claimed}</td>"
                    f"<td>{official}</td><td class=\"num\">{estimate}</td></tr>")
    return "".join(rows)


STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","Noto Sans CJK TC",sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#222;line-height:1.5}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid #ccc;padding:.4rem;text-align:left;
vertical-align:top}thead th{background:#f3f3f3}td.num{white-space:nowrap}.unknown{color:#555}.written{color:#555}
figure{margin:1.5rem 0}img{max-width:100%}figcaption{color:#555;font-size:.9rem}
nav{text-align:right}nav a{margin-left:1rem}code{font-size:.8rem;word-break:break-all}
"""


def _open_note(account: dict, words: dict) -> str:
    """Under the table, when a span of claims is open: what ≥ and ≤ say there."""
    spans = [entry["claims_range"] for entry in account["categories"]]
    if not any(span.get("low_open") or span.get("high_open") for span in spans):
        return ""
    return f'<p class="note">{html.escape(words["open_note"])}</p>'


def _places(language: str, rows: list[dict], threshold: int, words: dict) -> str:
    """The people-by-place table, each place by its gazetteer name in the page's language."""
    if not rows:
        return ""
    from mingdan.store.categories import CATEGORY_EVENTS

    categories = tuple(CATEGORY_EVENTS)
    names = [_place_name(language, row["place"] if language == "en" else row.get("place_zh") or row["place"],
                         row.get("place_id", "~")) for row in rows]
    body = "".join(
        f'<tr><th scope="row" translate="no">{html.escape(name)}</th>'
        # A small count reads "<5"; its complement, of any size at or above 5, "—" (the note under the table).
        + "".join(f'<td class="num">{_cell(row.get(c), threshold, words, short=True)}</td>' for c in categories)
        + "</tr>" for name, row in zip(names, rows))
    head = "".join(f"<th>{html.escape(words['labels'][c])}</th>" for c in categories)
    return (f"<h2>{html.escape(words['places'])}</h2><table><thead><tr><th>{html.escape(words['place'])}</th>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table><p>{html.escape(words['blank'].format(t=threshold))}</p>")


def _page(language: str, account: dict, tables: dict, threshold: int, figures: list[tuple[str, str, str]],
          data_hash: str, case: Case, licence: dict | None) -> str:
    words = text(language)
    labels = words["labels"]
    claims = "".join(_claim(c, words, labels.get(c["category"])) for entry in account["categories"]
                     for c in entry["claims"])
    others = "".join(_claim(c, words, None) for c in account["unassigned_claims"])
    pictures = "".join(f'<figure><img src="{html.escape(file)}" alt="{html.escape(alt)}"><figcaption>{html.escape(caption)}'
                       f"</figcaption></figure>" for file, alt, caption in figures)
    linked, unlinked = account.get("linked", True), account.get("unlinked_records", 0)
    paragraphs = words["methodology"] if linked else [words["unlinked_method"], *words["methodology"][1:]]
    method = "".join(f"<p>{html.escape(p.format(t=threshold, t_1=threshold - 1))}</p>" for p in paragraphs)
    # Said plainly under the table, not only in the method: the counts are records where nothing was linked.
    linking = ("" if linked and not unlinked else
               f'<p class="linking"><strong>{html.escape(words["linking"]["none" if not linked else "partial"].format(n=unlinked))}'
               "</strong></p>")
    place_table = _places(language, tables.get("counts_by_place", []), threshold, words)
    from .figure_harassment import harassment_table

    place_table += harassment_table(language, tables.get("harassment_by_year", []), threshold)
    menu = "".join(f'<a href="{PAGES[other][0]}" lang="{PAGES[other][2]}" translate="no">{html.escape(PAGES[other][3])}</a>'
                   for other in LANGUAGES if other != language)
    e = lambda key: html.escape(words[key])  # noqa: E731  (every word is text, escaped like data)
    # The licence is the page's last line (the PDF printer finds where each language ends by its link).
    terms = (f'<p class="licence">{html.escape(words["licence"])}: <a href="{html.escape(licence["path"] or "")}" translate="no">'
             f'{html.escape(licence["name"])}</a> (<span translate="no">{html.escape(licence["title"])}</span>)</p>' if licence else "")
    return f"""<!doctype html>
<html lang="{PAGES[language][2]}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>{html.escape(words['title'])}: {html.escape(case.name)}</title>
<style>{STYLE}</style></head><body>
<nav>{menu}</nav>
<h1>{html.escape(words['title'])}</h1>
<p><span translate="no">{html.escape(case.name)}</span> — {html.escape(account['as_of'])}</p>
<table><thead><tr><th>{e('category')}</th><th>{e('named')}</th><th>{e('by_sources')}</th>
<th>{e('claims')}</th><th>{e('official')}</th><th>{e('estimate')}</th></tr></thead>
<tbody>{_rows(account, tables, threshold, words)}</tbody></table>
<p class="note">{html.escape(words['split_blank'].format(t=threshold))}</p>
{_open_note(account, words)}
{linking}
<h2>{e('claims_list')}</h2><ul>{claims or '<li>' + html.escape(words['none']) + '</li>'}</ul>
{f"<h3>{e('other_claims')}</h3><ul>{others}</ul>" if others else ""}
{place_table}
<!--changes-->
<h2>{e('figures')}</h2>{pictures}
<div class="closing">
<h2>{e('method')}</h2>{method}
<h2>{e('data')}</h2><p translate="no"><a href="../data/datapackage.json">datapackage.json</a> · CSV · public.sqlite</p>
<p>{e('hash')}: <code translate="no">{data_hash}</code></p>
{terms}
</div>
</body></html>
"""
