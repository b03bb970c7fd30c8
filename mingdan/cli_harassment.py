"""`mingdan harassment`: harassment per year and kind, around each 4 June, and who is still restricted."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mingdan.cli_common import CaseOption, JsonOption, Table, err, one_day, open_case_or_exit, out, plural, print_json


def harassment(
    case: CaseOption = Path("."),
    first: Annotated[Optional[int], typer.Option("--from", help="First year (default: the first year with an event).")] = None,
    last: Annotated[Optional[int], typer.Option("--to", help="Last year (default: the last year with an event).")] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The day 'still under restriction' and the longest restriction refer to (default: today).")] = None,
    window: Annotated[int, typer.Option(help="Days either side of 4 June counted as 'around the anniversary'.")] = 15,
    as_json: JsonOption = False,
) -> None:
    """Harassment of participants and victims' families: per year, around each 4 June, and on a day.

    Per year: distinct people harassed, events, events by kind, around 4 June, relatives of
    named victims and their families. Then the families of named victims, the longest continuous
    restrictions of liberty and who is restricted, or possibly restricted, on --as-of (with the
    same earliest/latest bounds and unconfirmed flag as custody status). Runs as the case owner:
    relations and relatives are shown; no release ever shows them.

    Example:  mingdan harassment --case CASE --from 2009 --to 2019 --as-of 2019-06-04

    JSON (--json): a list with one object per year: year, people, events, by_kind, people_by_kind,
    anniversary, relatives, families, uncertain_date (events whose year is in doubt, 2019?, counted
    there only). Events with no year at all are not in any year: their count is said on stderr.
    """
    from mingdan.track.harassment import harassment_report

    if first is not None and last is not None and first > last:
        err.print(f"error: --from {first} is after --to {last}")
        raise typer.Exit(2)
    if window < 0:
        err.print(f"error: --window {window} is negative; give the days either side of 4 June (0 or more)")
        raise typer.Exit(2)
    opened = open_case_or_exit(case)
    report = harassment_report(opened, first, last, one_day(as_of, "--as-of"), window_days=window)
    if as_json:
        print_json(report["years"])
        if report["undated_events"]:
            err.print(f"note: {plural(report['undated_events'], 'event')} with no year at all are not in any year.")
        return
    if not report["linked"] and report["years"]:
        err.print("note: records are not linked into people yet (run `mingdan link`); each record counts as one person.")
    kinds = sorted({k for y in report["years"] for k in y["by_kind"]})
    table = Table(title=f"harassment per year (around 4 June: ±{report['window_days']} days)")
    for column in ("year", "people", "events", "around 4 June (people / events)", "relatives / families", *kinds,
                   "uncertain date (people / events)"):
        table.add_column(column)
    for y in report["years"]:
        doubt = y["uncertain_date"]
        table.add_row(str(y["year"]), f"{y['people']:,}", f"{y['events']:,}",
                      f"{y['anniversary']['people']:,} / {y['anniversary']['events']:,}",
                      f"{y['relatives']:,} / {y['families']:,}", *(f"{y['by_kind'].get(k, 0):,}" for k in kinds),
                      f"{doubt['people']:,} / {doubt['events']:,}" if doubt["events"] else "")
    out.print(table)
    doubtful = sum(y["uncertain_date"]["events"] for y in report["years"])
    if doubtful:
        out.print(f"{plural(doubtful, 'event')} dated with doubt (2019?) are in the 'uncertain date' column only, "
                  "not in their year's counts.")
    if report["undated_events"]:
        out.print(f"{plural(report['undated_events'], 'event')} with no year at all (201X, undated) "
                  "are not in any year above.")
    if report["families"]:
        table = Table(title=f"families of named victims among the harassed: {len(report['families']):,}")
        for column in ("victim", "name", "relatives harassed (relation, events, years)"):
            table.add_column(column)
        for family in report["families"]:
            table.add_row(family["victim"], family["victim_name"] or "", "\n".join(
                f"{r['person']} {r['relation']}, {plural(r['events'], 'event')}, "
                + (f"{r['first_year']}–{r['last_year']}" if r["first_year"] else "no certain year")
                for r in family["relatives"]))
        out.print(table)
    table = Table(title=f"longest continuous restrictions known on {report['as_of']}")
    for column in ("person", "name", "from", "to", "days", "kinds"):
        table.add_column(column)
    for spell in report["longest"]:
        table.add_row(spell["person"], spell["name"] or "", spell["first"], spell["last"] or "no end known",
                      f"{spell['days']:,}", ", ".join(spell["kinds"]))
    out.print(table)
    rows = report["restricted"]
    table = Table(title=f"under restriction, or possibly, on {report['as_of']}: {len(rows):,}")
    for column in ("person", "name", "status", "since", "until", "kinds", "last event", "flags"):
        table.add_column(column)
    for row in rows:
        flags = "; ".join(f"not confirmed for more than {f['years']} years" for f in row["flags"])
        table.add_row(row["person"], row["name"] or "", row["status"], row["since"], row["until"] or "no end known",
                      ", ".join(row["kinds"]), row["last_event"] or "", flags)
    out.print(table)


def register(app: typer.Typer) -> None:
    """Attach the command to the main command line."""
    app.command("harassment")(harassment)
