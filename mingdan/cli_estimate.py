"""`mingdan estimate`: multiple systems estimation from a capture table or from a linked case."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from mingdan.cli_common import JsonOption, err, open_case_or_exit, out, print_json

METHODS = ("lcmcr", "dga", "loglinear")


def estimate(
    table: Annotated[Optional[Path], typer.Option(
        "--table", help="A capture table: one 0/1 column per list and a count column (count, n or Freq), "
                        "or one row per individual; '#' lines are comments.")] = None,
    case: Annotated[Optional[Path], typer.Option("--case", help="Estimate from this case's linked people instead.")] = None,
    method: Annotated[str, typer.Option("--method", help="lcmcr, dga or loglinear.")] = "lcmcr",
    strata: Annotated[Optional[str], typer.Option("--strata", help="A stratum column of the table: fit per stratum, then combine.")] = None,
    category: Annotated[Optional[list[str]], typer.Option(
        "--category", help="With --case: killed, died_in_custody, detained or missing (repeat; default all four).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", help="Random seed, for reproducible draws.")] = None,
    figure: Annotated[Optional[Path], typer.Option(
        "--figure", help="With --case: folder for the posterior figures (default: CASE/figures).")] = None,
    setting: Annotated[Optional[list[str]], typer.Option(
        "--set", help="A method setting as KEY=VALUE (repeat): K=10, delta=0.0625, model='[A*B + C]', n_iter=20000.")] = None,
    allow_unlinked: Annotated[bool, typer.Option(
        "--allow-unlinked", help="With --case: estimate even before linkage (inflated; never stored).")] = False,
    skip_invalid_strata: Annotated[bool, typer.Option(
        "--skip-invalid-strata", help="Add a stratum that cannot be estimated as its observed count (a lower bound).")] = False,
    as_json: JsonOption = False,
) -> None:
    """Estimate how many victims no list recorded (multiple systems estimation).

    The estimate counts everyone, named or not, with a 95% interval. With --case the table is
    built per category from the linked people; each result is stored in the case with its
    settings, input hash and code version, and a figure shows it beside the published claims.

    Example:  mingdan estimate --table data/published/mse/kosovo_1999_4lists.csv --method loglinear

    Example:  mingdan estimate --case CASE --method lcmcr --seed 1
    """
    if method not in METHODS:
        err.print(f"error: --method must be one of {', '.join(METHODS)}, not {method!r}")
        raise typer.Exit(2)
    if (table is None) == (case is None):
        err.print("error: give either --table T.csv or --case CASE")
        raise typer.Exit(2)
    from mingdan.estimate import EstimationError, TableError, estimate_table

    settings = _settings(setting or [])
    try:
        if table is not None:
            result = estimate_table(table, method, strata=strata, seed=seed,
                                    skip_invalid_strata=skip_invalid_strata, **settings)
            results = [result]
        else:
            results = _from_case(case, method, category, seed, figure, settings, allow_unlinked)
    except (TableError, EstimationError, ValueError, TypeError) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(1) from None
    if as_json:
        print_json(results[0] if table is not None else results)
        return
    for result in results:
        _print(result)


def _settings(pairs: list[str]) -> dict:
    """KEY=VALUE pairs as numbers where they are numbers."""
    settings = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep:
            raise typer.BadParameter(f"--set {pair!r}: expected KEY=VALUE")
        for convert in (int, float):
            try:
                settings[key] = convert(value)
                break
            except ValueError:
                continue
        else:
            settings[key] = value
    return settings


def _from_case(case: Path, method: str, categories: list[str] | None, seed: int | None, figures: Path | None,
               settings: dict, allow_unlinked: bool = False) -> list[dict]:
    from mingdan.estimate import EstimationError, TableError
    from mingdan.estimating import CATEGORY_EVENTS, estimate_case, posterior_figure
    from mingdan.publish.account import accounting

    opened = open_case_or_exit(case)
    wanted = categories or list(CATEGORY_EVENTS)
    claims = {entry["category"]: entry["claims"] for entry in accounting(opened)["categories"]}
    results = []
    for category in wanted:
        try:
            result = estimate_case(opened, category, method, seed=seed, allow_unlinked=allow_unlinked, **settings)
        except (EstimationError, TableError) as exc:  # a category too small for the method is said, not fatal
            if "not linked" in str(exc):
                raise
            err.print(f"{category}: no estimate: {exc}")
            continue
        folder = figures or opened.root / "figures"
        result["figure"] = str(posterior_figure(result, claims.get(category, []), folder / f"estimate-{category}.png"))
        result.pop("draws", None)
        results.append(result)
    if not results:
        raise EstimationError("no category of the case could be estimated")
    return results


def _print(result: dict) -> None:
    title = f"{result.get('category', 'total')}: " if result.get("category") else ""
    out.print(f"{title}{result['method']} estimate {result['estimate']:,.0f} "
              f"(95% interval {result['lower']:,.0f}–{result['upper']:,.0f}); observed {result['observed']:,}")
    details = [f"{key} {result[key]:.3g}" if isinstance(result[key], float) else f"{key} {result[key]}"
               for key in ("model", "top_model", "top_model_probability", "rhat", "ess") if key in result]
    if details:
        out.print("  " + "; ".join(details), markup=False)
    for label, stratum in result.get("strata", {}).items():
        out.print(f"  stratum {label}: {stratum['estimate']:,.0f} ({stratum['lower']:,.0f}–{stratum['upper']:,.0f}); "
                  f"observed {stratum['observed']:,}")
    for warning in result.get("warnings", []):
        out.print(f"  warning: {warning}")
    if result.get("figure"):
        out.print(f"  figure: {result['figure']}")
    if result.get("estimate_id"):
        out.print(f"  stored as estimate #{result['estimate_id']}")


def register(app: typer.Typer) -> None:
    """Attach the estimate command to the main command line."""
    app.command("estimate")(estimate)
