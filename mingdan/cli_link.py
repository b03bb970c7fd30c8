"""`mingdan link`, `mingdan review`, `mingdan evaluate`: records into people, with humans in the loop."""

from __future__ import annotations

import csv
import getpass
from pathlib import Path
from typing import Annotated, Optional

import typer

from mingdan.cli_common import CaseOption, JsonOption, Table, err, open_case_or_exit, out, print_json

link_app = typer.Typer(invoke_without_command=True, rich_markup_mode=None)
review_app = typer.Typer(invoke_without_command=True, rich_markup_mode=None)


@link_app.callback()
def link(
    ctx: typer.Context,
    case: CaseOption = Path("."),
    clusters_out: Annotated[Optional[Path], typer.Option(
        "--clusters-out", help="Write source, record_id, person_id, cluster_probability to this CSV.")] = None,
    engine: Annotated[str, typer.Option(
        "--engine", help="duckdb (in process), or spark (local PySpark and Java 17: pip install -r requirements-spark.lock).")] = "duckdb",
    incremental: Annotated[bool, typer.Option(
        "--incremental", help="Link only the records not yet linked, with the last run's model and people.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Train (unsupervised EM), score, cluster into people and store them; prints a summary.

    Names are compared across scripts and romanizations (陳大文, Chen Dawen, Ch'en Ta-wen,
    Chan Tai Man). Review decisions are applied before clustering; person ids stay stable.

    Example:  mingdan link --case CASE --clusters-out clusters.csv

    Example:  mingdan link --case CASE --incremental      (after importing a new list)

    Example:  mingdan link --case CASE --engine spark     (the same settings on local Spark)
    """
    if ctx.invoked_subcommand is not None:
        return
    from mingdan.linkage.engines import ENGINES, EngineUnavailable
    from mingdan.linkage.run import link_case

    if engine not in ENGINES:
        err.print(f"error: unknown engine {engine!r}: choose one of {', '.join(ENGINES)}")
        raise typer.Exit(2)

    opened = open_case_or_exit(case)
    try:
        result = link_case(opened, progress=lambda message: err.print(message) if not as_json else None,
                           incremental=incremental, engine=engine)
    except (ValueError, EngineUnavailable) as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(1) from None
    if clusters_out:
        _write_clusters(clusters_out)
    summary = {k: v for k, v in result.__dict__.items()}
    if as_json:
        print_json(summary)
        return
    out.print(f"{result.records:,} records -> {result.people:,} people "
              f"({result.kept_ids:,} person ids kept, {result.new_ids:,} new); {result.pairs_scored:,} pairs scored at or above review, "
              f"{result.auto_links:,} at auto-link (>= {result.thresholds['auto_link']}"
              f"{f'; {result.auto_kept_apart:,} of them kept apart by the clustering' if result.auto_kept_apart else ''}), "
              f"{result.review_pairs:,} in the review band (>= {result.thresholds['review']}"
              f"{_waiting(result)}); {result.decisions_applied:,} review decisions applied"
              f"{f' ({len(result.decisions_not_applied):,} not: see the warnings above)' if result.decisions_not_applied else ''}; "
              f"{result.seconds:.1f} s")
    if result.training:
        out.print(f"model: {result.training}")
    if clusters_out:
        out.print(f"clusters written to {clusters_out}")


def _garbled_sources(predicted, known, encoding: str | None) -> str:
    """A hint on the encoding where the truth's list names hold what a wrong decoding makes (looks_misdecoded)."""
    from mingdan.linkage.evaluate import looks_misdecoded

    if not any(looks_misdecoded(source) for source, _ in known):
        return ""
    told = f"--encoding {encoding}" if encoding else "the encoding found"
    return (f"; the truth's list names hold characters a wrong decoding makes: read with {told}, the file may be in "
            "another encoding (give it with --encoding: utf-8, utf-16, gb18030, big5)")


def _waiting(result) -> str:
    """How many pairs the review queue offers now, where that is not this run's review band: decisions answer some,
    and after an incremental run the runs' before it still wait; and the pairs the rivals lowered below review."""
    lowered = result.pairs_scored - result.auto_links - result.review_pairs
    said = f"; {lowered:,} more lowered below review by their rivals" if lowered else ""
    held = [f"{count:,} for {why}" for why, count in (("a death, then the person alive 1-7 days after it",
                                                       result.held_after_death),
                                                      ("two sexes", result.held_other_sex)) if count]
    if held:
        said = f"; held there for a reviewer though scored at auto-link: {', '.join(held)}" + said
    if result.review_waiting is None or result.review_waiting == result.review_pairs:
        return said
    return said + (f"; the review queue holds {result.review_waiting:,} (decided pairs left out, the earlier runs' "
                   "pairs kept)" if result.incremental else
                   f"; {result.review_waiting:,} wait for a reviewer, the others answered by decisions")


def _write_clusters(path: Path) -> None:
    from mingdan.store.models import LinkRun, Membership

    run = LinkRun.objects.order_by("-id").first()
    rows = (Membership.objects.filter(run=run).select_related("record__source")
            .order_by("record__source__name", "record__record_id"))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "record_id", "person_id", "cluster_probability"])
        for member in rows:
            writer.writerow([member.record.source.name, member.record.record_id, member.person_id,
                             f"{member.cluster_probability:.4f}"])


def _record(text: str):
    from mingdan.api import find_record

    try:
        return find_record(None, text)
    except LookupError as exc:
        err.print(f"error: {exc} (write SOURCE:RECORD_ID when ids repeat across sources)")
        raise typer.Exit(1) from None


def _pair(text_a: str, text_b: str) -> tuple:
    a, b = _record(text_a), _record(text_b)
    if a.pk == b.pk:
        err.print(f"error: {text_a} and {text_b} are one record ({a.source.name}:{a.record_id}); name two records")
        raise typer.Exit(2)
    return a, b


@link_app.command("explain")
def explain(
    record_a: Annotated[str, typer.Argument(help="A record id (or SOURCE:RECORD_ID).")],
    record_b: Annotated[str, typer.Argument(help="Another record id.")],
    case: CaseOption = Path("."),
    as_json: JsonOption = False,
) -> None:
    """Why two records were linked or not: the match weight of every field, readable.

    Example:  mingdan link explain A-000001 E-000001 --case CASE
    """
    from mingdan.linkage.explain import explain_pair

    open_case_or_exit(case)
    result = explain_pair(*_pair(record_a, record_b))
    if as_json:
        print_json(result)
        return
    out.print(f"{result['a']}  vs  {result['b']}")
    if result.get("reasons"):
        out.print("not linked:")
        for reason in result["reasons"]:
            out.print(f"  - {reason}")
        out.print(f"what you can do: {result['advice']}")
    else:
        out.print(result["summary"])
    if result.get("rivals"):
        out.print("other candidates of the two lists (rivals):")
        for rival in result["rivals"]:
            out.print(f"  - {rival}")
    if not result["fields"]:
        return
    table = Table()
    for column in ("field", "left", "right", "weight (bits)", "meaning"):
        table.add_column(column)
    for row in result["fields"]:  # + 0.0: a weight of -0.001 reads +0.00, not -0.00
        table.add_row(row["field"], str(row["left"] if row["left"] is not None else "—"),
                      str(row["right"] if row["right"] is not None else "—"),
                      "" if row["weight"] is None else f"{round(row['weight'], 2) + 0.0:+.2f}", row["meaning"])
    out.print(table)


@review_app.callback()
def review(
    ctx: typer.Context,
    case: CaseOption = Path("."),
    limit: Annotated[int, typer.Option(help="How many pairs to show.")] = 20,
    by: Annotated[Optional[str], typer.Option("--by", help="Who decides (default: the login name).")] = None,
    as_json: JsonOption = False,
) -> None:
    """The uncertain pairs, most uncertain first: s(ame), d(ifferent), u(nsure), n(ext), q(uit).

    Decisions are stored (who, when) and every later `mingdan link` respects them.

    Example:  mingdan review --case CASE
    """
    if ctx.invoked_subcommand is not None:
        return
    from mingdan.linkage.explain import review_queue

    if limit < 1:
        err.print(f"error: --limit is how many pairs to show, at least 1 (not {limit})")
        raise typer.Exit(2)
    open_case_or_exit(case)
    queue = review_queue(limit)
    if not queue:
        from mingdan.linkage.explain import nothing_pending

        if as_json:
            print_json(queue)
        (err if as_json else out).print(nothing_pending())
        return
    if as_json or not out.is_terminal:
        if as_json:
            print_json(queue)
        else:
            for pair in queue:
                out.print(f"{pair['match_probability']:.3f}  {pair['a']} [{pair['name_a']}]  ~  {pair['b']} [{pair['name_b']}]"
                          + ("  (one person now, through other records)" if pair["one_person_now"] else "")
                          + (f"  ({pair['note']})" if pair["note"] else ""))
        return
    who = by or getpass.getuser()
    for pair in queue:
        out.print(f"\n{pair['a']} [{pair['name_a']}]  ~  {pair['b']} [{pair['name_b']}]   p = {pair['match_probability']:.3f}"
                  + ("   (one person now, through other records: 'different' would part them)"
                     if pair["one_person_now"] else ""))
        if pair["note"]:
            out.print(f"   {pair['note']}")
        for name, field in pair["weights"].items():
            left, right = (("—" if field.get(side) in (None, "") else field.get(side)) for side in ("left", "right"))
            out.print(f"   {name:<11} {left!s:<22} {right!s:<22} {field.get('weight')}")
        answer = ""
        while answer[:1] not in ("s", "d", "u", "n", "q"):
            if answer:
                out.print("answer s (same), d (different), u (unsure), n (next) or q (quit)")
            answer = typer.prompt("same / different / unsure / next / quit [s/d/u/n/q]", default="n").strip().lower() \
                or "n"
        if answer.startswith("q"):
            break
        choice = {"s": "same", "d": "different", "u": "unsure"}.get(answer[:1])
        if choice and _confirmed(pair["record_a"], pair["record_b"], choice, confirm=False):
            _decide(pair["record_a"], pair["record_b"], choice, who)


def _confirmed(a: int, b: int, decision: str, confirm: bool) -> bool:
    """True when nothing in the records contradicts the decision, or the reviewer confirms it anyway."""
    from mingdan.linkage.explain import decision_conflicts
    from mingdan.store.models import Record

    conflicts = decision_conflicts(Record.objects.get(pk=a), Record.objects.get(pk=b), decision)
    if not conflicts or confirm:
        return True
    for conflict in conflicts:
        err.print(f"warning: {conflict}")
    if not out.is_terminal:
        err.print(f"error: the records speak against '{decision}'; add --confirm to record it anyway")
        raise typer.Exit(1)
    return typer.confirm(f"record '{decision}' anyway?", default=False)


def _decide(a: int, b: int, decision: str, who: str, note: str = "") -> None:
    from mingdan.linkage.explain import record_decision

    record_decision(a, b, decision, who, note)


@review_app.command("decide")
def decide(
    record_a: Annotated[str, typer.Argument(help="A record id (or SOURCE:RECORD_ID).")],
    record_b: Annotated[str, typer.Argument(help="Another record id.")],
    decision: Annotated[str, typer.Argument(help="same, different or unsure.")],
    case: CaseOption = Path("."),
    by: Annotated[Optional[str], typer.Option("--by", help="Who decides (default: the login name).")] = None,
    note: Annotated[str, typer.Option(help="Why.")] = "",
    confirm: Annotated[bool, typer.Option(
        "--confirm", help="Record it even where the records speak against it (different names, different sex).")] = False,
) -> None:
    """Record a decision on one pair without the interactive queue (for scripts).

    A "same" that the records contradict (names that do not read alike, different sexes) is asked
    about again; --confirm records it without asking.

    Example:  mingdan review decide A-000001 E-000007 different --by lin --case CASE
    """
    if decision not in ("same", "different", "unsure"):
        err.print("error: the decision is same, different or unsure")
        raise typer.Exit(2)
    open_case_or_exit(case)
    a, b = _pair(record_a, record_b)
    if not _confirmed(a.pk, b.pk, decision, confirm):
        err.print("not recorded")
        raise typer.Exit(1)
    _decide(a.pk, b.pk, decision, by or getpass.getuser(), note)
    out.print(f"{a.source.name}:{a.record_id} ~ {b.source.name}:{b.record_id}: {decision} "
              "(the next `mingdan link` applies it)")


def evaluate(
    truth: Annotated[list[Path], typer.Option(
        "--truth", help="truth.csv: source, record_id, person_id; give it again for each file of one truth.")],
    case: CaseOption = Path("."),
    partial: Annotated[bool, typer.Option(
        "--partial", help="Score the records the truth names even when it leaves some of the case's records out.")] = False,
    encoding: Annotated[Optional[str], typer.Option(
        help="The truth files' encoding: utf-8, utf-16, gb18030, big5 … (else detected, as `mingdan import` does).")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Pairwise and cluster (B-cubed) precision, recall and F1 of the case's people against the truth.

    Every record of the case must be in the truth (a list imported under another name than the truth's
    is refused, not silently left out) unless --partial says scoring a part is meant.

    Example:  mingdan evaluate --case CASE --truth SIM/truth.csv [--truth SIM/families/truth.csv]
    """
    files = " and ".join(str(path) for path in truth)
    from mingdan.linkage.evaluate import (case_clusters, coverage, link_warnings, looks_misdecoded, read_truths,
                                         review_band_share, scores)

    open_case_or_exit(case)
    try:
        known = read_truths(truth, encoding)
    except ValueError as exc:
        err.print(f"error: {exc}")
        raise typer.Exit(2) from None
    predicted = case_clusters()
    covered = coverage(predicted, known)
    warnings: list[str] = []
    left_out = covered["case_records_not_in_truth"]
    described = "; ".join(f"{source!r}: {n:,} of its records" for source, n in left_out.items())
    if covered["scored"] == 0:
        err.print(f"error: no record of the case is in {files} (the case's sources: "
                  f"{', '.join(repr(s) for s in sorted({s for s, _ in predicted})) or 'none'}; the truth's: "
                  f"{', '.join(repr(s) for s in sorted({s for s, _ in known}))}); nothing to score"
                  + _garbled_sources(predicted, known, encoding))
        raise typer.Exit(1)
    garbled = [source for source in covered["truth_sources_not_in_case"] if looks_misdecoded(source)]
    theirs = {source for source, _ in known}
    if encoding and not garbled and not any(not s.isascii() for s in theirs & {s for s, _ in predicted}) \
            and any(not s.isascii() for s in {s for s, _ in predicted}):
        # GB18030 read as Big5 gives characters too: with --encoding given, a truth none of whose list names outside
        # ASCII is a list of the case, though the case has such lists, was misread (an outside tester).
        garbled = [source for source in covered["truth_sources_not_in_case"] if not source.isascii()]
    if garbled:
        # Scoring the records whose list names happen to survive would hide the misreading (an outside tester's
        # UTF-8 truth read as Latin-1: 507 of 1,229 records scored, with --partial).
        err.print(f"error: the truth's list names {', '.join(repr(s) for s in garbled[:3])} hold what a wrong "
                  f"decoding makes: {files} was read as {encoding or 'the encoding found'}, which is not its "
                  "encoding; give the right one with --encoding (utf-8, utf-16, gb18030, big5)")
        raise typer.Exit(1)
    if left_out:
        message = (f"{sum(left_out.values()):,} of the case's {covered['case_records']:,} records are not in {files} "
                   f"({described})")
        if not partial:
            hint = ""
            if covered["truth_sources_not_in_case"]:
                hint = (f"; the truth's sources not in the case: "
                        f"{', '.join(repr(s) for s in covered['truth_sources_not_in_case'])} "
                        "(was a list imported under another name? `mingdan import --source NAME`)")
            err.print(f"error: {message}{hint}; add --partial to score only the {covered['scored']:,} it names")
            raise typer.Exit(1)
        warnings.append(f"{message}; scoring only the {covered['scored']:,} it names")
    missing = covered["truth_records"] - covered["scored"] - sum(covered["truth_sources_not_in_case"].values())
    if missing > 0:
        # Records of the case's own lists that the truth names and the case lacks: the true people and pairs are
        # counted over the records in common, so they would be fewer than the truth's without a word.
        warnings.append(f"{missing:,} of the truth's records are of the case's lists but not in the case (not "
                        "scored: true people and pairs are counted over the records in common)")
    warnings += link_warnings()
    for warning in warnings:
        err.print(f"warning: {warning}")
    result = scores(predicted, known)
    result["coverage"] = covered
    result["warnings"] = warnings
    result["review_band_share_of_true_pairs"] = review_band_share(known)
    if as_json:
        print_json(result)
        return
    undefined = False
    for kind in ("pairwise", "bcubed"):
        r = result[kind]
        shown = {k: "n/a" if r[k] is None else f"{r[k]:.4f}" for k in ("precision", "recall", "f1")}
        undefined |= "n/a" in shown.values()
        out.print(f"{kind:>8}: precision {shown['precision']}  recall {shown['recall']}  F1 {shown['f1']}")
    share = result["review_band_share_of_true_pairs"]
    out.print(f"{result['true_pairs']:,} true pairs, {result['predicted_pairs']:,} found"
              + (" (n/a: a ratio over no pairs)" if undefined else ""))
    out.print(f"{result['records']:,} of the case's {covered['case_records']:,} records scored; "
              f"{result['predicted_people']:,} people found, {result['true_people']:,} true; "
              + ("no true pairs, so none in the review band" if share is None
                 else f"{share:.1%} of true pairs left in the review band"))
    if covered["truth_sources_not_in_case"]:
        out.print("the truth's lists not in the case (not scored): " + ", ".join(
            f"{source} ({n:,})" for source, n in covered["truth_sources_not_in_case"].items()))


def register(app: typer.Typer) -> None:
    """Attach the linkage commands to the main command line."""
    app.add_typer(link_app, name="link")
    app.add_typer(review_app, name="review")
    app.command("evaluate")(evaluate)
