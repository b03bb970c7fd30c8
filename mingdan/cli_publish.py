"""`mingdan publish`, `mingdan verify`, `mingdan serve-public`: the public release."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated, Optional

import typer

from mingdan.cli_common import CaseOption, JsonOption, err, open_case_or_exit, out, print_json


def publish(
    out_dir: Annotated[Path, typer.Option("--out", help="A new folder for the release.")],
    case: CaseOption = Path("."),
    as_of: Annotated[Optional[str], typer.Option("--as-of", help="The day 'still imprisoned' refers to.")] = None,
    previous: Annotated[Optional[Path], typer.Option("--previous", help="The release to compare with (default: the case's newest earlier release).")] = None,
    no_previous: Annotated[bool, typer.Option("--no-previous", help="Do not compare with any earlier release.")] = False,
    license: Annotated[Optional[str], typer.Option(
        "--license", help="The open data's licence, an SPDX id (CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, ODbL-1.0, ODC-By-1.0, "
                          "PDDL-1.0); recorded in the case's mingdan.toml for later releases. Required the first time.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Write a release: open data (CSV, datapackage.json, public.sqlite), the report, a signed manifest.

    Only consented names with no risk note leave the case; restricted and secret values never do;
    counts below [disclosure] min_cell are suppressed with their complements.

    The open data needs a licence chosen for the case: the first release asks for --license
    (nothing is assumed); it is kept in mingdan.toml [publish] license for every later one.

    changes.json (and a section of the report) lists what changed since the previous release:
    people named added/removed by public id, published counts old -> new, files by SHA-256.
    report/report.pdf is printed with Debian's chromium; without it the release is still made
    and the output and manifest.json say why there is no PDF.

    Example:  mingdan publish --case CASE --out release-2026-11 --license CC-BY-4.0 [--previous release-2026-05]
    """
    from mingdan.publish.release import ReleaseError
    from mingdan.publish.release import publish as run

    opened = open_case_or_exit(case)
    try:
        result = run(opened, out_dir, dt.date.fromisoformat(as_of) if as_of else None, previous=previous,
                     find_previous=not no_previous, license=license)
    except (ReleaseError, ValueError) as exc:
        err.print(f"error: {exc}", markup=False)
        raise typer.Exit(1) from None
    if as_json:
        print_json(result)
        return
    # "named" is the rows of named_people.csv: the same figure as the release's files.
    out.print(f"release written to {result['out']}: {result['files']} files, {result['named']:,} people named, "
              f"{result['withheld']:,} withheld; cells below {result['threshold']} suppressed; "
              f"open {result['out']}/report/index.html")
    if result.get("not_listed"):
        out.print(f"note: {result['not_listed']:,} more consented to be named but are in none of the accounting's "
                  "categories (harassed relatives): they are not listed in named_people.csv")
    if not result["linked"]:
        err.print("WARNING: the records have not been linked (run `mingdan link`): each record is counted as one "
                  "person, and the release says so", markup=False)
    elif result["unlinked_records"]:
        err.print(f"WARNING: {result['unlinked_records']:,} record(s) have not been linked (imported after the last "
                  "`mingdan link`): each counts as one person, and the release says so", markup=False)
    if not result.get("previous_hidden_known", True):
        err.print("note: the previous release's hidden cells were not kept in this case (made before they were): "
                  "this release was audited against what it published only", markup=False)
    out.print(f"open data licence: {result['license']['name']} ({result['license']['title']})", markup=False)
    changes = result["changes"]
    if changes["previous"] is None:
        out.print(f"changes: none listed ({changes['reason']})")
    else:
        verified = "" if changes["previous_verified"] else " (WARNING: the previous release does not verify)"
        out.print(f"changes since release {changes['previous'][:16]}…{verified}: {changes['people_added']} people "
                  f"added, {changes['people_removed']} removed, {changes['counts_changed']} published counts changed, "
                  f"files {changes['files_added']} added / {changes['files_removed']} removed / "
                  f"{changes['files_changed']} changed; see {result['out']}/changes.json")
    if not result["figures"]["zh_labels"]:
        err.print(f"figures: {result['figures']['zh']}")
    pdf = result["pdf"]
    if pdf["made"]:
        out.print(f"PDF: {result['out']}/{pdf['file']} ({pdf['pages']} pages)")
    else:
        err.print(f"PDF NOT made: {pdf['reason']} (recorded in manifest.json)")


def verify(
    release: Annotated[Path, typer.Argument(help="A release folder.")],
    public_key: Annotated[Optional[Path], typer.Option("--key", help="The publisher's public key (default: the one in the release).")] = None,
) -> None:
    """Check a release's signature and the SHA-256 of every file; any change is reported.

    Example:  mingdan verify release-2026-11
    """
    from mingdan.publish.signing import verify as check

    problems = check(release, public_key)
    for problem in problems:
        err.print(f"{release}/{problem}")
    if problems:
        err.print(f"NOT verified: {len(problems)} problem(s)")
        raise typer.Exit(1)
    out.print(f"{release}: signature and every file verified")


def serve_public(
    release: Annotated[Path, typer.Argument(help="A release folder.")],
    port: Annotated[int, typer.Option(help="Port on localhost.")] = 8001,
) -> None:
    """Serve the release's public.sqlite read-only with Datasette (arbitrary SQL off).

    Titles, descriptions, the licence and the source come from the release's datasette.json;
    names are searchable (?_search=); anything but GET and HEAD is answered 405.

    Example:  mingdan serve-public release-2026-11 --port 8001
    """
    import os
    import subprocess
    import sys

    from mingdan.publish import datasette_plugins

    data = Path(release).resolve() / "data"
    if not (data / "public.sqlite").exists():
        err.print(f"error: {data / 'public.sqlite'} not found: is {release} a release folder?", markup=False)
        raise typer.Exit(2)
    # Run from the data folder with relative names, so that /-/databases.json shows no path of this machine.
    os.chdir(data)
    command = [sys.executable, "-m", "datasette", "serve", "--immutable", "public.sqlite", "--host", "127.0.0.1",
               "--port", str(port), "--setting", "default_allow_sql", "off",
               "--plugins-dir", str(Path(datasette_plugins.__file__).parent)]
    if Path("datasette.json").is_file():
        command += ["--metadata", "datasette.json"]
    if os.name == "posix":
        # Become Datasette, so that stopping this process (Ctrl+C, SIGTERM) stops the server too; a child
        # process would be left running, still serving, when its parent was terminated.
        sys.stdout.flush()
        os.execv(sys.executable, command)
    raise typer.Exit(subprocess.call(command))


def register(app: typer.Typer) -> None:
    """Attach the release commands."""
    app.command("publish")(publish)
    app.command("verify")(verify)
    app.command("serve-public")(serve_public)
