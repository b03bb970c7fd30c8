"""Capture tables: counts of people per capture pattern across J lists, read and checked."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

COUNT_COLUMNS = ("count", "n", "freq", "Freq", "Count", "N")
MISSING = ("NA", "na", "")


class TableError(ValueError):
    """A bad capture table; the message names the file, line, column and reason."""


# Up to this many lists the full table of 2^J counts is kept (8 MB at 20); beyond, only the observed patterns.
DENSE_MAX_LISTS = 20
# A capture pattern is a bit mask in a 64-bit integer.
MAX_LISTS = 62


class CaptureTable:
    """Counts per capture pattern; list j (0-based, column order) is bit j of the pattern index.

    Stored sparsely, as the observed patterns (`cells`, increasing) and their counts (`cell_counts`);
    `counts`, the full table of 2^J counts with counts[0] (seen by no list) = 0, is built for up to
    DENSE_MAX_LISTS lists, which is all that the methods needing it (log-linear, DGA) accept.
    """

    def __init__(self, lists: Sequence[str], counts: np.ndarray | None = None,
                 strata: dict[str, CaptureTable] | None = None, source: str | None = None, *,
                 cells: np.ndarray | None = None, cell_counts: np.ndarray | None = None,
                 warnings: Sequence[str] = ()):
        self.lists = tuple(lists)
        self.strata, self.source, self.warnings = strata, source, tuple(warnings)
        if self.J > MAX_LISTS:
            raise TableError(f"{source or 'table'}: {self.J} lists; at most {MAX_LISTS} are supported")
        if counts is not None:
            counts = np.asarray(counts, dtype=np.int64)
            if len(counts) != 2 ** self.J:
                raise TableError(f"{source or 'table'}: {len(counts)} counts for {self.J} lists (need 2^{self.J})")
            cells = np.flatnonzero(counts)
            cells = cells[cells > 0]
            cell_counts = counts[cells]
        elif cells is None or cell_counts is None:
            raise TypeError("CaptureTable needs counts, or cells and cell_counts")
        self.cells = np.asarray(cells, dtype=np.int64)
        self.cell_counts = np.asarray(cell_counts, dtype=np.int64)
        self._counts = counts

    @property
    def J(self) -> int:  # noqa: N802 - the letter every paper uses
        """Number of lists."""
        return len(self.lists)

    @property
    def counts(self) -> np.ndarray:
        """All 2^J counts, int64; counts[0] (seen by no list) is always 0 here."""
        if self._counts is None:
            if self.J > DENSE_MAX_LISTS:
                raise TableError(f"{self.source or 'table'}: {self.J} lists make 2^{self.J} capture patterns; the full "
                                 f"table is built for at most {DENSE_MAX_LISTS} lists (use a method that works on the "
                                 "observed patterns: lcmcr)")
            counts = np.zeros(2 ** self.J, dtype=np.int64)
            counts[self.cells] = self.cell_counts
            self._counts = counts
        return self._counts

    @property
    def observed(self) -> int:
        """People seen by at least one list."""
        return int(self.cell_counts.sum())

    @property
    def patterns(self) -> np.ndarray:
        """2**J x J matrix of 0/1: row k is the capture pattern of cell k."""
        return pattern_bits(np.arange(2 ** self.J), self.J)

    @property
    def cell_patterns(self) -> np.ndarray:
        """M x J matrix of 0/1: the capture pattern of each observed cell."""
        return pattern_bits(self.cells, self.J)

    def list_sizes(self) -> dict[str, int]:
        """People on each list."""
        sizes = self.cell_counts @ self.cell_patterns if len(self.cells) else np.zeros(self.J, dtype=np.int64)
        return {name: int(size) for name, size in zip(self.lists, sizes)}

    def drop_lists(self, names: Iterable[str]) -> CaptureTable:
        """The table with these lists removed (their captures merged away)."""
        drop = set(names)
        keep = [j for j, name in enumerate(self.lists) if name not in drop]
        index = (self.cell_patterns[:, keep] << np.arange(len(keep))).sum(axis=1) if keep else np.zeros(0, np.int64)
        cells, where = np.unique(index, return_inverse=True)
        counts = np.bincount(where, weights=self.cell_counts, minlength=len(cells)).astype(np.int64)
        seen = cells > 0  # people seen only by dropped lists are not seen by the rest
        return CaptureTable(tuple(self.lists[j] for j in keep), cells=cells[seen], cell_counts=counts[seen],
                            source=self.source)

    def sha256(self) -> str:
        """A canonical hash of the lists and counts, for provenance."""
        if self.J <= DENSE_MAX_LISTS:
            # The form every stored estimate was hashed with: all 2^J counts.
            body = ",".join(str(int(c)) for c in self.counts)
        else:
            body = ",".join(f"{int(c)}:{int(n)}" for c, n in zip(self.cells, self.cell_counts))
        return hashlib.sha256("\n".join([",".join(self.lists), body]).encode("utf-8")).hexdigest()

    def validate(self, min_lists: int = 2, max_lists: int | None = None, method: str = "") -> None:
        """Raise TableError when an estimate cannot be computed from this table."""
        where = f"{self.source}: " if self.source else ""
        who = f"{method} needs" if method else "estimation needs"
        if self.J < min_lists:
            raise TableError(f"{where}{who} at least {min_lists} lists; the table has {self.J}")
        if max_lists is not None and self.J > max_lists:
            raise TableError(f"{where}{who} at most {max_lists} lists; the table has {self.J}")
        empty = [name for name, size in self.list_sizes().items() if size == 0]
        if empty:
            raise TableError(f"{where}list {', '.join(empty)} has no records; drop it (CaptureTable.drop_lists)")
        if self.observed == 0:
            raise TableError(f"{where}the table is empty")

    @classmethod
    def from_patterns(cls, lists: Sequence[str], patterns: Iterable[Sequence[int]], counts: Iterable[int],
                      source: str | None = None, warnings: Sequence[str] = ()) -> CaptureTable:
        """From capture patterns and their counts; repeated patterns are added up."""
        lists = _check_names(lists, source)
        if len(lists) > MAX_LISTS:
            raise TableError(f"{source or 'table'}: {len(lists)} lists; at most {MAX_LISTS} are supported")
        totals: dict[int, int] = {}
        for pattern, count in zip(patterns, counts):
            index = sum(int(bit) << j for j, bit in enumerate(pattern))
            if index:
                totals[index] = totals.get(index, 0) + int(count)
        cells = np.array(sorted(c for c, n in totals.items() if n), dtype=np.int64)
        return cls(lists, cells=cells, cell_counts=np.array([totals[c] for c in cells], dtype=np.int64),
                   source=source, warnings=warnings)

    @classmethod
    def from_individuals(cls, lists: Sequence[str], rows: Iterable[Sequence[int]], source: str | None = None) -> CaptureTable:
        """From one 0/1 row per person."""
        rows = list(rows)
        return cls.from_patterns(lists, rows, [1] * len(rows), source)

    def __repr__(self) -> str:
        return f"CaptureTable(lists={self.lists!r}, observed={self.observed}, patterns={len(self.cells)})"


    @classmethod
    def from_csv(cls, path: str | Path, strata: str | None = None) -> CaptureTable:
        """Read T.csv: 0/1 list columns and a count column (count, n or Freq), or one row per person."""
        path = Path(path)
        if not path.is_file():
            raise TableError(f"{path}: file not found")
        text = path.read_text("utf-8-sig")
        return cls.from_text(text, str(path), strata)

    @classmethod
    def from_text(cls, text: str, source: str = "<table>", strata: str | None = None) -> CaptureTable:
        """Parse the CSV text of a capture table (see from_csv)."""
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1)
                 if line.strip() and not line.lstrip().startswith("#")]
        if not lines:
            raise TableError(f"{source}: no header and no rows")
        reader = csv.reader(io.StringIO("\n".join(line for _, line in lines)))
        rows = list(reader)
        header = [h.strip() for h in rows[0]]
        if len(set(header)) != len(header):
            duplicate = next(h for h in header if header.count(h) > 1)
            raise TableError(f"{source}:{lines[0][0]}: column {duplicate!r} appears twice")
        count_column = next((h for h in header if h in COUNT_COLUMNS), None)
        if strata is not None and strata not in header:
            raise TableError(f"{source}:{lines[0][0]}: no stratum column {strata!r} (columns: {', '.join(header)})")
        list_columns = [h for h in header if h not in (count_column, strata)]
        if strata is not None:
            # With a stratum column, other covariates (sex, age group, ...) are summed over.
            body = [dict(zip(header, (c.strip() for c in cells))) for cells in rows[1:] if len(cells) == len(header)]
            list_columns = [h for h in list_columns if all(row[h] in ("0", "1") for row in body)]
        else:
            body = [dict(zip(header, (c.strip() for c in cells))) for cells in rows[1:] if len(cells) == len(header)]
            covariates = [h for h in list_columns
                          if any(row[h] not in ("0", "1") for row in body) and not all(row[h].isdigit() for row in body)]
            yes_no = {"true", "false", "yes", "no", "y", "n", "t", "f", "x", ""}
            worded = [h for h in covariates if all(row[h].lower() in yes_no for row in body)]
            if worded:
                # TRUE/FALSE, yes/no, x or blank: lists written in words; which word means "on the list" is not guessed.
                raise TableError(f"{source}:{lines[0][0]}: list columns {', '.join(worded)} are written as "
                                 f"{'/'.join(sorted({row[worded[0]] or '(blank)' for row in body})[:4])}: write 1 for "
                                 "on the list and 0 for not on it")
            if len(covariates) > 1:
                raise TableError(f"{source}:{lines[0][0]}: columns {', '.join(covariates)} are not 0/1 list columns; "
                                 "give one as the stratum (--strata) and the others are summed over, or remove them")
        patterns, counts, labels = [], [], []
        seen_on: dict[tuple, list[tuple[int, int]]] = {}
        for (number, _), cells in zip(lines[1:], rows[1:]):
            if len(cells) != len(header):
                raise TableError(f"{source}:{number}: {len(cells)} cells, the header has {len(header)}")
            values = dict(zip(header, (c.strip() for c in cells)))
            pattern = []
            for name in list_columns:
                if values[name] not in ("0", "1"):
                    hint = ("" if strata else "; if it is a covariate, give it as --strata or remove it")
                    raise TableError(f"{source}:{number}:{name}: {values[name]!r} is not 0 or 1{hint}")
                pattern.append(int(values[name]))
            count = 1
            if count_column:
                raw = values[count_column]
                if raw in MISSING:
                    if any(pattern):
                        raise TableError(f"{source}:{number}:{count_column}: NA is only allowed for the unobserved "
                                         "cell (all lists 0)")
                    continue
                count = _count(raw, f"{source}:{number}:{count_column}")
            elif not any(pattern):
                raise TableError(f"{source}:{number}: a person seen by no list cannot be a row")
            if not any(pattern) and count:
                raise TableError(f"{source}:{number}:{count_column}: the cell seen by no list must be NA or 0, "
                                 f"not {count}: nobody can count the people no list recorded")
            patterns.append(pattern)
            counts.append(count)
            labels.append(values[strata] if strata else None)
            if count_column:
                # Rows that differ in a covariate summed over (sex, age group, ...) are not repeats.
                others = tuple(values[h] for h in header if h not in list_columns and h != count_column)
                seen_on.setdefault((tuple(pattern), others), []).append((number, count))
        if not patterns:
            raise TableError(f"{source}: no rows")
        warnings = _duplicate_warnings(source, list_columns, seen_on)
        table = cls.from_patterns(list_columns, patterns, counts, source, warnings)
        if strata is None:
            return table
        by = {}
        for label in dict.fromkeys(labels):
            chosen = [i for i, lab in enumerate(labels) if lab == label]
            by[label] = cls.from_patterns(list_columns, [patterns[i] for i in chosen], [counts[i] for i in chosen],
                                          f"{source} [{strata}={label}]")
        return cls(table.lists, cells=table.cells, cell_counts=table.cell_counts, strata=by, source=source,
                   warnings=warnings)


def pattern_bits(cells: np.ndarray, J: int) -> np.ndarray:  # noqa: N803
    """0/1 matrix (len(cells) x J) of the lists in each pattern index."""
    return ((np.asarray(cells, dtype=np.int64)[:, None] >> np.arange(J)[None, :]) & 1).astype(np.int64)


def _duplicate_warnings(source: str, lists: list[str], seen_on: dict[tuple, list[tuple[int, int]]]) -> tuple[str, ...]:
    """A table of counts should give each capture pattern once; say where one is repeated (the counts are added)."""
    repeated = [(key, rows) for key, rows in seen_on.items() if len(rows) > 1]
    if not repeated:
        return ()
    described = []
    for (pattern, others), rows in repeated[:5]:
        on = "+".join(name for name, bit in zip(lists, pattern) if bit) or "no list"
        where = f" with {', '.join(others)}" if others else ""
        described.append(f"pattern {on}{where} on lines {', '.join(str(n) for n, _ in rows)} "
                         f"({' + '.join(str(c) for _, c in rows)} = {sum(c for _, c in rows)})")
    more = f"; and {len(repeated) - 5} more" if len(repeated) > 5 else ""
    return (f"{source}: {len(repeated)} capture pattern(s) appear on more than one row and their counts were "
            f"added: {'; '.join(described)}{more}. Check that the rows are not the same people counted twice",)


def _check_names(lists: Sequence[str], source: str | None) -> tuple[str, ...]:
    names = tuple(str(name) for name in lists)
    if len(set(names)) != len(names):
        raise TableError(f"{source or 'table'}: list names repeat: {', '.join(names)}")
    if not names:
        raise TableError(f"{source or 'table'}: no list columns")
    return names


def _count(raw: str, where: str) -> int:
    """A count written as digits (a whole number written 100.0 too); anything else refused with the reason."""
    text = raw.strip()
    if re.fullmatch(r"\d+(\.0*)?", text):
        return int(text.split(".")[0])
    if re.fullmatch(r"-\s*\d+(\.\d*)?", text):
        raise TableError(f"{where}: a count cannot be negative ({raw})")
    if re.fullmatch(r"\d*\.\d+", text):
        raise TableError(f"{where}: a count must be a whole number, not {raw}")
    # 1e2, inf, nan, 1,000: a number a spreadsheet may have rewritten; which count was meant is not guessed.
    raise TableError(f"{where}: {raw!r} is not a count: write the number of people as digits (100, not 1e2 or 1,000)")
