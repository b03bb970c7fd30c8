"""`make demo`: build a case from the bundled simulated lists and run every stage that exists."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples" / "demo"
NOT_LISTS = {"truth.csv", "people.csv", "count_claims.csv"}
DATA_SUFFIXES = {".csv", ".xlsx", ".json"}
#: The day the demo reports custody on: 23 years after the simulated episode.
AS_OF = "2012-06-04"


def demo_lists(folder: Path = EXAMPLES) -> list[tuple[Path, Path | None]]:
    """The bundled source files, each with its mapping file when it has one."""
    lists = []
    if not folder.is_dir():
        return lists
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in DATA_SUFFIXES and path.name not in NOT_LISTS and not path.name.startswith("truth"):
            mapping = path.with_suffix(".yaml")
            lists.append((path, mapping if mapping.exists() else None))
    return lists


def run(case_dir: Path) -> int:
    """Build (or bring up to date) the demo case and print where everything is."""
    from mingdan.api import case_summary, import_count_claims, import_file, init_case
    from mingdan.ingest.problems import ImportFailed

    case = init_case(case_dir, name="mingdan demo (simulated)")
    print(f"demo case: {case.root}")
    # The families' lists come after the victims' lists: their relation_of names the victims' records.
    for path, mapping in demo_lists() + demo_lists(EXAMPLES / "families"):
        try:
            result = import_file(case, path, mapping_path=mapping)
        except ImportFailed as failure:
            print("\n".join(str(problem) for problem in failure.problems), file=sys.stderr)
            return 1
        status = (f"imported {result.rows_imported:,} rows as version {result.version}"
                  if result.status == "imported" else "already imported, nothing added")
        print(f"  {path.name:<24} source {result.source!r}: {status}")
    if not demo_lists():
        print(f"  no bundled simulated lists in {EXAMPLES} yet (the simulator has not landed)")
    claims = EXAMPLES / "count_claims.csv"
    if claims.exists():
        result = import_count_claims(case, claims)
        print(f"  {claims.name:<24} {result.claims} count claims" if result.status == "imported"
              else f"  {claims.name:<24} already imported, nothing added")
    summary = case_summary(case)
    print("\nthe case holds: " + ", ".join(f"{summary[k]:,} {k}" for k in
                                           ("sources", "records", "claims", "events", "names", "count_claims")))
    results = case.root.parent
    _link(case)
    _estimate(case, results)
    _track(case, results)
    _publish(case, results / "release")
    print(f"\nnext, try:\n  .venv/bin/mingdan records --case {case_dir} --limit 10\n"
          f"  .venv/bin/mingdan claims list --case {case_dir}\n"
          f"  .venv/bin/mingdan show A-000001 --source 'Court judgments' --case {case_dir}\n"
          f"  .venv/bin/mingdan status --case {case_dir} --as-of {AS_OF}\n"
          f"  .venv/bin/mingdan account --case {case_dir} --as-of {AS_OF}\n"
          f"  .venv/bin/mingdan harassment --case {case_dir} --as-of 2019-06-04\n"
          f"  .venv/bin/mingdan users add YOU --role admin --case {case_dir}   # then:\n"
          f"  .venv/bin/mingdan serve --case {case_dir}                        # http://127.0.0.1:8000")
    print(f"\nthe known truth of the simulation is in {EXAMPLES.relative_to(REPO)}/truth.json")
    return 0


def _link(case) -> None:
    """Link the records into people, unless every record already belongs to one."""
    from mingdan.linkage.evaluate import case_clusters, coverage, read_truths, scores
    from mingdan.linkage.run import link_case
    from mingdan.store.models import Record

    if Record.objects.filter(person__isnull=True).exists():
        result = link_case(case)
        print(f"\nlinked {result.records:,} records into {result.people:,} people "
              f"({result.review_pairs if result.review_waiting is None else result.review_waiting:,} pairs for "
              f"review: mingdan review --case {case.root})")
    else:
        print("\nrecords already linked into people")
    truth = EXAMPLES / "truth.csv"
    if truth.exists():
        known = read_truths([path for path in (truth, EXAMPLES / "families" / "truth.csv") if path.exists()])
        predicted = case_clusters()
        quality, covered = scores(predicted, known), coverage(predicted, known)
        print(f"  against the simulation's truth: pairwise F1 {quality['pairwise']['f1']:.3f}, "
              f"B-cubed F1 {quality['bcubed']['f1']:.3f} ({covered['scored']:,} of {covered['case_records']:,} records; "
              "mingdan evaluate)")


def _estimate(case, results: Path) -> None:
    """LCMCR per category from the linked people, with the figure beside the published claims."""
    from mingdan.estimate import EstimationError, TableError
    from mingdan.estimating import CATEGORY_EVENTS, estimate_case, posterior_figure
    from mingdan.publish.account import accounting

    claims = {entry["category"]: entry["claims"] for entry in accounting(case)["categories"]}
    for category in CATEGORY_EVENTS:
        try:
            result = estimate_case(case, category, "lcmcr", seed=1)
        except (EstimationError, TableError) as exc:
            print(f"  {category}: no estimate ({exc})")
            continue
        figure = posterior_figure(result, claims.get(category, []), case.root / "figures" / f"estimate-{category}.png")
        print(f"  estimate of all {category}: {result['estimate']:,.0f} (95% {result['lower']:,.0f}-{result['upper']:,.0f}),"
              f" {result['observed']:,} named -> {figure}")


def _publish(case, folder: Path) -> None:
    """A fresh public release of the demo case (the demo's release is output, rebuilt every time)."""
    import shutil

    from mingdan.publish.release import publish

    if folder.exists():
        shutil.rmtree(folder)
    # The demo's lists are simulated, so the demo chooses a licence for them; a real case is asked for its own.
    result = publish(case, folder, __import__("datetime").date.fromisoformat(AS_OF),
                     license=case.setting("publish", "license") or "CC-BY-4.0")
    print(f"\nrelease: {folder} ({result['named']:,} people named with consent, {result['withheld']:,} withheld; "
          f"open data under {result['license']['name']}); report: {folder / 'report' / 'index.html'} "
          f"(also index.zh.html, index.zh-hant.html); check it with: .venv/bin/mingdan verify {folder}")
    pdf = result["pdf"]
    print(f"  PDF: {folder / pdf['file']} ({pdf['pages']} pages)" if pdf["made"] else f"  PDF NOT made: {pdf['reason']}")
    if not result["figures"]["zh_labels"]:
        print(f"  figures: {result['figures']['zh']}")


def _track(case, results: Path) -> None:
    """Custody status and the accounting on the demo's reference day, written as JSON."""
    import datetime as dt
    import json

    from mingdan.publish.account import accounting, range_text
    from mingdan.track import held_on

    day = dt.date.fromisoformat(AS_OF)
    held = held_on(case, day)
    (results / "status.json").write_text(json.dumps(held, ensure_ascii=False, indent=2) + "\n", "utf-8")
    account = accounting(case, day)
    (results / "account.json").write_text(json.dumps(account, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(f"\ncustody on {AS_OF}: {sum(r['status'] == 'held' for r in held):,} held, "
          f"{sum(r['status'] == 'unknown' for r in held):,} status unknown -> {results / 'status.json'}")
    for entry in account["categories"]:
        span = entry["claims_range"]
        claimed = ("no published claim" if not span["claims"] else f"published claims {range_text(span)}")
        print(f"  {entry['label']:<17} {entry['named']['people']:>6,} named; {claimed}")
    harassment = account["harassment"]
    if harassment["years"]:
        print(f"  harassment: {harassment['events']:,} events {harassment['years'][0]['year']}-"
              f"{harassment['years'][-1]['year']}, {harassment['anniversary_events']:,} around 4 June; "
              f"{harassment['families']:,} families of named victims; {harassment['restricted']:,} under restriction "
              f"on {AS_OF}")
    print(f"accounting -> {results / 'account.json'}")


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "demo" / "case"))
