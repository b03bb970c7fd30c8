"""The `mingdan` command line: parses arguments and calls mingdan.api; nothing else."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from mingdan.cli_common import CaseOption, JsonOption, Table, err, out
from mingdan.cli_common import open_case_or_exit as _open
from mingdan.cli_common import print_json as _print_json
from mingdan.cli_common import progress as _progress

app = typer.Typer(
    help="mingdan (名单): a full public accounting of people killed, detained or missing.\n\n"
         "Start with:  mingdan init CASE  then  mingdan import FILE --case CASE",
    no_args_is_help=True, rich_markup_mode=None, add_completion=False,
)
claims_app = typer.Typer(help="Published count claims ('727 killed, per X, as of Y').", no_args_is_help=True)
app.add_typer(claims_app, name="claims")
keys_app = typer.Typer(help="The case key that seals restricted and secret values at rest.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def main() -> None:
    """Entry point of the `mingdan` command."""
    try:
        app()
    except Exception as exc:
        # Only a failure needs the store's error types: `mingdan estimate --table` never loads them.
        from mingdan.store.case import CaseError
        from mingdan.store.crypto import CaseKeyError

        if not isinstance(exc, (CaseKeyError, CaseError)):  # written for the user: a line, not a traceback
            raise
        err.print(f"error: {exc}")
        raise SystemExit(2) from None


@app.command()
def init(
    case: Annotated[Path, typer.Argument(help="Folder to create (or complete).")],
    name: Annotated[Optional[str], typer.Option(help="A name for the case.")] = None,
) -> None:
    """Create a case folder: mingdan.toml, the database, originals/, keys/, releases/.

    Example:  mingdan init beijing-1989
    """
    from mingdan.api import CaseError, init_case

    try:
        created = init_case(case, name=name)
    except CaseError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    out.print(f"case {created.name!r} ready in {created.root}")


@app.command()
def simulate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the simulated case to.")],
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same files.")] = 7,
    people: Annotated[int, typer.Option(help="Number of true victims.")] = 3000,
    sources: Annotated[int, typer.Option(help="Number of source lists.")] = 5,
    style: Annotated[str, typer.Option(
        help="mingdan (our own simulator) or other-hands (the second generator, written blind: six lists "
             "in other hands' styles, see docs/other_hands.md).")] = "mingdan",
    plain_values: Annotated[bool, typer.Option(
        "--plain-values", help="other-hands only: dates as EDTF, ages as numbers, no XLSX title row.")] = False,
    families: Annotated[bool, typer.Option(
        "--families/--no-families", help="Also write relatives' and participants' harassment in families/.")] = True,
) -> None:
    """Write a simulated case with known truth: source files, mapping files, truth.csv, truth.json.

    Example:  mingdan simulate --seed 7 --people 3000 --out SIM
              mingdan simulate --style other-hands --plain-values --seed 7 --people 3000 --out SIM2
    """
    if style == "other-hands":
        from mingdan.simulate.other_hands import simulate as simulate_other_hands
        from mingdan.simulate.other_hands import write as write_other_hands

        case = simulate_other_hands(seed, people, plain_values=plain_values)
        written = write_other_hands(case, out_dir)
        out.print(f"wrote {len(written)} files to {out_dir}: {case.records:,} records in {len(case.sources)} lists")
        for path in written:
            out.print(f"  {path}")
        return
    if style != "mingdan":
        err.print(f"error: --style must be mingdan or other-hands, not {style!r}")
        raise typer.Exit(2)
    if plain_values:
        err.print("error: --plain-values applies to --style other-hands only")
        raise typer.Exit(2)
    from mingdan.simulate import SimulationSettings, simulate_case, write_case

    with _progress() as progress:
        files = write_case(simulate_case(SimulationSettings(seed=seed, people=people, sources=sources, families=families)),
                           out_dir, progress=(lambda done, total: progress("writing", done, total)) if progress else None)
    out.print(f"wrote {len(files)} files to {out_dir}")
    for path in files:
        out.print(f"  {path}")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV, XLSX or JSON list.")],
    case: CaseOption = Path("."),
    mapping: Annotated[Optional[Path], typer.Option(help="YAML mapping file for a non-canonical layout.")] = None,
    source: Annotated[Optional[str], typer.Option(help="Source name (else the mapping's, else the file name).")] = None,
    encoding: Annotated[Optional[str], typer.Option(help="utf-8, utf-16, gb18030, big5 … (else detected).")] = None,
    skip_invalid: Annotated[bool, typer.Option("--skip-invalid", help="Import the valid rows; write the others, with reasons, beside the file.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Import a list. All or nothing: any invalid row and nothing is written.

    Every problem is printed as FILE:ROW:COLUMN: REASON. Importing the same file again adds
    nothing; a changed file from the same source becomes its next version.

    Example:  mingdan import SIM/list_b.csv --mapping SIM/list_b.yaml --case CASE
    """
    from mingdan.api import import_file
    from mingdan.ingest.problems import ImportFailed

    opened = _open(case)
    try:
        with _progress(not as_json) as progress:
            result = import_file(opened, file, mapping_path=mapping, source_name=source,
                                 encoding=encoding, skip_invalid=skip_invalid, progress=progress)
    except ImportFailed as failure:
        for problem in failure.problems:
            err.print(str(problem), markup=False)
        err.print(f"nothing was imported: {len(failure.problems)} problem(s)")
        raise typer.Exit(1) from None
    if as_json:
        _print_json(result.to_dict())
        return
    for warning in result.warnings:
        err.print(f"warning: {warning}", markup=False)
    if result.status == "already imported":
        out.print(f"{file}: already imported (version {result.version} of source {result.source!r}, sha256 {result.sha256[:12]}…); nothing added", markup=False)
        return
    out.print(
        f"{file}: imported as version {result.version} of source {result.source!r} ({result.encoding})\n"
        f"  rows {result.rows:,} · imported {result.rows_imported:,} · rejected {result.rows_rejected:,}\n"
        f"  records new {result.records_new:,} · updated {result.records_updated:,} · "
        f"claims {result.claims:,} · events {result.events:,} · names {result.names:,}"
        + (f"\n  claims superseded from earlier versions: {result.claims_superseded:,}" if result.claims_superseded else "")
        + (f"\n  rejected rows and reasons: {result.rejected_file}" if result.rejected_file else ""),
        markup=False,
    )


@app.command("sources")
def sources_(case: CaseOption = Path("."), as_json: JsonOption = False) -> None:
    """List the sources of the case with their documents and records.

    Example:  mingdan sources --case CASE
    """
    from mingdan.api import list_sources

    rows = list_sources(_open(case))
    if as_json:
        _print_json(rows)
        return
    table = Table("source", "kind", "versions", "records", "count claims")
    for row in rows:
        table.add_row(row["source"], row["kind"], str(row["latest_version"] or 0), f"{row['records']:,}", str(row["count_claims"]))
    out.print(table)


@app.command()
def records(
    case: CaseOption = Path("."),
    source: Annotated[Optional[str], typer.Option(help="Only this source.")] = None,
    limit: Annotated[Optional[int], typer.Option(help="At most this many.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List records: source, record id, name, sex, age, person.

    Example:  mingdan records --case CASE --source "list_a" --limit 20
    """
    from mingdan.api import iter_records

    opened = _open(case)
    rows = iter_records(opened, source=source, limit=limit)
    if as_json:
        _print_json(list(rows))
        return
    table = Table("source", "record_id", "name", "sex", "age", "person")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("source", "record_id", "name", "sex", "age", "person_id")))
    out.print(table)


@app.command()
def search(
    name: Annotated[str, typer.Argument(help="A name or a surname, in any script or romanization.")],
    case: CaseOption = Path("."),
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Find records by name in any script or romanization, or by a surname alone.

    "王建华", "Wang Jianhua", "Wang Chien-hua" and "Wong Kin Wah" find each other; "王" or "Wong" finds
    every record with that surname.

    Example:  mingdan search 王建华 --case CASE
    """
    from mingdan.api import search_records

    rows = search_records(_open(case), name, limit=limit)
    if as_json:
        _print_json(rows)
        return
    if not rows:
        out.print(f"no record has a name that reads like {name!r}")
        return
    table = Table("source", "record_id", "name", "sex", "age", "person")
    for row in rows:
        table.add_row(*(str(row[k] or "") for k in ("source", "record_id", "name", "sex", "age", "person_id")))
    out.print(table)


@app.command()
def show(
    record_id: Annotated[str, typer.Argument(help="The record's id (or SOURCE:ID).")],
    case: CaseOption = Path("."),
    source: Annotated[Optional[str], typer.Option(help="The source, when the id exists in several.")] = None,
    history: Annotated[bool, typer.Option("--history", help="Include superseded claims.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Show one record: every claim with its source locator, names, events, custody.

    Example:  mingdan show A-00017 --case CASE
    """
    from mingdan.api import show_record

    opened = _open(case)
    try:
        data = show_record(opened, record_id, source=source, history=history)
    except LookupError as exc:
        err.print(f"error: {exc.args[0]}", markup=False)
        raise typer.Exit(1) from None
    if as_json:
        _print_json(data)
        return
    out.print(f"record {data['record_id']} of {data['source']}" + (f" · person {data['person_id']}" if data["person_id"] else ""), markup=False)
    table = Table("field", "value", "kind", "sensitivity", "from (file:row:column)", "state")
    for claim in data["claims"]:
        if claim["event_id"] is None:
            table.add_row(claim["field"], claim["value"], claim["kind"], claim["sensitivity"], claim["locator"],
                          "superseded" if claim["superseded"] else claim["verification"])
    for field in data["not_collected"]:
        table.add_row(field, "", "not collected", "", "this source has no such column", "")
    out.print(table)
    events = Table("date", "event", "place", "facility", "sentence", "from")
    for event in data["events"]:
        events.add_row(event["date"] or "unknown", event["event"], event["place"] or "", event["facility"] or "",
                       event["sentence"] or "", event["locator"])
    out.print(events)
    harassed = [event for event in data["events"] if event["harassment"]]
    if harassed:
        table = Table("date", "harassment", "perpetrator", "tied to", "duration", "sensitivity", "from",
                      title="harassment")
        for event in harassed:
            details = event["harassment"]
            table.add_row(event["date"] or "unknown", details["kind"] or "—", details["perpetrator"] or "",
                          details["tied_to"] or "", details["duration"] or "", details["sensitivity"], event["locator"])
        out.print(table)


@claims_app.command("import")
def claims_import(
    file: Annotated[Path, typer.Argument(help="CSV: metric,scope,as_of,min,best,max,includes,source,cited_in,verification")],
    case: CaseOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Import published count claims, kept side by side and never merged.

    Example:  mingdan claims import data/published/tiananmen_count_claims.csv --case CASE
    """
    from mingdan.api import import_count_claims
    from mingdan.ingest.problems import ImportFailed

    opened = _open(case)
    try:
        result = import_count_claims(opened, file)
    except ImportFailed as failure:
        for problem in failure.problems:
            err.print(str(problem), markup=False)
        err.print(f"nothing was imported: {len(failure.problems)} problem(s)")
        raise typer.Exit(1) from None
    if as_json:
        _print_json(result.to_dict())
    elif result.status == "already imported":
        out.print(f"{file}: already imported; nothing added", markup=False)
    else:
        out.print(f"{file}: {result.claims} count claims imported", markup=False)


@claims_app.command("list")
def claims_list(
    case: CaseOption = Path("."),
    metric: Annotated[Optional[str], typer.Option(help="Only this metric, e.g. killed.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List count claims side by side, with their sources and verification.

    Example:  mingdan claims list --case CASE --metric killed
    """
    from mingdan.api import list_count_claims

    opened = _open(case)
    rows = list_count_claims(opened, metric=metric)
    if as_json:
        _print_json(rows)
        return
    table = Table("metric", "as of", "figure", "qualifier", "source", "cited in", "verification")
    for row in rows:
        table.add_row(row["metric"], row["as_of"], row["figure"], row["qualifier"], row["source"],
                      row["cited_in"], row["verification"])
    out.print(table)


@app.command()
def summary(case: CaseOption = Path("."), as_json: JsonOption = False) -> None:
    """Counts of what the case holds.

    Example:  mingdan summary --case CASE
    """
    from mingdan.api import case_summary

    data = case_summary(_open(case))
    if as_json:
        _print_json(data)
        return
    for key, value in data.items():
        out.print(f"{key:>15}: {value:,}" if isinstance(value, int) else f"{key:>15}: {value}", markup=False)


@keys_app.command("rotate")
def keys_rotate(case: CaseOption = Path(".")) -> None:
    """Re-seal every restricted value and stored original with a new key, then retire the old key.

    Back up keys/data.key first if the case is backed up elsewhere: after rotation, backups
    of the database can only be read with the old key.

    Example:  mingdan keys rotate --case CASE
    """
    from mingdan.store.keys import rotate

    opened = _open(case)
    counts = rotate(opened)
    out.print(f"re-sealed {sum(v for k, v in counts.items() if k != 'originals'):,} values and "
              f"{counts['originals']:,} original files with a new key; the old key is retired")


# Commands that live in their own modules (each under ~400 lines) attach themselves here.
from mingdan import cli_estimate, cli_harassment, cli_link, cli_publish, cli_track, cli_web  # noqa: E402

cli_track.register(app)
cli_harassment.register(app)
cli_publish.register(app)
cli_estimate.register(app)
cli_link.register(app)
cli_web.register(app)


if __name__ == "__main__":
    main()
