"""XLSX cells as the spreadsheet shows them: a number through its number format (1989.64 formatted
0.0\\.0 is "1989.6.4", 19.4 formatted 0 is "19"), no float artefacts (0.30000000000000004 is "0.3"),
a date to the precision its format shows (yyyy-mm is "1989-06"), and formulas with no saved value found."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError, ParserCreate
from zipfile import ZipFile

#: Excel keeps 15 significant digits: anything past them is binary noise, not what was typed.
_SIGNIFICANT = 15
_BRACKETS = re.compile(r"\[[^\]]*\]")
_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')


def shown(value, number_format: str | None) -> str:
    """The text a spreadsheet shows for a cell's value under its number format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return _shown_date(value, number_format or "")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _shown_number(value, number_format or "General")
    return str(value)


def _shown_date(value: dt.datetime, number_format: str) -> str:
    """A date shown by its format: only the parts the format shows, so yyyy is a year and no day is invented."""
    plain = _QUOTED.sub("", _BRACKETS.sub("", number_format)).lower()
    time = value.time() != dt.time()
    if "d" in plain or not plain or plain == "general" or time:
        return value.date().isoformat() if not time else value.isoformat()
    if "m" in plain and "y" in plain:
        return f"{value.year:04d}-{value.month:02d}"
    if "y" in plain:
        return f"{value.year:04d}"
    return value.date().isoformat()


def _shown_number(value: int | float, number_format: str) -> str:
    section = number_format.split(";")[0]
    plain = _BRACKETS.sub("", section)
    if plain.strip().lower() in ("general", "") or "@" in plain:
        return _general(value)
    pattern = _QUOTED.sub("", plain)
    if re.search(r"[eE][+-]|/", pattern) or not re.search(r"[0#?]", pattern):
        return _general(value)  # scientific, fractions and the like: the value itself, without noise
    return _render(Decimal(_general(value)), plain)


def _general(value: int | float) -> str:
    """The number without float noise: 15 significant digits, as Excel keeps them; 19.0 is 19."""
    if isinstance(value, int):
        return str(value)
    number = Decimal(f"{value:.{_SIGNIFICANT}g}")
    text = format(number.normalize(), "f")
    return text if text != "-0" else "0"


def _render(number: Decimal, section: str) -> str:
    """Digits into the placeholders of one number-format section (0 # ?), with its literals and separators."""
    tokens: list[tuple[str, str]] = []  # (kind, text): kind is "digit" (0, # or ?), "point", "comma", "percent", "text"
    i = 0
    while i < len(section):
        char = section[i]
        if char == '"':
            end = section.index('"', i + 1) if '"' in section[i + 1:] else len(section)
            tokens.append(("text", section[i + 1:end]))
            i = end + 1
            continue
        if char == "\\" and i + 1 < len(section):
            tokens.append(("text", section[i + 1]))
            i += 2
            continue
        if char in "_*" and i + 1 < len(section):
            tokens.append(("text", " " if char == "_" else ""))
            i += 2
            continue
        if char in "0#?":
            tokens.append(("digit", char))
        elif char == "." and not any(kind == "point" for kind, _ in tokens):
            tokens.append(("point", "."))
        elif char == ",":
            tokens.append(("comma", ","))
        elif char == "%":
            tokens.append(("percent", "%"))
        else:
            tokens.append(("text", char))
        i += 1
    if any(kind == "percent" for kind, _ in tokens):
        number *= 100
    point = next((n for n, (kind, _) in enumerate(tokens) if kind == "point"), len(tokens))
    decimals = sum(1 for kind, _ in tokens[point:] if kind == "digit")
    # Trailing commas after the last digit placeholder divide by a thousand each (0, shows thousands).
    last_digit = max((n for n, (kind, _) in enumerate(tokens) if kind == "digit"), default=-1)
    scale = sum(1 for n, (kind, _) in enumerate(tokens[:point]) if kind == "comma" and n > last_digit)
    number /= Decimal(1000) ** scale
    negative = number < 0
    rounded = abs(number).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    whole, _, fraction = format(rounded, "f").partition(".")
    grouping = any(kind == "comma" and n < point and n < last_digit for n, (kind, _) in enumerate(tokens))
    whole = whole.lstrip("0")
    integer_slots = [n for n, (kind, _) in enumerate(tokens[:point]) if kind == "digit"]
    out = [text if kind in ("text", "percent") else "" for kind, text in tokens]
    digits = list(whole)
    for slot in reversed(integer_slots):
        placeholder = tokens[slot][1]
        out[slot] = digits.pop() if digits else ("0" if placeholder == "0" else " " if placeholder == "?" else "")
    if integer_slots and digits:
        out[integer_slots[0]] = "".join(digits) + out[integer_slots[0]]
    if grouping and integer_slots:
        full = "".join(out[n] for n in integer_slots).strip()
        out[integer_slots[0]], rest = f"{int(full):,}" if full else "", integer_slots[1:]
        for slot in rest:
            out[slot] = ""
    fraction_slots = [n for n, (kind, _) in enumerate(tokens) if kind == "digit" and n > point]
    trailing = True
    for slot, digit in reversed(list(zip(fraction_slots, fraction))):
        placeholder = tokens[slot][1]
        if trailing and digit == "0" and placeholder != "0":
            out[slot] = "" if placeholder == "#" else " "
        else:
            trailing = False
            out[slot] = digit
    if point < len(tokens):
        out[point] = "." if any(out[n] for n in fraction_slots) or not fraction_slots else ""
    text = "".join(out).strip()
    return f"-{text}" if negative and rounded != 0 else text


def has_formulas(path: Path) -> bool:
    """True when some worksheet of the workbook holds a formula (read in chunks: a sheet may be large)."""
    with ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            tail = b""
            with archive.open(name) as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    if re.search(rb"<(?:\w+:)?f[ >/]", tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False


class SheetMissing(LookupError):
    """The workbook has no sheet of the name asked for; str() names the sheets it has."""


class PartRefused(Exception):
    """A part of the workbook that is not read (a DTD, XML that does not parse); str() names it and says why."""


class _Stop(Exception):
    """Ends the reading of a part's prolog: its root element or its DTD is reached."""


def declared_dtd(path: Path) -> str | None:
    """The first XML part of the workbook whose prolog declares a DTD (XML entities: a "billion laughs"), if any.

    Only each part's prolog is read, by expat itself (any encoding, comments), stopping at the root element,
    before which a DTD must stand; no entity is ever declared or expanded.
    """
    with ZipFile(path) as archive:
        for name in archive.namelist():
            if name.lower().endswith((".xml", ".rels")) and _has_dtd(archive, name):
                return name
    return None


def _has_dtd(archive: ZipFile, name: str) -> bool:
    def doctype(*_) -> None:
        raise _Stop(True)

    def root(*_) -> None:
        raise _Stop(False)

    parser = ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    try:
        _parse(archive, name, parser)
    except _Stop as stop:
        return stop.args[0]
    except ExpatError:
        return False  # not XML at all: told when openpyxl reads it, by _broken_part
    return False


def _parse(archive: ZipFile, name: str, parser) -> None:
    """Feed one part of the workbook to an expat parser, a chunk at a time."""
    with archive.open(name) as handle:
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)


def _broken_part(path: Path, exc: Exception) -> PartRefused:
    """The refusal of a workbook whose XML does not parse, naming the part: found by parsing each part with expat
    (only once the reading has failed; a part expat refuses, as an entity expanding without end, fails fast)."""
    with ZipFile(path) as archive:
        for name in archive.namelist():
            if not name.lower().endswith((".xml", ".rels")):
                continue
            parser = ParserCreate()
            try:
                _parse(archive, name, parser)
            except ExpatError as error:
                return PartRefused(f"the workbook's part {name} is not readable XML ({error}); open the workbook "
                                   "in a spreadsheet program and save it")
    return PartRefused(f"a part of the workbook is not readable XML ({exc}); open the workbook in a spreadsheet "
                       "program and save it")


def sheet_rows(path: Path, sheet: str | None, max_row: int | None = None):
    """(sheet title, an iterator of (row number, cells as shown, positions of formulas with no saved value))."""
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except ParseError as exc:
        raise _broken_part(path, exc) from None
    if sheet and sheet not in book.sheetnames:
        book.close()
        raise SheetMissing(f"no sheet {sheet!r}; the sheets are {', '.join(book.sheetnames)}")
    chosen = book[sheet] if sheet else book.worksheets[0]
    return chosen.title, _rows(path, book, chosen.title, max_row)


def _rows(path: Path, book, title: str, max_row: int | None):
    # A formula cell's saved value is read with data_only; only a second reading of the sheet, with the
    # formulas, tells an unsaved formula from an empty cell. It is done only when the workbook has formulas.
    formulas = None
    try:
        sheet = book[title]
        sheet.reset_dimensions()  # read the cells stored, not the size the sheet declares
        if has_formulas(path):
            import openpyxl

            formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
            formula_sheet = formulas[title]
            formula_sheet.reset_dimensions()
            written = formula_sheet.iter_rows(values_only=True, max_row=max_row)
        for number, cells in enumerate(sheet.iter_rows(max_row=max_row), start=1):
            texts = [shown(cell.value, getattr(cell, "number_format", None)) for cell in cells]
            unsaved = []
            if formulas is not None:
                as_written = next(written, ())
                # A cell with something written (a formula: text "=…", or an array or data-table formula) but
                # no value to show has a formula that was never calculated; any other cell reads the same twice.
                unsaved = [position for position, value in enumerate(as_written)
                           if value is not None and position < len(cells) and cells[position].value is None]
            yield number, texts, unsaved
    except ParseError as exc:  # a sheet's XML is read lazily, row by row: a fault past the header shows here
        raise _broken_part(path, exc) from None
    finally:
        book.close()
        if formulas is not None:
            formulas.close()
