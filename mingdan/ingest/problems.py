"""Problems found in an input file, each pointing at file, row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an input cannot be imported as it is."""

    file: str
    row: int | None
    column: str | None
    reason: str
    sheet: str | None = None  # an XLSX workbook's sheet, between file and row

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f":{self.sheet}"
        if self.row is not None:
            where += f":{self.row}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict:
        """JSON form."""
        found = {"file": self.file, "row": self.row, "column": self.column, "reason": self.reason}
        return found | ({"sheet": self.sheet} if self.sheet is not None else {})


class ImportFailed(Exception):
    """Nothing was imported; `problems` says why, each with its locator."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(problem) for problem in problems))

    def __reduce__(self):
        # Pickled by the import worker; the default would rebuild it from the joined message.
        return (type(self), (self.problems,))
