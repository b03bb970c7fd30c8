"""Reading CSV, XLSX and JSON files as a header and numbered rows of text cells."""

from __future__ import annotations

import codecs
import csv
import itertools
import json
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .footers import not_a_record
from .footers import reason as footer_reason
from .headers import MAX_COLUMNS, HeaderSearch, check_width
from .json_shape import StrictJSON, Unreadable
from .problems import ImportFailed, Problem
from .text_encoding import decode_problem, detect_encoding, given_encoding, misread_header, open_text
from .xlsx_cells import PartRefused, SheetMissing, declared_dtd, sheet_rows, shown

FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}
#: What a file may hold or declare (docs/import.md): beyond these it is refused with the reason,
#: before its rows are read; an XLSX sheet's declared size is ignored (only stored cells are read).
MAX_ROWS = 10_000_000
#: Rows of the wrong shape reported before the reading stops (a wrong delimiter makes every row so).
MAX_MISSHAPEN = 100
#: An XLSX is a zip: its parts may unpack to at most this many bytes, and at most this many times the file.
MAX_XLSX_UNPACKED = 2_000_000_000
MAX_XLSX_RATIO = 200


@dataclass
class Table:
    """A file opened for reading, possibly twice: header, then numbered rows."""

    path: Path
    file_format: str
    encoding: str
    header: list[str]
    delimiter: str | None = None
    sheet: str | None = None
    sheet_name: str | None = None  # the XLSX sheet read (the first when the mapping names none), for locators
    blank_rows: int = 0
    header_row: int = 1  # as a spreadsheet counts rows; rows above it are a title, not data
    above_header: tuple[str, ...] = ()  # the text of the non-blank rows above the header, for the report
    # Rows whose shape is wrong (too many or too few cells) are skipped and kept here, so that the other
    # rows are still checked and every problem of the file is reported at once.
    problems: list = field(default_factory=list)
    script_doubts: dict = field(default_factory=dict)  # set by the validation (see RowValidator.script_doubts)
    names_kept_whole: list = field(default_factory=list)  # likewise (RowValidator.kept_whole)
    # JSON: key -> (the position of the first record that has it, how many records have it), for locators.
    keys_found: dict = field(default_factory=dict)

    def column_place(self, name: str) -> tuple[int, str]:
        """The row a problem of a column is told at, and how to name the column in it.

        A CSV or XLSX column is on the header's row; a JSON key at the first record that has it (a key
        only the 4th record has is told at record 4, not at 1).
        """
        if self.file_format != "json" or name not in self.keys_found:
            return self.header_row, f"column {name!r}"
        first, count = self.keys_found[name]
        return first, (f"key {name!r} (in record {first} only)" if count == 1 else
                       f"key {name!r} (in {count:,} records, the first being record {first})")
    # Rows below the header the mapping says are not records (file.skip_rows, file.footer_rows), and those skipped
    # by them in the last reading: (row, the option, the row's text), told as warnings, never silently dropped.
    skip_rows: frozenset = frozenset()
    footer_rows: int = 0
    skipped: list = field(default_factory=list)

    def _misshapen(self, problem: Problem) -> None:
        self.problems.append(problem)
        if len(self.problems) >= MAX_MISSHAPEN:  # a wrong delimiter: every row is misshapen, say so now
            hint = {"csv": "rows of the wrong shape; is the delimiter right?",
                    "json": "records whose values are not text or numbers",
                    "xlsx": "rows of the wrong shape or formulas with no saved value; open the workbook in a "
                            "spreadsheet program and save it"}[self.file_format]
            raise ImportFailed(self.problems + [Problem(str(self.path), None, None, (
                f"stopped after {MAX_MISSHAPEN} problems of the file's shape: {hint}"))])

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(row number as a spreadsheet shows it, cells as text), skipping blank rows and the rows the mapping
        says are not records (skip_rows, footer_rows), which are kept in `skipped` to be told."""
        self.skipped = []
        if self.file_format == "csv":
            yield from self._csv_rows()
        elif self.file_format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._json_rows()

    def _skipping(self, raw: Iterator[tuple]) -> Iterator[tuple]:
        """The non-blank rows less those skip_rows names and the last footer_rows, before any check of their shape
        (a totals row is often shorter than the header, or a formula)."""
        if not self.skip_rows and not self.footer_rows:
            yield from raw
            return
        seen: set[int] = set()
        tail: deque = deque()
        for item in raw:
            if item[0] in self.skip_rows:
                seen.add(item[0])
                self.skipped.append((item[0], "skip_rows", _row_text(item[1])))
                continue
            tail.append(item)
            if len(tail) > self.footer_rows:
                yield tail.popleft()
        self.skipped += [(item[0], "footer_rows", _row_text(item[1])) for item in tail]
        self.skipped.sort()
        for number in sorted(set(self.skip_rows) - seen):
            self._misshapen(Problem(str(self.path), number, None, (
                f"the mapping's file.skip_rows names row {number}, which is no row of the list (blank, the header "
                "or above it, or past the end): correct skip_rows"), sheet=self.sheet_name))

    def _footer(self, row: int, cells: list[str]) -> Problem | None:
        """A short row that reads as a totals line or a note (合计,3人): told as that, not as a row of the wrong shape."""
        for position, cell in enumerate(cells[:len(self.header)]):
            kind = not_a_record(cell)
            if kind is not None:
                return Problem(str(self.path), row, self.header[position], footer_reason(kind, cell, row))
        return None

    def _csv_raw(self) -> Iterator[tuple[int, list[str]]]:
        with open_text(self.path, self.encoding) as handle:
            reader = csv.reader(handle, delimiter=self.delimiter or ",", strict=True)
            blank = 0
            try:
                for cells in reader:
                    if reader.line_num <= self.header_row:
                        continue
                    row_number = reader.line_num
                    _check_rows(self.path, row_number)
                    if not cells or all(not cell.strip() for cell in cells):
                        blank += 1
                        continue
                    yield row_number, cells
            except UnicodeDecodeError as exc:
                raise ImportFailed([decode_problem(self.path, self.encoding, exc)]) from None
            except csv.Error as exc:
                raise ImportFailed([Problem(str(self.path), reader.line_num, None, f"malformed CSV: {exc}")]) from None
            self.blank_rows = blank

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        for row_number, cells in self._skipping(self._csv_raw()):
            if len(cells) != width:
                if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                    self._misshapen(self._footer(row_number, cells) or Problem(str(self.path), row_number, None, (
                        f"row has {len(cells)} cells but the header has {width}; "
                        "check for a stray delimiter or a missing quote")))
                    continue
                cells = cells[:width]  # empty cells past the last named column, as spreadsheets export
            yield row_number, cells

    def _xlsx_raw(self) -> Iterator[tuple[int, list[str], list[int]]]:
        blank = 0
        try:
            _, rows = sheet_rows(self.path, self.sheet)
            for row_number, cells, unsaved in rows:
                if row_number <= self.header_row:
                    continue
                _check_rows(self.path, row_number)
                if len(cells) > MAX_COLUMNS:
                    check_width(str(self.path), len(cells), row_number)
                if not unsaved and all(not cell.strip() for cell in cells):
                    blank += 1
                    continue
                yield row_number, cells, unsaved
        except PartRefused as exc:
            raise ImportFailed([Problem(str(self.path), None, None, str(exc))]) from None
        self.blank_rows = blank

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        for row_number, cells, unsaved in self._skipping(self._xlsx_raw()):
            if unsaved:
                self._unsaved(row_number, unsaved)
                continue
            if any(cell.strip() for cell in cells[width:]):
                self._misshapen(Problem(str(self.path), row_number, None, "row has values beyond the last named column",
                                        sheet=self.sheet_name))
                continue
            cells = (cells + [""] * width)[:width]
            yield row_number, cells

    def _unsaved(self, row: int, positions: list[int]) -> None:
        """A row with formulas that have no saved value: refused, each cell named (never read as empty)."""
        from openpyxl.utils import get_column_letter

        for position in positions:
            letter = get_column_letter(position + 1)
            self._misshapen(Problem(str(self.path), row, self.header[position] if position < len(self.header) else letter, (
                f"cell {letter}{row} is a formula with no saved value (the file was written by a program and never "
                "opened and saved in a spreadsheet program): open it in one and save it, or write the value"),
                sheet=self.sheet_name))

    def _json_rows(self) -> Iterator[tuple[int, list[str]]]:
        items, wrapped = _json_items(self.path, self.encoding, with_wrapper=True)
        for index, item in self._skipping(enumerate(items, start=1)):
            _check_rows(self.path, index)
            cells, wrong = [], False
            for key in self.header:
                value = item.get(key)
                if isinstance(value, (dict, list, bool)):
                    # Reported with every other problem of the file, and the record left out: never a traceback.
                    what = "an object" if isinstance(value, dict) else "a list" if isinstance(value, list) else \
                        f"the JSON value {str(value).lower()}"
                    where = f"$.records[{index - 1}]" if wrapped else f"$[{index - 1}]"
                    self._misshapen(Problem(str(self.path), index, key, (
                        f"{where}.{key} is {what}; a value must be text or a number")))
                    wrong = True
                cells.append(shown(value, None))
            if not wrong:
                yield index, cells


def _row_text(cells) -> str:
    """A skipped row as it reads, its non-empty cells joined (a JSON record's values), for the warning."""
    values = cells.values() if isinstance(cells, dict) else cells
    text = " | ".join(str(v).strip() for v in values if v is not None and str(v).strip())
    return text if len(text) <= 80 else text[:77] + "..."


#: Lines read to tell a tab-separated text from a comma-separated one.
SNIFFED_LINES = 10


def _sniffed_delimiter(path: Path, encoding: str) -> str:
    """A tab where more of the first lines hold tabs than commas (Excel's "Unicode text" and many exports are
    tab-separated .txt: an outside tester's was read as one column, rt45), else a comma."""
    tabs = commas = 0
    try:
        with open_text(path, encoding) as handle:
            for line in itertools.islice(handle, SNIFFED_LINES):
                tabs += "\t" in line
                commas += "," in line
    except (UnicodeDecodeError, OSError):
        return ","  # the reading below says what is wrong
    return "\t" if tabs > commas else ","


def open_table(path: Path, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None, header_row: int | None = None,
               columns: Iterable[str] | None = None, skip_rows: Iterable[int] = (), footer_rows: int = 0) -> Table:
    """Open a file and find its header; errors name the file and what to do.

    The header is `header_row`, else the first of the first rows that holds every name of
    `columns` (the mapping's; else record_id and name), compared without regard to spaces,
    width or case: a title above it is not data.
    """
    path = Path(path)
    file = str(path)
    if not path.exists():
        raise ImportFailed([Problem(file, None, None, "file not found")])
    if not path.is_file():
        raise ImportFailed([Problem(file, None, None, "not a file")])
    file_format = FORMATS.get(path.suffix.lower())
    if file_format is None:
        raise ImportFailed([Problem(file, None, None, f"unknown file type {path.suffix!r}; expected .csv, .tsv, .txt, .xlsx or .json")])
    if path.stat().st_size == 0:
        raise ImportFailed([Problem(file, None, None, "the file is empty")])
    if header_row is not None and file_format == "json":
        raise ImportFailed([Problem(file, None, None, "header_row applies to CSV and XLSX files; a JSON file has none")])
    wanted = HeaderSearch(columns, header_row)
    skips = {"skip_rows": frozenset(skip_rows), "footer_rows": footer_rows}
    if file_format == "xlsx":
        return _open_xlsx(path, sheet, wanted, skips)
    if encoding:
        try:
            encoding = given_encoding(path, encoding)
        except LookupError:
            raise ImportFailed([Problem(file, None, None, f"unknown encoding {encoding!r}")]) from None
    else:
        encoding = detect_encoding(path)
    if file_format == "json":
        items = _json_items(path, encoding)
        found: dict[str, list[int]] = {}
        for position, item in enumerate(items, start=1):
            for key in item:
                seen = found.get(key)
                if seen is None:
                    found[key] = [position, 1]
                else:
                    seen[1] += 1
        header = list(found)
        check_width(file, len(header))
        if not items:
            raise ImportFailed([Problem(file, None, None, "the file holds no records")])
        return Table(path, "json", encoding, header, keys_found={k: tuple(v) for k, v in found.items()}, **skips)
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniffed_delimiter(path, encoding)
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            top = []
            for cells in reader:
                top.append((reader.line_num, cells))
                if len(top) >= wanted.rows:
                    break
        except UnicodeDecodeError as exc:
            raise ImportFailed([decode_problem(path, encoding, exc)]) from None
        except csv.Error as exc:
            raise ImportFailed([Problem(file, reader.line_num, None, f"malformed CSV: {exc}")]) from None
    row, header, above = wanted.find(top, file)
    table = Table(path, "csv", encoding, header, delimiter=delimiter, header_row=row, above_header=above, **skips)
    if next(table.rows(), None) is None:
        if table.problems:  # every row has the wrong shape: say that, not 'no rows'
            raise ImportFailed(table.problems)
        hint = misread_header(header, encoding)
        shown = f"; its header reads as {''.join(header)[:40]!r}…" if hint else ""
        raise ImportFailed([Problem(file, None, None, f"the file has a header but no rows{shown}{hint}")])
    table.problems.clear()  # the rows are read again by the import, which reports them
    return table


def _open_xlsx(path: Path, sheet: str | None, wanted: HeaderSearch, skips: dict) -> Table:
    from zipfile import BadZipFile

    _check_unpacked(path)
    dtd = declared_dtd(path)
    if dtd is not None:
        raise ImportFailed([Problem(str(path), None, None, (
            f"the workbook's part {dtd} declares XML entities (a DTD), which a spreadsheet never needs (entities can "
            "expand a few bytes into gigabytes): it is not read"))])
    top = []
    try:
        title, rows = sheet_rows(path, sheet, max_row=wanted.rows)
        unsaved_rows = []
        for number, cells, unsaved in rows:
            if unsaved:
                unsaved_rows.append(number)
            top.append((number, cells))
    except (SheetMissing, PartRefused) as exc:
        raise ImportFailed([Problem(str(path), None, None, str(exc))]) from None
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFailed([Problem(str(path), None, None, f"not a readable XLSX workbook: {exc}")]) from None
    row, header, above = wanted.find(top, str(path))
    if unsaved_rows and unsaved_rows[0] <= row:
        raise ImportFailed([Problem(str(path), unsaved_rows[0], None, (
            "a formula with no saved value in or above the header (the file was never opened and saved in a "
            "spreadsheet program): open it in one and save it"), sheet=title)])
    table = Table(path, "xlsx", "", header, sheet=sheet, sheet_name=title,
                  header_row=row, above_header=above, **skips)
    if next(table.rows(), None) is None:
        if table.problems:  # every row has the wrong shape: say that, not 'no rows'
            raise ImportFailed(table.problems)
        raise ImportFailed([Problem(str(path), None, None, "the file has a header but no rows")])
    table.problems.clear()  # the rows are read again by the import, which reports them
    return table


_JSON_KINDS = {str: "text", int: "a number", float: "a number", bool: "true or false", list: "a list"}


def _json_items(path: Path, encoding: str, with_wrapper: bool = False):
    strict = StrictJSON()
    try:
        document = strict.loads(Path(path).read_text(encoding))
    except UnicodeDecodeError as exc:
        raise ImportFailed([decode_problem(path, encoding, exc)]) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed([Problem(str(path), exc.lineno, None, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise ImportFailed([Problem(str(path), None, None, (
            "the JSON is nested too deeply to read; a list is an array of flat objects "
            '(or {"records": [...]}), whose values are text or numbers'))]) from None
    top = strict.top_problems(str(path), document)
    if top:
        raise ImportFailed(top)
    wrapped = isinstance(document, dict) and isinstance(document.get("records"), list)
    others = ", ".join(repr(key) for key, value in document.items() if key != "records" and isinstance(value, list)) \
        if wrapped else ""
    if others:  # another list beside the records was dropped without a word (rerun44); an export's date, a count stay
        raise ImportFailed([Problem(str(path), None, None, f'the top-level object holds {others} beside "records", '
                                    'which would not be imported: give the records alone ({"records": [...]} or an '
                                    'array), and any other list as a file of its own')])
    if wrapped:
        document = document["records"]
    if not isinstance(document, list):
        raise ImportFailed([Problem(str(path), None, None, 'expected a JSON array of objects, or {"records": [...]}')])
    where = "$.records" if wrapped else "$"
    wrong = [Problem(str(path), index, None, f"{where}[{index - 1}] is "
                     f"{item.what if isinstance(item, Unreadable) else _JSON_KINDS.get(type(item), 'null')}; "
                     "each record must be a JSON object")
             for index, item in enumerate(document, start=1) if not isinstance(item, dict)]
    wrong += strict.record_problems(str(path), document, where)
    if wrong:
        raise ImportFailed(sorted(wrong, key=lambda problem: problem.row)[:MAX_MISSHAPEN])
    return (document, wrapped) if with_wrapper else document


def _check_rows(path: Path, row: int) -> None:
    if row > MAX_ROWS + 1:
        raise ImportFailed([Problem(str(path), row, None, (
            f"the file has more than {MAX_ROWS:,} rows; split it into several files (docs/import.md)"))])


def _check_unpacked(path: Path) -> None:
    """Refuse an XLSX whose parts unpack to far more than any list needs (a zip bomb)."""
    from zipfile import BadZipFile, ZipFile

    try:
        with ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (BadZipFile, OSError) as exc:
        raise ImportFailed([Problem(str(path), None, None, f"not a readable XLSX workbook: {exc}")]) from None
    packed = max(Path(path).stat().st_size, 1)
    if unpacked > MAX_XLSX_UNPACKED or (unpacked > 50_000_000 and unpacked > MAX_XLSX_RATIO * packed):
        raise ImportFailed([Problem(str(path), None, None, (
            f"the workbook unpacks to {unpacked:,} bytes from {packed:,}; at most {MAX_XLSX_UNPACKED:,} bytes "
            f"and {MAX_XLSX_RATIO} times its size are read (docs/import.md)"))])
