"""Finding a list's header: the row that holds the mapping's column names, wherever it is among the first rows."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from .fields import CANONICAL_FIELDS
from .problems import ImportFailed, Problem

#: Columns a file may have (docs/import.md): beyond them it is refused with the reason, before its rows are read.
MAX_COLUMNS = 500
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
        check_width(file, len(header), row)
        if not header:
            raise ImportFailed([Problem(file, row, None, f"the header (row {row}) is empty")])
        for position, name in enumerate(header, start=1):
            if not name:
                raise ImportFailed([Problem(file, row, f"#{position}", "a column has no name in the header")])
        header = [self.names.get(header_key(name), name) for name in header]
        above = tuple(" ".join(cell.strip() for cell in cells if cell.strip()) for number, cells in top if number < row)
        return row, header, tuple(text for text in above if text)


def check_width(file: str, columns: int, row: int = 1) -> None:
    """Refuse a row of more columns than any list needs (MAX_COLUMNS)."""
    if columns > MAX_COLUMNS:
        raise ImportFailed([Problem(file, row, None, (
            f"the row has {columns:,} columns; at most {MAX_COLUMNS:,} can be imported (docs/import.md)"))])
