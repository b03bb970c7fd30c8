"""Reading CSV, XLSX and JSON files as a header and numbered rows of text cells."""

from __future__ import annotations

import codecs
import csv
import io
import json
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import opencc

from .fields import CANONICAL_FIELDS
from .problems import ImportFailed, Problem
from .xlsx_cells import SheetMissing, sheet_rows, shown

FORMATS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}
#: What a file may hold or declare (docs/import.md): beyond these it is refused with the reason,
#: before its rows are read; an XLSX sheet's declared size is ignored (only stored cells are read).
MAX_COLUMNS = 500
MAX_ROWS = 10_000_000
#: Rows of the wrong shape reported before the reading stops (a wrong delimiter makes every row so).
MAX_MISSHAPEN = 100
#: An XLSX is a zip: its parts may unpack to at most this many bytes, and at most this many times the file.
MAX_XLSX_UNPACKED = 2_000_000_000
MAX_XLSX_RATIO = 200
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Characters so frequent in Chinese text that a right decoding of a list shows many of them.
_COMMON_HANS = set("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴具存衣县")
_COMMON_HANS |= set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌辉鹏宇浩凯健俊峰春梅海波"
)
_COMMON_HANT = set(opencc.OpenCC("s2t").convert("".join(sorted(_COMMON_HANS))))


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
        """(row number as a spreadsheet shows it, cells as text), skipping blank rows."""
        if self.file_format == "csv":
            yield from self._csv_rows()
        elif self.file_format == "xlsx":
            yield from self._xlsx_rows()
        else:
            yield from self._json_rows()

    def _csv_rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
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
                    if len(cells) != width:
                        if len(cells) < width or any(cell.strip() for cell in cells[width:]):
                            self._misshapen(Problem(str(self.path), row_number, None, (
                                f"row has {len(cells)} cells but the header has {width}; "
                                "check for a stray delimiter or a missing quote")))
                            continue
                        cells = cells[:width]  # empty cells past the last named column, as spreadsheets export
                    yield row_number, cells
            except UnicodeDecodeError as exc:
                raise ImportFailed([_decode_problem(self.path, self.encoding, exc)]) from None
            except csv.Error as exc:
                raise ImportFailed([Problem(str(self.path), reader.line_num, None, f"malformed CSV: {exc}")]) from None
            self.blank_rows = blank

    def _xlsx_rows(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        blank = 0
        _, rows = sheet_rows(self.path, self.sheet)
        for row_number, cells, unsaved in rows:
            if row_number <= self.header_row:
                continue
            _check_rows(self.path, row_number)
            if len(cells) > MAX_COLUMNS:
                _check_width(str(self.path), len(cells), row_number)
            if unsaved:
                self._unsaved(row_number, unsaved)
                continue
            if all(not cell.strip() for cell in cells):
                blank += 1
                continue
            if any(cell.strip() for cell in cells[width:]):
                self._misshapen(Problem(str(self.path), row_number, None, "row has values beyond the last named column",
                                        sheet=self.sheet_name))
                continue
            cells = (cells + [""] * width)[:width]
            yield row_number, cells
        self.blank_rows = blank

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
        for index, item in enumerate(items, start=1):
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


def open_table(path: Path, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None, header_row: int | None = None,
               columns: Iterable[str] | None = None) -> Table:
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
    if file_format == "xlsx":
        return _open_xlsx(path, sheet, wanted)
    if encoding:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise ImportFailed([Problem(file, None, None, f"unknown encoding {encoding!r}")]) from None
    else:
        encoding = detect_encoding(path)
    if file_format == "json":
        items = _json_items(path, encoding)
        header = list(dict.fromkeys(key for item in items for key in item))
        _check_width(file, len(header))
        if not items:
            raise ImportFailed([Problem(file, None, None, "the file holds no records")])
        return Table(path, "json", encoding, header)
    if delimiter is None:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    with open_text(path, encoding) as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            top = []
            for cells in reader:
                top.append((reader.line_num, cells))
                if len(top) >= wanted.rows:
                    break
        except UnicodeDecodeError as exc:
            raise ImportFailed([_decode_problem(path, encoding, exc)]) from None
        except csv.Error as exc:
            raise ImportFailed([Problem(file, reader.line_num, None, f"malformed CSV: {exc}")]) from None
    row, header, above = wanted.find(top, file)
    table = Table(path, "csv", encoding, header, delimiter=delimiter, header_row=row, above_header=above)
    if next(table.rows(), None) is None:
        if table.problems:  # every row has the wrong shape: say that, not 'no rows'
            raise ImportFailed(table.problems)
        raise ImportFailed([Problem(file, None, None, "the file has a header but no rows")])
    table.problems.clear()  # the rows are read again by the import, which reports them
    return table


def open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    """A text handle that fails loudly on undecodable bytes and keeps newlines for csv."""
    return open(path, encoding=encoding, errors="strict", newline="")


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: a BOM, else UTF-8, UTF-16, GB18030 or Big5 by content."""
    data = Path(path).read_bytes()
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    sample = data[:200_000]
    if sample.count(b"\x00") > len(sample) // 4:
        even_zeros = sample[0::2].count(0)
        return "utf-16-le" if even_zeros < sample[1::2].count(0) else "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {}
    for name, common in (("gb18030", _COMMON_HANS), ("big5", _COMMON_HANT)):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        han = [char for char in text if "\u4e00" <= char <= "\u9fff"]
        scores[name] = sum(char in common for char in han) / max(len(han), 1)
    if not scores:
        raise ImportFailed([Problem(str(path), None, None, (
            "cannot tell the file's encoding (not UTF-8, UTF-16, GB18030 or Big5); "
            "give it with --encoding"))])
    return max(scores, key=scores.get)


def _decode_problem(path: Path, encoding: str, exc: UnicodeDecodeError) -> Problem:
    data = Path(path).read_bytes()
    line = data[: exc.start].count(b"\n") + 1 if encoding.startswith(("utf-8", "gb", "big5", "cp")) else None
    return Problem(str(path), line, None, (
        f"bytes {exc.object[exc.start:exc.start + 4]!r} are not valid {encoding}; "
        "the file is in another encoding: give the right one with --encoding "
        "(utf-8, utf-16, gb18030, big5)"))


def _open_xlsx(path: Path, sheet: str | None, wanted: "HeaderSearch") -> Table:
    from zipfile import BadZipFile

    _check_unpacked(path)
    top = []
    try:
        title, rows = sheet_rows(path, sheet, max_row=wanted.rows)
        unsaved_rows = []
        for number, cells, unsaved in rows:
            if unsaved:
                unsaved_rows.append(number)
            top.append((number, cells))
    except SheetMissing as exc:
        raise ImportFailed([Problem(str(path), None, None, str(exc))]) from None
    except (BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFailed([Problem(str(path), None, None, f"not a readable XLSX workbook: {exc}")]) from None
    row, header, above = wanted.find(top, str(path))
    if unsaved_rows and unsaved_rows[0] <= row:
        raise ImportFailed([Problem(str(path), unsaved_rows[0], None, (
            "a formula with no saved value in or above the header (the file was never opened and saved in a "
            "spreadsheet program): open it in one and save it"), sheet=title)])
    table = Table(path, "xlsx", "", header, sheet=sheet, sheet_name=title,
                  header_row=row, above_header=above)
    if next(table.rows(), None) is None:
        if table.problems:  # every row has the wrong shape: say that, not 'no rows'
            raise ImportFailed(table.problems)
        raise ImportFailed([Problem(str(path), None, None, "the file has a header but no rows")])
    table.problems.clear()  # the rows are read again by the import, which reports them
    return table


#: Rows searched for the header when the mapping does not say which it is.
HEADER_SEARCH_ROWS = 30


def header_key(text: str) -> str:
    """A column name as compared when looking for the header: NFKC, case-folded, without spaces."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


class HeaderSearch:
    """Which row of a file's first rows is its header, and its column names as the mapping spells them."""

    def __init__(self, columns: Iterable[str] | None, header_row: int | None):
        if columns is None:  # the canonical layout: any canonical column, and at least record_id and name
            self.names = {header_key(name): name for name in CANONICAL_FIELDS}
            self.wanted = {"record_id", "name"}
        else:
            self.names = {header_key(name): name for name in columns}
            self.wanted = set(self.names)
        self.header_row = header_row
        self.rows = header_row if header_row is not None else HEADER_SEARCH_ROWS

    def find(self, top: list[tuple[int, list[str]]], file: str) -> tuple[int, list[str], tuple[str, ...]]:
        """(the header's row number, its column names, the text of the rows above it)."""
        if not top:
            raise ImportFailed([Problem(file, None, None, "the file has no rows")])
        if self.header_row is not None:
            found = next(((row, cells) for row, cells in top if row == self.header_row), None)
            if found is None:
                raise ImportFailed([Problem(file, None, None, f"header_row is {self.header_row}, but the file has only {top[-1][0]} rows")])
        else:
            found = next(((row, cells) for row, cells in top if self.wanted <= {header_key(c) for c in cells}), None)
            if found is None:
                # No row has every name: the row with most of them (else the first) is the header, so that the
                # mapping check can say which names are missing; nothing is imported then.
                found = max(top, key=lambda item: (len(self.wanted & {header_key(c) for c in item[1]}), -item[0]))
        row, cells = found
        header = [cell.strip() for cell in cells]
        while header and not header[-1]:
            header.pop()
        _check_width(file, len(header), row)
        if not header:
            raise ImportFailed([Problem(file, row, None, f"the header (row {row}) is empty")])
        for position, name in enumerate(header, start=1):
            if not name:
                raise ImportFailed([Problem(file, row, f"#{position}", "a column has no name in the header")])
        header = [self.names.get(header_key(name), name) for name in header]
        above = tuple(" ".join(cell.strip() for cell in cells if cell.strip()) for number, cells in top if number < row)
        return row, header, tuple(text for text in above if text)


_JSON_KINDS = {str: "text", int: "a number", float: "a number", bool: "true or false", list: "a list"}


def _json_items(path: Path, encoding: str, with_wrapper: bool = False):
    try:
        document = json.loads(Path(path).read_text(encoding))
    except UnicodeDecodeError as exc:
        raise ImportFailed([_decode_problem(path, encoding, exc)]) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed([Problem(str(path), exc.lineno, None, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:
        raise ImportFailed([Problem(str(path), None, None, (
            "the JSON is nested too deeply to read; a list is an array of flat objects "
            '(or {"records": [...]}), whose values are text or numbers'))]) from None
    wrapped = isinstance(document, dict) and isinstance(document.get("records"), list)
    if wrapped:
        document = document["records"]
    if not isinstance(document, list):
        raise ImportFailed([Problem(str(path), None, None, 'expected a JSON array of objects, or {"records": [...]}')])
    wrong = [Problem(str(path), index, None, f"{'$.records' if wrapped else '$'}[{index - 1}] is "
                     f"{_JSON_KINDS.get(type(item), 'null')}; each record must be a JSON object")
             for index, item in enumerate(document, start=1) if not isinstance(item, dict)]
    if wrong:
        raise ImportFailed(wrong[:MAX_MISSHAPEN])
    return (document, wrapped) if with_wrapper else document


def _check_width(file: str, columns: int, row: int = 1) -> None:
    if columns > MAX_COLUMNS:
        raise ImportFailed([Problem(file, row, None, (
            f"the row has {columns:,} columns; at most {MAX_COLUMNS:,} can be imported (docs/import.md)"))])


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
