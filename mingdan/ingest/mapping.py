"""Column mappings: the canonical layout, or a YAML file that maps any layout onto it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mingdan.dates import DATE_ORDERS, ERAS, Context, check_format

from .fields import (
    CANONICAL_FIELDS, DEFAULT_PLAUSIBLE, DEFAULT_REFUSED, DEFAULT_UNKNOWN, DEFAULT_WITHHELD, FIELDS,
    RESTRICTED_BY_DEFAULT, Plausible,
)
from .problems import ImportFailed, Problem

SOURCE_KINDS = ("official", "court", "ngo", "press", "family", "other")
SENSITIVITIES = ("public", "restricted", "secret")
SCRIPTS = ("hans", "hant", "hani", "latin", "mixed", "other")
ROMANIZATIONS = ("none", "pinyin", "pinyin_tones", "wade_giles", "jyutping", "hk", "unknown")
_TOP_KEYS = {"source", "file", "columns", "constants", "missing_values", "withheld_values",
             "refused_values", "header_row"}
_DATE_KEYS = ("date_format", "default_year", "two_digit_years_from", "date_order", "era")
#: Date-column keys that widen what is plausible: earlier years, and days after the import.
_PLAUSIBLE_KEYS = ("years_from", "allow_future")
#: What the sentence column holds on a 'reduced' row: the amount of the cut (减刑1年), or the sentence the
#: term became (减刑 from life to 有期徒刑20年, as PRC lists write a reduction of a life sentence).
REDUCED_AS = ("reduction", "new_sentence")
_COLUMN_KEYS = {"field", "values", "separator", "sensitivity", "script", "romanization", *_DATE_KEYS,
                *_PLAUSIBLE_KEYS, "reduced_as"}
_FILE_KEYS = {"encoding", "delimiter", "sheet", "header_row", "skip_rows", "footer_rows"}
_SOURCE_KEYS = {"name", "kind", "description"}
MULTI_COLUMN_FIELDS = frozenset({"name_variants"})


@dataclass
class ColumnSpec:
    """How one column of the file is read."""

    column: str
    field: str | None  # None: the column is deliberately ignored
    values: dict[str, str] = field(default_factory=dict)
    separator: str = "|"
    date_format: tuple[str, ...] = ()  # strptime formats, tried in order before the forms mingdan reads itself
    dates: Context | None = None  # default_year, two_digit_years_from, date_order
    sensitivity: str = "public"
    script: str | None = None
    romanization: str | None = None
    plausible: Plausible = DEFAULT_PLAUSIBLE  # years a date may fall in (birth, event_date)
    reduced_as: str = "reduction"  # a sentence column: what it holds on 'reduced' rows (REDUCED_AS)


@dataclass
class Mapping:
    """Everything needed to read one file's layout."""

    columns: dict[str, ColumnSpec]
    constants: dict[str, str] = field(default_factory=dict)
    source_name: str | None = None
    source_kind: str | None = None
    source_description: str = ""
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None  # the row that holds the column names; None: found by them
    # Rows below the header that are not records (a totals row, a note), skipped on purpose and told as such:
    # by number (as a spreadsheet counts rows; a JSON record's position), and the last footer_rows of the list.
    skip_rows: tuple[int, ...] = ()
    footer_rows: int = 0
    unknown_values: tuple[str, ...] = DEFAULT_UNKNOWN
    withheld_values: tuple[str, ...] = DEFAULT_WITHHELD
    refused_values: tuple[str, ...] = DEFAULT_REFUSED
    path: str | None = None
    document: dict = field(default_factory=dict)

    @property
    def fields_collected(self) -> list[str]:
        """The fields this layout supplies, from a column or a constant."""
        mapped = {spec.field for spec in self.columns.values() if spec.field}
        return sorted(mapped | set(self.constants))

    def sha256(self) -> str:
        """A hash of the mapping as read, so a release can name the mapping it used."""
        return hashlib.sha256(json.dumps(self.document, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _where(name: str, located: Callable[[str], tuple[int, str]] | None) -> tuple[int, str]:
    """The row a column is told at (the header's; for JSON the first record holding the key) and what it is."""
    return located(name) if located is not None else (1, f"column {name!r}")


def canonical_mapping(header: list[str], restricted_fields: list[str], file: str,
                      located: Callable[[str], tuple[int, str]] | None = None) -> Mapping:
    """The mapping of a file in the canonical layout; any other column is an error.

    `located` gives a column's row and how to name it (Table.column_place): the header's row, or for JSON
    the position of the first record that has the key.
    """
    problems = []
    columns = {}
    for name in header:
        if name in FIELDS:
            sensitivity = "restricted" if name in restricted_fields or name in RESTRICTED_BY_DEFAULT else "public"
            columns[name] = ColumnSpec(column=name, field=name, sensitivity=sensitivity)
        else:
            row, what = _where(name, located)
            problems.append(Problem(file, row, name, (
                f"{what} is not a canonical column ({', '.join(CANONICAL_FIELDS)}); "
                "give a mapping file (--mapping) that maps or ignores it")))
    if problems:
        raise ImportFailed(problems)
    mapping = Mapping(columns=columns, document={"canonical": header})
    _check_fields(mapping, file, problems)
    if problems:
        raise ImportFailed(problems)
    return mapping


class _Loader(yaml.SafeLoader):
    """YAML as its 1.2 core schema reads booleans: only true and false. YAML 1.1 also reads yes, no, on, off, y
    and n, and a column headed `No` (a running number, as lists head it) was mapped as a column named 'False' (an
    outside tester, rt45)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
                              list("tTfF"))


def load_mapping(path: Path) -> Mapping:
    """Read and check a YAML mapping file."""
    file = str(path)
    if not Path(path).is_file():
        raise ImportFailed([Problem(file, None, None, "mapping file not found")])
    try:
        document = yaml.load(Path(path).read_text("utf-8"), Loader=_Loader)  # noqa: S506 (a safe loader)
    except UnicodeDecodeError:
        raise ImportFailed([Problem(file, None, None, "mapping file is not UTF-8 text")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark else None
        raise ImportFailed([Problem(file, row, None, f"not valid YAML: {exc}")]) from None
    problems: list[Problem] = []
    if not isinstance(document, dict):
        raise ImportFailed([Problem(file, None, None, "a mapping file must be a YAML mapping with a 'columns:' key")])
    document = _as_written(document)
    _unknown_keys(document, _TOP_KEYS, file, "", problems)
    source = document.get("source") or {}
    file_options = document.get("file") or {}
    if not isinstance(source, dict) or not isinstance(file_options, dict):
        raise ImportFailed([Problem(file, None, None, "'source' and 'file' must be YAML mappings")])
    _unknown_keys(source, _SOURCE_KEYS, file, "source.", problems)
    _unknown_keys(file_options, _FILE_KEYS, file, "file.", problems)
    kind = source.get("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        problems.append(Problem(file, None, "source.kind", f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}"))
    raw_columns = document.get("columns")
    if not isinstance(raw_columns, dict) or not raw_columns:
        problems.append(Problem(file, None, "columns", "'columns:' must map each column of the file to a field or to 'ignore'"))
        raise ImportFailed(problems)
    columns = {str(name): _column_spec(str(name), spec, file, problems) for name, spec in raw_columns.items()}
    constants = document.get("constants") or {}
    if not isinstance(constants, dict):
        problems.append(Problem(file, None, "constants", "'constants:' must map fields to values"))
        constants = {}
    for name in constants:
        if name not in FIELDS or name == "record_id":
            problems.append(Problem(file, None, f"constants.{name}", f"{name!r} cannot be a constant; constants are for fields: {', '.join(sorted(FIELDS - {'record_id'}))}"))
    mapping = Mapping(
        columns=columns,
        constants={str(k): str(v) for k, v in constants.items()},
        source_name=_optional_text(source.get("name")),
        source_kind=kind,
        source_description=_optional_text(source.get("description")) or "",
        encoding=_optional_text(file_options.get("encoding")),
        delimiter=_optional_text(file_options.get("delimiter")),
        sheet=_optional_text(file_options.get("sheet")),
        header_row=_header_row(document, file_options, file, problems),
        skip_rows=_skip_rows(file_options.get("skip_rows"), file, problems),
        footer_rows=_footer_rows(file_options.get("footer_rows"), file, problems),
        path=file,
        document=document,
    )
    for key, attribute, default in (("missing_values", "unknown_values", ()),
                                    ("withheld_values", "withheld_values", ()),
                                    ("refused_values", "refused_values", ())):
        if key in document:
            values = document[key]
            if not isinstance(values, list):
                problems.append(Problem(file, None, key, f"'{key}:' must be a list of cell texts"))
                continue
            setattr(mapping, attribute, tuple(dict.fromkeys((*default, *(str(v) for v in values)))))
    _check_fields(mapping, file, problems)
    if problems:
        raise ImportFailed(problems)
    return mapping


def check_header(mapping: Mapping, header: list[str], file: str, mapping_file: str | None,
                 located: Callable[[str], tuple[int, str]] | None = None) -> None:
    """Every column of the file is mapped or ignored, and every mapped column exists (`located`: canonical_mapping)."""
    problems = []
    seen = set()
    for name in header:
        row, what = _where(name, located)
        if name in seen:
            problems.append(Problem(file, row, name, f"{what} appears twice in the header"))
        seen.add(name)
        if name not in mapping.columns:
            problems.append(Problem(file, row, name, (
                f"{what} is neither mapped nor ignored in {mapping_file or 'the mapping'}; "
                f"add '{name}: ignore' to import without it")))
    for name in mapping.columns:
        if name not in seen:
            problems.append(Problem(mapping_file or file, None, name, (
                f"the mapping names column {name!r}, which {file} does not have "
                f"(its columns: {', '.join(header)})")))
    if problems:
        raise ImportFailed(problems)


def _column_spec(name: str, spec, file: str, problems: list[Problem]) -> ColumnSpec:
    where = f"columns.{name}"
    if spec == "ignore" or spec is None:
        return ColumnSpec(column=name, field=None)
    if isinstance(spec, str):
        spec = {"field": spec}
    if not isinstance(spec, dict):
        problems.append(Problem(file, None, where, "must be a field name, 'ignore', or a mapping with 'field:'"))
        return ColumnSpec(column=name, field=None)
    _unknown_keys(spec, _COLUMN_KEYS, file, where + ".", problems)
    target = spec.get("field")
    if target not in FIELDS:
        problems.append(Problem(file, None, where, f"field {target!r} is not one of {', '.join(CANONICAL_FIELDS)} (or 'ignore')"))
    values = spec.get("values") or {}
    if not isinstance(values, dict):
        problems.append(Problem(file, None, where + ".values", "must map cell texts to values"))
        values = {}
    result = ColumnSpec(
        column=name, field=target if target in FIELDS else None,
        values={str(k): str(v) for k, v in values.items()},
        separator=str(spec.get("separator", "|")),
        date_format=_date_formats(spec.get("date_format"), file, where, problems),
        dates=_date_context(spec, file, where, problems),
        sensitivity=str(spec.get("sensitivity", "restricted" if target in RESTRICTED_BY_DEFAULT else "public")),
        script=_optional_text(spec.get("script")),
        romanization=_optional_text(spec.get("romanization")),
        plausible=_plausible(spec, file, where, problems),
        reduced_as=str(spec.get("reduced_as", "reduction")),
    )
    if "reduced_as" in spec and target != "sentence":
        problems.append(Problem(file, None, f"{where}.reduced_as", "reduced_as applies only to sentence"))
    if result.reduced_as not in REDUCED_AS:
        problems.append(Problem(file, None, f"{where}.reduced_as",
                                f"{result.reduced_as!r} is not one of {', '.join(REDUCED_AS)}"))
    for key, allowed, value in (("sensitivity", SENSITIVITIES, result.sensitivity),
                                ("script", SCRIPTS, result.script),
                                ("romanization", ROMANIZATIONS, result.romanization)):
        if value is not None and value not in allowed:
            problems.append(Problem(file, None, f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}"))
    for key in (*_DATE_KEYS, *_PLAUSIBLE_KEYS):
        if key in spec and target not in ("birth", "event_date"):
            problems.append(Problem(file, None, f"{where}.{key}", f"{key} applies only to birth and event_date"))
    if any("%y" in fmt for fmt in result.date_format) and (result.dates is None or result.dates.two_digit_years_from is None):
        problems.append(Problem(file, None, where + ".date_format", (
            "%y reads two-digit years; give two_digit_years_from (e.g. 1920: 20-99 are 1920-1999, 00-19 are "
            "2000-2019) so that no century is guessed")))
    if not result.separator:
        problems.append(Problem(file, None, where + ".separator", "the separator cannot be empty"))
    return result


def _date_formats(value, file: str, where: str, problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    formats = [value] if isinstance(value, str) else value
    if not isinstance(formats, list) or not formats or not all(isinstance(fmt, str) for fmt in formats):
        problems.append(Problem(file, None, where + ".date_format", "must be a strptime format or a list of them"))
        return ()
    for fmt in formats:
        reason = check_format(fmt)
        if reason:
            problems.append(Problem(file, None, where + ".date_format", reason))
    return tuple(formats)


def _date_context(spec: dict, file: str, where: str, problems: list[Problem]) -> Context | None:
    """What the mapping says about a date column's cells: their year, century and order."""
    if not any(key in spec for key in _DATE_KEYS[1:]):
        return None
    years = {}
    for key, low, high in (("default_year", 1, 9999), ("two_digit_years_from", 1000, 9900)):
        value = spec.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high):
            problems.append(Problem(file, None, f"{where}.{key}", f"must be a year from {low} to {high}, not {value!r}"))
            value = None
        years[key] = value
    order = spec.get("date_order")
    if order is not None and order not in DATE_ORDERS:
        problems.append(Problem(file, None, where + ".date_order", f"{order!r} is not one of {', '.join(DATE_ORDERS)}"))
        order = None
    era = spec.get("era")
    if era is not None and era not in ERAS:
        problems.append(Problem(file, None, where + ".era", f"{era!r} is not one of {', '.join(ERAS)}"))
        era = None
    return Context(years["default_year"], years["two_digit_years_from"], order, era)


def _plausible(spec: dict, file: str, where: str, problems: list[Problem]) -> Plausible:
    """The years a date column's dates may fall in: from years_from (default 1800), up to the import day
    unless allow_future says dates after it are expected (a scheduled release, say)."""
    years_from, allow_future = spec.get("years_from", DEFAULT_PLAUSIBLE.years_from), spec.get("allow_future", False)
    if isinstance(years_from, bool) or not isinstance(years_from, int) or not 1 <= years_from <= 9999:
        problems.append(Problem(file, None, f"{where}.years_from", f"must be a year from 1 to 9999, not {years_from!r}"))
        years_from = DEFAULT_PLAUSIBLE.years_from
    if not isinstance(allow_future, bool):
        problems.append(Problem(file, None, f"{where}.allow_future", f"must be true or false, not {allow_future!r}"))
        allow_future = False
    return Plausible(years_from, allow_future)


def _header_row(document: dict, file_options: dict, file: str, problems: list[Problem]) -> int | None:
    """The mapping's header row (file.header_row, or header_row at the top), counted as a spreadsheet does."""
    values = [value for value in (file_options.get("header_row"), document.get("header_row")) if value is not None]
    if not values:
        return None
    if len(set(map(str, values))) > 1:
        problems.append(Problem(file, None, "header_row", "file.header_row and header_row disagree; give one"))
    value = values[0]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(Problem(file, None, "header_row", f"must be a row number from 1, not {value!r}"))
        return None
    return value


def _skip_rows(value, file: str, problems: list[Problem]) -> tuple[int, ...]:
    """file.skip_rows: a row number or a list of them, each from 2 (the header is at least row 1)."""
    if value is None:
        return ()
    numbers = value if isinstance(value, list) else [value]
    if any(isinstance(n, bool) or not isinstance(n, int) or n < 1 for n in numbers) or not numbers:
        problems.append(Problem(file, None, "file.skip_rows", (
            f"must be a row number or a list of row numbers (as a spreadsheet counts rows; for JSON the "
            f"record's position from 1), not {value!r}")))
        return ()
    return tuple(sorted(set(numbers)))


def _footer_rows(value, file: str, problems: list[Problem]) -> int:
    """file.footer_rows: how many of the list's last non-blank rows are a footer (totals, notes), not records."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(Problem(file, None, "file.footer_rows", f"must be a number of rows from 0, not {value!r}"))
        return 0
    return value


def _check_fields(mapping: Mapping, file: str, problems: list[Problem]) -> None:
    targets: dict[str, list[str]] = {}
    for spec in mapping.columns.values():
        if spec.field:
            targets.setdefault(spec.field, []).append(spec.column)
    for target, columns in targets.items():
        if len(columns) > 1 and target not in MULTI_COLUMN_FIELDS:
            problems.append(Problem(file, None, target, f"field {target!r} is mapped from several columns ({', '.join(columns)}); only name_variants may be"))
        if target in mapping.constants:
            problems.append(Problem(file, None, target, f"field {target!r} is both a column ({columns[0]}) and a constant"))
    if "record_id" not in targets:
        problems.append(Problem(file, None, "record_id", "no column is mapped to record_id; every row needs the source's id of its record"))
    if "name" not in targets and "name" not in mapping.constants:
        problems.append(Problem(file, None, "name", "no column is mapped to name"))


def _unknown_keys(document: dict, allowed: set[str], file: str, prefix: str, problems: list[Problem]) -> None:
    for key in document:
        if key not in allowed:
            problems.append(Problem(file, None, f"{prefix}{key}", f"unknown key; expected one of {', '.join(sorted(allowed))}"))


def _as_written(node):
    """The YAML document with its dates as the text they were written as (values: {六四: 1989-06-04}),
    so that it is kept as JSON beside the import and every value reads as text."""
    if isinstance(node, dict):
        return {_as_written(key) if isinstance(key, (dt.date, dt.datetime)) else key: _as_written(value)
                for key, value in node.items()}
    if isinstance(node, list):
        return [_as_written(item) for item in node]
    return node.isoformat() if isinstance(node, (dt.date, dt.datetime)) else node


def _optional_text(value) -> str | None:
    return None if value is None else str(value)
