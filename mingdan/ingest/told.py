"""What an import tells beside its counts: the rows it skipped, the names it kept as written, the rejected rows."""

from __future__ import annotations

import csv
from pathlib import Path

from .problems import Problem
from .readers import Table

#: Names kept as written told one by one among the warnings; the rest are counted (all are in names_kept_whole).
NAMES_TOLD = 20


def told(table: Table, file: str) -> list[str]:
    """Warnings of the names kept whole though they hold more than a name, and of the rows skipped as no record."""
    warnings = [f"{file}:{row}:{column}: name {text!r} is kept as written ({why}); give each form in its own "
                "column (name_variants), or correct the cell" for row, column, text, why in table.names_kept_whole[:NAMES_TOLD]]
    if len(table.names_kept_whole) > NAMES_TOLD:
        warnings.append(f"{len(table.names_kept_whole) - NAMES_TOLD:,} more names are kept as written for such reasons "
                        "(`mingdan import --json` lists each in names_kept_whole)")
    warnings += [f"row {row} is not a record (the mapping's file.{option}); not imported: {text!r}"
                 for row, option, text in table.skipped]
    return warnings


def row_order(item: tuple) -> tuple[bool, int]:
    """Rows in order, problems of no row (the file's shape) first."""
    return item[0] is not None, item[0] or 0


def write_rejected(table: Table, rejected: dict[int, list[Problem]]) -> Path:
    """Write the rejected rows and their reasons beside the original file."""
    target = table.path.with_name(f"{table.path.stem}.rejected.csv")
    with open(target, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "problems", *table.header])
        for row, cells in table.rows():
            if row in rejected:
                reasons = "; ".join(f"{p.column}: {p.reason}" if p.column else p.reason for p in rejected[row])
                writer.writerow([row, reasons, *cells])
    return target
