"""`mingdan status` and `mingdan account`: who was held on a date; the accounting per category."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from mingdan.cli_common import CaseOption, JsonOption, Table, err, one_day, open_case_or_exit, out, plural, print_json


def status(
    person_id: Annotated[Optional[str], typer.Argument(
        help="A person id (or SOURCE:RECORD_ID for a record not linked yet): show the timeline.")] = None,
    case: CaseOption = Path("."),
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The day to report on (default: today).")] = None,
    today: Annotated[Optional[str], typer.Option(
        "--today", help="The day 'overdue' and 'unconfirmed' are measured against (default: the --as-of day, "
                        "which defaults to the real date).")] = None,
    as_json: JsonOption = False,
) -> None:
    """Who was held, or possibly held, on a day; or one person's custody timeline.

    Uses every event known now: someone released in 2016 was held in 2012. Status is
    held, released, deceased or unknown; expected releases are earliest/latest bounds.

    A record given as SOURCE:RECORD_ID stands for its person once records are linked.
    Overdue releases count their days from the --as-of day (or --today).

    Example:  mingdan status --case CASE --as-of 2012-06-04

    Example:  mingdan status "Court judgments:A-000003" --case CASE
    """
    from mingdan.track import held_on, person_status

    opened = open_case_or_exit(case)
    day = one_day(as_of, "--as-of") or dt.date.today()
    flags_day = one_day(today, "--today") or day
    if person_id:
        try:
            result = person_status(opened, person_id, day, flags_day)
        except LookupError as exc:
            err.print(f"error: {exc}")
            raise typer.Exit(1) from None
        if as_json:
            print_json(result)
        else:
            _print_person(result)
        return
    rows = held_on(opened, day, flags_day)
    if as_json:
        print_json(rows)
        return
    if rows and not any(row["linked"] for row in rows):
        err.print("note: records are not linked into people yet (run `mingdan link`); each record is listed on its own.")
    table = Table(title=f"held or possibly held on {day.isoformat()}: {len(rows):,}")
    for column in ("person", "name", "status", "sentence on that day", "expected release", "last confirmed", "flags"):
        table.add_column(column)
    for row in rows:
        release = _bounds(row["expected_release_earliest"], row["expected_release_latest"])
        table.add_row(row["person_id"], row["name"] or "", row["status"], row["sentence_on_day"] or "",
                      release, row["last_confirmation"] or "", str(len(row["flags"])) if row["flags"] else "")
    out.print(table)


def _bounds(earliest: str | None, latest: str | None) -> str:
    if earliest is None:
        return "not computable"
    return earliest if earliest == latest else f"{earliest} … {latest}"


def _print_person(result: dict) -> None:
    if result.get("asked_for"):
        out.print(f"{result['asked_for']} is a record of person {result['person_id']}: the person's whole history",
                  markup=False)
    out.print(f"{result['person_id']}  {result['name'] or ''}  records: {', '.join(result['record_ids'])}", markup=False)
    if not result["linked"]:
        out.print("(a single record: records are not linked into people yet)")
    # The sentence of that day, not the last one known now; and never worded as if the person were known held.
    if result["status"] in ("released", "deceased"):
        running = f"last sentence: {result['sentence'] or 'none'}"
    else:
        running = f"sentence running on that day: {result['sentence_on_day'] or 'none'}"
    out.print(f"status on {result['as_of']}: {result['status']}; {running}")
    out.print("expected release: " + _bounds(result["expected_release_earliest"], result["expected_release_latest"]))
    table = Table(title="custody timeline")
    for column in ("date", "event", "sentence", "facility", "stated in"):
        table.add_column(column)
    for step in result["timeline"]:
        sentence = " ".join(x for x in (step["sentence_kind"], step["term"], step["reprieve"]) if x)
        table.add_row(step["date"] or "date unknown", step["event"], sentence, step["facility"] or "",
                      "\n".join(step["sources"]))
    out.print(table)
    for note in result["notes"]:
        out.print(f"  · {note}")
    for flag in result["flags"]:
        out.print(f"  ! {flag}")


def account(
    case: CaseOption = Path("."),
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The day 'still imprisoned' refers to (default: today).")] = None,
    as_json: JsonOption = False,
) -> None:
    """The accounting: killed, died in custody, detained, still imprisoned, missing — named, claimed, estimated.

    For each category: the distinct people named (and by how many sources), every published
    count claim with its source (never merged; retracted ones shown as retracted), the
    statistical estimate with its interval where one exists, and the official figure.

    Example:  mingdan account --case CASE --as-of 2012-06-04
    """
    from mingdan.publish.account import accounting, range_text

    opened = open_case_or_exit(case)
    result = accounting(opened, one_day(as_of, "--as-of"))
    if as_json:
        print_json(result)
        return
    if not result["linked"]:
        err.print("note: records are not linked into people yet (run `mingdan link`); each record counts as one person.")
    table = Table(title=f"accounting as of {result['as_of']}")
    for column in ("category", "named people", "named by 1 / 2 / 3+ sources", "published claims (range)",
                   "official figure", "estimate (95% interval)"):
        table.add_column(column)
    for entry in result["categories"]:
        named, spread = entry["named"], entry["named"]["by_sources"]
        people = f"{named['people']:,}"
        if entry.get("possibly"):
            people += f"\n+ {entry['possibly']['people']:,} status unknown"
        span = entry["claims_range"]
        claimed = range_text(span)  # "≥ 3" when a claim gives only a minimum: never the point 3
        claimed += f" ({span['claims']} claim{'s' if span['claims'] != 1 else ''})" if span["claims"] else ""
        official = "; ".join(f"{c['figure']} ({c['source']}, {c['as_of']})" for c in entry["official"]) or "none"
        estimate = entry["estimate"]
        estimated = (f"{estimate['estimate']:,.0f} ({estimate['lower']:,.0f}–{estimate['upper']:,.0f}), {estimate['method']}"
                     if estimate else "none yet")
        table.add_row(entry["label"], people, f"{spread['1']:,} / {spread['2']:,} / {spread['3+']:,}",
                      claimed, official, estimated)
    out.print(table)
    out.print("Died in custody is its own line, never counted among the killed; those people were detained first, "
              "so they are among the detained too.")
    for entry in result["categories"]:
        if entry["claims"]:
            out.print(f"\n{entry['label']}: published claims")
            for claim in entry["claims"]:
                mark = "  [retracted]" if claim["verification"] == "retracted" else ""
                out.print(f"  {claim['figure']:>12}  {claim['metric']}, {claim['as_of']}, per {claim['source']}"
                          f" (cited in {claim['cited_in'] or 'n/a'}; {claim['verification']}){mark}", markup=False)
    if result["unassigned_claims"]:
        out.print("\nclaims about other metrics: " + ", ".join(sorted({c["metric"] for c in result["unassigned_claims"]})))
    _print_harassment(result["harassment"], result["as_of"])


def _print_harassment(section: dict, day: str) -> None:
    """The accounting's harassment section: counts only (`mingdan harassment` lists the people)."""
    if not section["years"]:
        out.print("\nharassment: no harassment event is recorded")
        return
    table = Table(title="harassment of participants and victims' families, per year")
    for column in ("year", "people", "events", "around 4 June (people / events)", "relatives / families",
                   "most frequent kinds", "uncertain date (people / events)"):
        table.add_column(column)
    for y in section["years"]:
        kinds = sorted(y["by_kind"].items(), key=lambda p: (-p[1], p[0]))[:3]
        doubt = y["uncertain_date"]
        table.add_row(str(y["year"]), f"{y['people']:,}", f"{y['events']:,}",
                      f"{y['anniversary']['people']:,} / {y['anniversary']['events']:,}",
                      f"{y['relatives']:,} / {y['families']:,}", ", ".join(f"{k} {n:,}" for k, n in kinds),
                      f"{doubt['people']:,} / {doubt['events']:,}" if doubt["events"] else "")
    out.print(table)
    out.print(f"{plural(section['events'], 'event')} ({section['uncertain_date_events']:,} more dated with doubt, "
              f"{section['undated_events']:,} with no year); "
              f"{plural(section['families'], 'family', 'families')} of named victims among the harassed "
              f"({plural(section['relatives'], 'relative')}); "
              f"on {day}: {section['restricted']:,} under restriction, {section['possibly_restricted']:,} possibly "
              f"({section['unconfirmed']:,} not confirmed for years); longest continuous restriction: "
              + (plural(section["longest_days"], "day") if section["longest_days"] else "none"))


def register(app: typer.Typer) -> None:
    """Attach the tracking commands to the main command line."""
    app.command("status")(status)
    app.command("account")(account)
