"""What every `mingdan` command shares: consoles, the case and JSON options, progress bars."""

from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

# Output is data (names, ids, places as sources wrote them): an id holding ":x:" or "[b]" is printed as
# written, never turned into an emoji or a style.
out = Console(highlight=False, soft_wrap=True, markup=False, emoji=False)
err = Console(stderr=True, highlight=False, soft_wrap=True, markup=False, emoji=False)

CaseOption = Annotated[Path, typer.Option("--case", help="The case folder (default: the current folder).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


def open_case_or_exit(case: Path, audit_strict: bool = True):
    """Open the case folder, or print why not and exit with status 2 (`audit_strict`: see store.case.open_case)."""
    from mingdan.api import CaseError, open_case

    try:
        return open_case(case, audit_strict=audit_strict)
    except CaseError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


def Table(*columns, **settings):  # noqa: N802 - stands in for rich.table.Table
    """A Rich table, its module imported only by the commands that print one (start-up of the others)."""
    from rich.table import Table as RichTable

    return RichTable(*columns, **settings)


def print_json(data) -> None:
    """Print data as indented UTF-8 JSON on standard output."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@contextmanager
def progress(enabled: bool = True):
    """A Rich progress bar on a terminal, plain lines otherwise; yields a progress callback."""
    if not enabled:
        yield None
        return
    if err.is_terminal:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=True) as bar:
            tasks = {}

            def update(stage: str, done: int, total: int | None) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            yield update
    else:
        def update(stage: str, done: int, total: int | None) -> None:
            # Long work only: a line per 100,000 rows keeps logs readable.
            if total is None and done % 100_000 == 0:
                err.print(f"{stage}: {done:,} rows")

        yield update


def one_day(text: str | None, option: str) -> dt.date | None:
    """One day from a date option, or exit 2 naming the option (a range is refused: no day is guessed)."""
    if text is None:
        return None
    from mingdan.dates import DateError, parse_date

    try:
        parsed = parse_date(text)
    except DateError as exc:
        err.print(f"error: {option} {text!r}: {exc}")
        raise typer.Exit(2) from None
    if parsed.earliest != parsed.latest:
        err.print(f"error: {option} needs one day (e.g. 2012-06-04), not the range {text!r}")
        raise typer.Exit(2)
    return parsed.earliest


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 event', '2 events', '1 person', '3 people': a count with its noun in the right number."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"
