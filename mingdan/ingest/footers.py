"""Rows below a list that are not records: a totals line (合计 3人, Total: 3) or a note (注：…, Source: …).

Such a row read as a record would add a person named 3人 to the list and to every count made from it.
It is recognised by its record id or name cell and refused with the reason, never dropped on a guess;
the mapping's `file.skip_rows` / `file.footer_rows` skip it on purpose (docs/import.md).
"""

from __future__ import annotations

import re
import unicodedata

_COUNT = r"[0-9一二三四五六七八九十百千万萬两兩〇零]+"
#: A totals cell: 合计, 总计, 小计, 共计, 总数, 累计, 总共, 统计 (either script) at the start; 共3人; Total, Subtotal.
_TOTALS = re.compile(
    r"^(?:合计|合計|总计|總計|小计|小計|共计|共計|总数|總數|累计|累計|总共|總共|统计|統計"
    rf"|共\s*{_COUNT}\s*(?:人|名|位|条|條|个|個|例|宗|起|项|項)"
    r"|(?:grand\s+)?(?:sub-?\s?)?totals?\b)", re.IGNORECASE)
#: A note: 注 / 备注 / 说明 / 来源 … or Note / Source / NB followed by a colon (注1：, ※注：, * Note: too).
_NOTE = re.compile(
    r"^[※*＊]?\s*(?:注\s*[0-9]*|註\s*[0-9]*|备注|備註|说明|說明|附注|附註|来源|來源|资料来源|資料來源|数据来源|數據來源"
    r"|数据截至|資料截至|出处|出處|notes?|n\.?\s?b\.?|sources?|remarks?|comments?)\s*:"
    r"|^(?:数据|數據|资料|資料)?(?:截至|截止)\s*[0-9一二]", re.IGNORECASE)


#: The first characters a totals line or a note can begin with (full-width Latin letters too): any other
#: cell is passed over without normalising it, as every record id and name of a million-row list is looked at.
_FIRST = frozenset("合總总小共累统統注註备備说說附来來资資数數出截※*＊NnSsTtGgRrCc")
_FIRST |= frozenset(chr(ord(c) + 0xFEE0) for c in "NnSsTtGgRrCc")


def not_a_record(cell: str) -> str | None:
    """'totals' or 'note' when the cell reads as a totals line or a note rather than a record's id or name."""
    if cell[:1] not in _FIRST and cell.lstrip()[:1] not in _FIRST:
        return None
    text = unicodedata.normalize("NFKC", cell).strip()
    if _TOTALS.match(text):
        return "totals"
    if _NOTE.match(text):
        return "note"
    return None


def reason(kind: str, cell: str, row: int) -> str:
    """Why the row is refused, and the two ways out."""
    what = "a totals row" if kind == "totals" else "a note"
    return (f"{cell.strip()!r} looks like {what}, not a record: delete it, or map it away (in the mapping, "
            f"file: {{skip_rows: [{row}]}}, or file: {{footer_rows: N}} for the list's last N rows)")
