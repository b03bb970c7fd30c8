"""File writers with the standard library only: CSV/TSV in a chosen encoding, XLSX (a minimal
Office Open XML package, optional title row merged above the header), JSON, and YAML mappings."""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path
from typing import Any, Iterable, Sequence
from xml.sax.saxutils import escape

Cell = Any  # str, int or None


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], *,
              encoding: str = "utf-8", delimiter: str = ",", errors: str = "strict") -> None:
    """A delimited text file; None is written as an empty cell."""
    with open(path, "w", encoding=encoding, errors=errors, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])


def _col(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _clean(text: str) -> str:
    return "".join(c for c in text if c in "\t\n\r" or ord(c) >= 0x20)


def _cell(ref: str, value: Cell) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = escape(_clean(str(value)))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>')
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>')


def write_xlsx(path: Path, header: Sequence[str], rows: Iterable[Sequence[Cell]], *,
               sheet: str = "Sheet1", title: str | None = None) -> None:
    """One worksheet; `title` goes in row 1, merged across the header's width, above the header."""
    width = len(header)
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet)}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    def member(name: str) -> zipfile.ZipInfo:  # a fixed time stamp: the same rows give the same bytes
        info = zipfile.ZipInfo(name, date_time=(2012, 6, 4, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member("[Content_Types].xml"), _CONTENT_TYPES)
        z.writestr(member("_rels/.rels"), _RELS)
        z.writestr(member("xl/workbook.xml"), workbook)
        z.writestr(member("xl/_rels/workbook.xml.rels"), _WB_RELS)
        with z.open(member("xl/worksheets/sheet1.xml"), "w") as sheet_xml:
            def put(text: str) -> None:
                sheet_xml.write(text.encode("utf-8"))
            put('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            r = 0
            if title is not None:
                r += 1
                put(f'<row r="{r}">{_cell(f"A{r}", title)}</row>')
            for values in [list(header), *rows]:
                r += 1
                cells = "".join(_cell(f"{_col(i)}{r}", v) for i, v in enumerate(values))
                put(f'<row r="{r}">{cells}</row>')
            put("</sheetData>")
            if title is not None and width > 1:
                put(f'<mergeCells count="1"><mergeCell ref="A1:{_col(width - 1)}1"/></mergeCells>')
            put("</worksheet>")


def write_json(path: Path, records: list[dict[str, Cell]], *, wrapped: bool, meta: dict | None = None) -> None:
    """A JSON export: a bare array, or {"records": [...]} with optional metadata beside it."""
    payload: Any = records
    if wrapped:
        payload = dict(meta or {})
        payload["records"] = records
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(payload, handle, ensure_ascii=False, indent=1)
        handle.write("\n")


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


_YAML_WORDS = {"yes", "no", "y", "n", "true", "false", "on", "off", "null", "~"}


def _yaml_key(key: Any) -> str:
    text = str(key)
    plain = (text and text.strip() == text and text.lower() not in _YAML_WORDS
             and not any(c in text for c in ":#{}[],&*!|>'\"%@`\t")
             and not text[0] in "-?" and not text.replace(".", "").isdigit())
    return text if plain else _yaml_scalar(text)


def _yaml_lines(value: Any, indent: int) -> list[str]:
    pad = "  " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                if isinstance(item, dict) and all(not isinstance(v, (dict, list)) for v in item.values()) \
                        and len(item) <= 4 and indent >= 1:
                    inner = ", ".join(f"{_yaml_key(k)}: {_yaml_scalar(v)}" for k, v in item.items())
                    lines.append(f"{pad}{_yaml_key(key)}: {{{inner}}}")
                else:
                    lines.append(f"{pad}{_yaml_key(key)}:")
                    lines.extend(_yaml_lines(item, indent + 1))
            elif isinstance(item, list):
                lines.append(f"{pad}{_yaml_key(key)}: []")
            else:
                lines.append(f"{pad}{_yaml_key(key)}: {_yaml_scalar(item)}")
    elif isinstance(value, list):
        for item in value:
            lines.append(f"{pad}- {_yaml_scalar(item)}")
    return lines


def write_yaml(path: Path, mapping: dict[str, Any], comment: str = "") -> None:
    """A mapping file in the YAML subset docs/import.md shows (every string double-quoted)."""
    head = [f"# {line}" for line in comment.splitlines()] if comment else []
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(head + _yaml_lines(mapping, 0)) + "\n")
