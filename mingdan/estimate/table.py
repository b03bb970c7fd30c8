"""Capture tables: counts of people per capture pattern across J lists, read and checked."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

COUNT_COLUMNS = ("count", "n", "freq", "Freq", "Count", "N")
MISSING = ("NA", "na", "")


class TableError(ValueError):
    """A bad capture table; the message names the file, line, column and reason."""


@dataclass(frozen=True)
class CaptureTable:
    """Counts per capture pattern; list j (0-based, column order) is bit j of the pattern index."""

    lists: tuple[str, ...]
    counts: np.ndarray  # int64, length 2**J; counts[0] (seen by no list) is always 0 here
    strata: dict[str, CaptureTable] | None = field(default=None, compare=False)
    source: str | None = field(default=None, compare=False)

    @property
    def J(self) -> int:  # noqa: N802 - the letter every paper uses
        """Number of lists."""
        return len(self.lists)

    @property
    def observed(self) -> int:
        """People seen by at least one list."""
        return int(self.counts[1:].sum())

    @property
    def patterns(self) -> np.ndarray:
        """2**J x J matrix of 0/1: row k is the capture pattern of cell k."""
        index = np.arange(2 ** self.J)
        return ((index[:, None] >> np.arange(self.J)[None, :]) & 1).astype(np.int64)

    def list_sizes(self) -> dict[str, int]:
        """People on each list."""
        return {name: int(self.counts[self.patterns[:, j] == 1].sum()) for j, name in enumerate(self.lists)}

    def drop_lists(self, names: Iterable[str]) -> CaptureTable:
        """The table with these lists removed (their captures merged away)."""
        drop = set(names)
        keep = [j for j, name in enumerate(self.lists) if name not in drop]
        counts = np.zeros(2 ** len(keep), dtype=np.int64)
        for cell, pattern in enumerate(self.patterns):
            index = sum(int(pattern[j]) << position for position, j in enumerate(keep))
            counts[index] += self.counts[cell]
        counts[0] = 0  # people seen only by dropped lists are not seen by the rest
        return CaptureTable(tuple(self.lists[j] for j in keep), counts, source=self.source)

    def sha256(self) -> str:
        """A canonical hash of the lists and counts, for provenance."""
        text = "\n".join([",".join(self.lists), ",".join(str(int(c)) for c in self.counts)])
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

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
                      source: str | None = None) -> CaptureTable:
        """From capture patterns and their counts; repeated patterns are added up."""
        lists = _check_names(lists, source)
        table = np.zeros(2 ** len(lists), dtype=np.int64)
        for pattern, count in zip(patterns, counts):
            index = sum(int(bit) << j for j, bit in enumerate(pattern))
            table[index] += int(count)
        table[0] = 0
        return cls(lists, table, source=source)

    @classmethod
    def from_individuals(cls, lists: Sequence[str], rows: Iterable[Sequence[int]], source: str | None = None) -> CaptureTable:
        """From one 0/1 row per person."""
        rows = list(rows)
        return cls.from_patterns(lists, rows, [1] * len(rows), source)

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
            if len(covariates) > 1:
                raise TableError(f"{source}:{lines[0][0]}: columns {', '.join(covariates)} are not 0/1 list columns; "
                                 "give one as the stratum (--strata) and the others are summed over, or remove them")
        patterns, counts, labels = [], [], []
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
        if not patterns:
            raise TableError(f"{source}: no rows")
        table = cls.from_patterns(list_columns, patterns, counts, source)
        if strata is None:
            return table
        by = {}
        for label in dict.fromkeys(labels):
            chosen = [i for i, lab in enumerate(labels) if lab == label]
            by[label] = cls.from_patterns(list_columns, [patterns[i] for i in chosen], [counts[i] for i in chosen],
                                          f"{source} [{strata}={label}]")
        return cls(table.lists, table.counts, strata=by, source=source)


def _check_names(lists: Sequence[str], source: str | None) -> tuple[str, ...]:
    names = tuple(str(name) for name in lists)
    if len(set(names)) != len(names):
        raise TableError(f"{source or 'table'}: list names repeat: {', '.join(names)}")
    if not names:
        raise TableError(f"{source or 'table'}: no list columns")
    return names


def _count(raw: str, where: str) -> int:
    try:
        value = float(raw)
    except ValueError:
        raise TableError(f"{where}: {raw!r} is not a count") from None
    if value < 0:
        raise TableError(f"{where}: a count cannot be negative ({raw})")
    if value != int(value):
        raise TableError(f"{where}: a count must be a whole number, not {raw}")
    return int(value)
