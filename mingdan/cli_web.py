"""`mingdan serve`, `mingdan users add|list`, `mingdan audit verify`: the web application and its users."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from mingdan.cli_common import CaseOption, JsonOption, err, open_case_or_exit, out, print_json

LOOPBACK = ("127.0.0.1", "localhost", "::1")
users_app = typer.Typer(help="Users of the web application and their roles.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log of reads, searches, exports and writes.", no_args_is_help=True)


def _web(case: Path, audit_strict: bool = True):
    """Open the case with the web settings (sessions, users) rather than the store's alone."""
    os.environ.setdefault("MINGDAN_CASE_DIR", str(Path(case).resolve()))
    os.environ["DJANGO_SETTINGS_MODULE"] = "mingdan.web.settings"
    return open_case_or_exit(case, audit_strict=audit_strict)


def serve(
    case: CaseOption = Path("."),
    port: Annotated[int, typer.Option("--port", help="TCP port.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on; keep 127.0.0.1 unless behind TLS.")] = "127.0.0.1",
    threads: Annotated[int, typer.Option("--threads", min=1, max=64, help="Threads per server process.")] = 4,
    workers: Annotated[int, typer.Option("--workers", min=0, max=32,
                                         help="Server processes (0: two per core, at most 8).")] = 0,
) -> None:
    """Serve the web application for the case (waitress, a production server; static files included).

    Example:  mingdan serve --case CASE --port 8000   then open http://127.0.0.1:8000
    """
    from mingdan.web.server import serve as run

    if host in LOOPBACK:
        # Browsers may drop Secure cookies over plain HTTP; on loopback nothing crosses a network.
        # Any other address must sit behind TLS, where the cookies stay Secure.
        os.environ.setdefault("MINGDAN_INSECURE_COOKIES", "1")
    _web(case)  # a clear error for a folder that is not a case
    from mingdan.web.workers import default_cores, default_workers

    if workers > 2 * default_cores():
        err.print(f"warning: {workers} processes on {default_cores()} core(s): more than two per core hold more memory "
                  f"and serve no faster (docs/benchmarks.md)")
    workers = workers or default_workers()
    err.print(f"serving {Path(case).resolve()} on http://{host}:{port} with {workers} process(es) of {threads} "
              f"threads (Ctrl-C stops)")
    run(Path(case), host=host, port=port, threads=threads, workers=workers)


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="The user name.")],
    role: Annotated[str, typer.Option("--role", help="admin, editor, reviewer, analyst or viewer.")],
    case: CaseOption = Path("."),
    language: Annotated[str, typer.Option("--language", help="en, zh-hans or zh-hant.")] = "en",
) -> None:
    """Add a user; the password is asked for (or read from standard input when it is not a terminal).

    Example:  printf '%s\\n' "$PASSWORD" | mingdan users add lin --role editor --case CASE
    """
    from mingdan.web.accounts import add_user

    _web(case)
    password = _password()
    _account_change(lambda: add_user(name, role, password, language))
    out.print(f"user {name!r} added as {role}")


def _operator() -> str:
    """Who ran a user command, for the audit log: the operating-system account."""
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:?"


def _password() -> str:
    """The password, asked for twice on a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        return typer.prompt("password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def _account_change(change) -> None:
    """Run a change to a user, printing an AccountError as an error (exit 2)."""
    from mingdan.web.accounts import AccountError

    try:
        change()
    except AccountError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None


NameArgument = Annotated[str, typer.Argument(help="The user name.")]


@users_app.command("disable")
def users_disable(name: NameArgument, case: CaseOption = Path(".")) -> None:
    """Disable a user: no login, and their open sessions end; audited. `users enable` undoes it.

    Example:  mingdan users disable lin --case CASE
    """
    from mingdan.web.accounts import set_active

    _web(case)
    _account_change(lambda: set_active(name, False, _operator()))
    out.print(f"user {name!r} disabled")


@users_app.command("enable")
def users_enable(name: NameArgument, case: CaseOption = Path(".")) -> None:
    """Enable a disabled user again; audited.

    Example:  mingdan users enable lin --case CASE
    """
    from mingdan.web.accounts import set_active

    _web(case)
    _account_change(lambda: set_active(name, True, _operator()))
    out.print(f"user {name!r} enabled")


@users_app.command("reset-password")
def users_reset_password(name: NameArgument, case: CaseOption = Path(".")) -> None:
    """Give a user a new password (asked for, or read from standard input); their sessions end; audited.

    Example:  printf '%s\\n' "$PASSWORD" | mingdan users reset-password lin --case CASE
    """
    from mingdan.web.accounts import reset_password

    _web(case)
    password = _password()
    _account_change(lambda: reset_password(name, password, _operator()))
    out.print(f"password of {name!r} reset")


@users_app.command("role")
def users_role(name: NameArgument,
               role: Annotated[str, typer.Option("--role", help="admin, editor, reviewer, analyst or viewer.")],
               case: CaseOption = Path(".")) -> None:
    """Give a user another role; audited with the role it had.

    Example:  mingdan users role lin --role reviewer --case CASE
    """
    from mingdan.web.accounts import change_role

    _web(case)
    before: list[str] = []
    _account_change(lambda: before.append(change_role(name, role, _operator())))
    out.print(f"user {name!r}: {before[0]} -> {role}")


@users_app.command("unlock")
def users_unlock(name: NameArgument, case: CaseOption = Path(".")) -> None:
    """Clear the failed logins that lock a user name; audited.

    Example:  mingdan users unlock lin --case CASE
    """
    from mingdan.web.accounts import unlock

    _web(case)
    cleared: list[int] = []
    _account_change(lambda: cleared.append(unlock(name, _operator())))
    out.print(f"user {name!r} unlocked ({cleared[0]} failed logins cleared)")


@users_app.command("list")
def users_list(case: CaseOption = Path("."), as_json: JsonOption = False) -> None:
    """List users with role, language, second factor and lock state.

    Example:  mingdan users list --case CASE --json
    """
    from mingdan.web.accounts import list_users

    _web(case)
    users = list_users()
    if as_json:
        print_json(users)
        return
    for user in users:
        out.print(f"{user['name']:<20} {user['role'] or '-':<10} {user['language'] or '-':<8} "
                  f"{'totp' if user['totp'] else '':<5} {'LOCKED' if user['locked'] else ''}"
                  f"{'' if user['active'] else ' DISABLED'}")


@audit_app.command("verify")
def audit_verify(case: CaseOption = Path("."), as_json: JsonOption = False) -> None:
    """Check the audit log's hash chain and its checkpoints; exit 1 when an entry was altered or deleted.

    A loss recorded by `audit restart` is printed as a note. Example:  mingdan audit verify --case CASE
    """
    from mingdan.store.audit import verify

    _web(case, audit_strict=False)  # reports a missing checkpoint or a wiped log instead of refusing to open
    checked = verify()
    if as_json:
        print_json({"entries": checked.entries, "ok": checked.ok, "problems": checked.problems, "notes": checked.notes})
    else:
        for note in checked.notes:
            out.print(f"note: {note}")
        if checked.ok:
            out.print(f"audit log intact: {checked.entries:,} entries"
                      + (" (restarted; see the notes)" if checked.notes else ""))
        for problem in checked.problems:
            err.print(f"broken: {problem}")
    if not checked.ok:
        raise typer.Exit(1)


@audit_app.command("restart")
def audit_restart(
    reason: Annotated[str, typer.Option("--reason", help="Why the log is restarted (kept in the log).")],
    case: CaseOption = Path("."),
) -> None:
    """Record that the audit log's checkpoint or entries were lost, and continue the log from what is left.

    Only for a log that does not verify: the new entry keeps the reason, who ran it and every break
    found, which `audit verify` then reports as notes; the server starts again. Restore the
    checkpoints from a backup instead when you can.
    Example:  mingdan audit restart --case CASE --reason "disk failure; restored the database of 3 May"
    """
    from mingdan.store.audit import AuditKeyError, restart

    _web(case, audit_strict=False)
    try:
        entry = restart(reason, _operator())
    except AuditKeyError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    problems = entry.detail["problems"]
    out.print(f"audit log restarted at entry {entry.seq}; {len(problems) + entry.detail['more_problems']} "
              "breaks recorded as lost")
    for problem in problems:
        out.print(f"  {problem}")


def register(app: typer.Typer) -> None:
    """Attach the web commands to the main `mingdan` command."""
    app.command()(serve)
    app.add_typer(users_app, name="users")
    app.add_typer(audit_app, name="audit")
