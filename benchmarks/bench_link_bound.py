"""How well could any classifier link the blind generator's lists? An upper bound, beside mingdan's own figures.

    .venv/bin/python benchmarks/bench_link_bound.py [--records 5000] [--seed 1] [--keep DIR]

Generates the blind generator's lists (as benchmarks/bench_link_other_hands.py does), imports
them into a fresh case and builds the linkage frame (kept as DIR/frame.parquet with each record's
true person, so a second run with the same --keep skips this), then:

1. links the frame as `mingdan link` does (train_and_predict, the contradiction check, the list
   rule and clustering; nothing stored) and scores it against the truth;
2. computes the comparison vector (every comparison's level, as the trained model sees them) of
   every candidate pair the blocking makes and of every true pair, and of a random sample of all
   pairs (to estimate how many different people outside the blocking share each vector);
3. groups pairs by vector, ranks the vectors by their share of true pairs and sweeps: the best
   pairwise precision, recall and F1 any classifier of these vectors could reach, the classifier
   being told the truth per vector (so the bound is optimistic). With the candidate pairs only (no
   classifier can link a pair the blocking never compares, except through clustering), and with
   all pairs; with the name's frequency adjustment (rounded to a bit) as part of the vector; and also
   with how many records share the date, the place and the age two records agree on (in powers of
   two: what a frequency adjustment of those fields could read);
4. does the same on the raw values: a record's name (its characters, or for a romanized name its
   set of readings), sex, age range, place (gazetteer entry or reading), event, its dates,
   occupation and list. A true pair whose two records' values are exactly those of a pair of two
   different people cannot be told from it by any classifier of those values; counted in all
   pairs, not only the compared ones. "As both state": a value only one record of the pair gives
   is dropped from the pair (it says little about whether the other is the same person).

Pairwise figures are over pairs scored in isolation; mingdan's own figures are over clusters,
where a pair can also be joined through a third record, so the bound is a bound on the pairwise
classification, not a proof about clustering.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Random pairs sampled to estimate how many pairs of different people outside the blocking share each vector.
SAMPLED_PAIRS = 3_000_000
#: The raw values of a record compared for the raw bound (the name is added as name_value).
RAW_FIELDS = ("sex", "age_low", "age_high", "place_key", "event_type", "event_start", "event_end", "occupation",
              "source")


def build_frame(records: int, seed: int, folder: Path) -> Path:
    """Generate, import and write the frame with each record's true person; returns the parquet's path."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = folder / "frame.parquet"
    if path.exists():
        return path
    import bench_link_other_hands as lists

    sim = folder / "sim"
    if not sim.exists():
        lists.generate(records, seed, folder)
    os.environ["MINGDAN_CASE_DIR"] = str(folder / "case")
    from mingdan.api import import_file, init_case
    from mingdan.linkage.evaluate import read_truth
    from mingdan.linkage.frame import frame_table

    case = init_case(folder / "case")
    for file, mapping in lists.lists(sim):
        import_file(case, file, mapping_path=mapping)
    frame = frame_table()
    truth = read_truth(sim / "truth.csv")
    person = [truth.get(key) for key in zip(frame["source"].to_pylist(), frame["record_id"].to_pylist())]
    pq.write_table(frame.append_column("person", pa.array(person, pa.string())), path)
    return path


def frame_options(doc: str, records: int) -> argparse.Namespace:
    """--records, --seed and --keep of the benchmarks that link one frame of the blind generator."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--records", type=int, default=records)
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--keep", type=Path, help="folder to keep the lists, case and frame in (reused if present)")
    return parser.parse_args()


def frame_with_truth(records: int, seed: int, keep: "Path | None", prefix: str) -> tuple:
    """(frame without the truth, record -> true person), built once in keep (or a fresh temporary folder)."""
    import pyarrow.parquet as pq

    folder = keep or Path(tempfile.mkdtemp(prefix=prefix))
    folder.mkdir(parents=True, exist_ok=True)
    frame = pq.read_table(build_frame(records, seed, folder))
    person = dict(zip(frame["unique_id"].to_pylist(), frame["person"].to_pylist()))
    return frame.drop_columns(["person"]), person


def link_frame(frame, auto: float = 0.60, review: float = 0.20) -> tuple[dict, dict, int]:
    """(model, record -> cluster root, pairs linked) as `mingdan link` finds them, nothing stored."""
    from mingdan.linkage.model import train_and_predict
    from mingdan.linkage.one_to_one import weigh_rivals

    linker, scored = train_and_predict(frame, threshold=review)
    scored, _ = weigh_rivals(frame, scored, review)
    model = linker.misc.save_model_to_json()
    clusters, links = cluster_scored(frame, model, scored, auto)
    return model, clusters, links


def cluster_scored(frame, model: dict, scored, auto: float) -> tuple[dict, int]:
    """(record -> cluster root, pairs linked) from pairs already scored and weighed, as `mingdan link` clusters them."""
    import numpy as np

    from mingdan.linkage.contradictions import contradicted_pairs
    from mingdan.linkage.lists import alike_pairs, list_names
    from mingdan.linkage.clustering import cluster

    probability = scored["match_probability"].to_numpy()
    linked = probability >= auto
    edges = (scored["unique_id_l"].to_numpy()[linked], scored["unique_id_r"].to_numpy()[linked], probability[linked])
    apart = contradicted_pairs(frame, model, edges)
    from mingdan.linkage.model import MIN_RECORDS_TO_TRAIN
    from mingdan.linkage.ties import tied_pairs

    alike = alike_pairs(frame, scored)
    if frame.num_rows < MIN_RECORDS_TO_TRAIN:  # a small case, linked with the priors: as mingdan link does
        apart |= tied_pairs(frame, scored, auto, 0.20, alike)
    clusters = cluster(frame["unique_id"].to_pylist(), edges, apart, named=list_names(frame), alike=alike)
    return {record: root for record, (root, _) in clusters.items()}, int(np.sum(linked))


def true_pairs(person: dict) -> set[tuple[int, int]]:
    """(a, b), a < b, of records of one true person."""
    groups: dict = {}
    for uid, p in person.items():
        if p is not None:
            groups.setdefault(p, []).append(uid)
    return {pair for members in groups.values() for pair in combinations(sorted(members), 2)}


def sweep(groups) -> dict:
    """Best F1, and the best F1 with precision >= 0.95, linking whole groups of pairs best share first.

    groups: rows of (true pairs, other pairs) per group; true pairs in no group are missed by every classifier
    and must be added to `total` by the caller through a group with a huge count of other pairs.
    """
    import numpy as np

    true = np.asarray([g[0] for g in groups], dtype=np.float64)
    false = np.asarray([g[1] for g in groups], dtype=np.float64)
    order = np.argsort(-(true / np.maximum(true + false, 1e-12)), kind="stable")
    tp, fp = np.cumsum(true[order]), np.cumsum(false[order])
    total = true.sum()
    precision = tp / np.maximum(tp + fp, 1e-12)
    recall = tp / total
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    best = int(np.argmax(f1))
    met = np.flatnonzero(precision >= 0.95)
    at = int(met[np.argmax(f1[met])]) if len(met) else None
    return {"f1": f1[best], "precision": precision[best], "recall": recall[best],
            "recall_at_95": recall[at] if at is not None else 0.0,
            "f1_at_95": f1[at] if at is not None else 0.0,
            # True pairs in groups where other pairs are at least as many: a coin toss at best.
            "true_in_mixed": float(true[(false >= true) & (true > 0)].sum()), "true_pairs": total}


def vector_groups(frame, model: dict, person: dict, sampled_pairs: int = SAMPLED_PAIRS, seed: int = 1) -> dict:
    """Per pair kind ("candidates", "all"; "+freq" with the name's frequency adjustment, "+values" also with how
    many records share the agreeing date, place and age), rows (true, other) per vector."""
    from collections import Counter

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from mingdan.linkage.blocking import add_blocking_columns
    from mingdan.linkage.levels import comparison_levels

    comparisons = [c["output_column_name"] for c in model["comparisons"]]
    blocked_frame, _ = add_blocking_columns(frame)
    rules = model["blocking_rules_to_generate_predictions"]
    candidates = comparison_levels(blocked_frame, model, rules, counted=frame)
    with_person = frame.append_column("person_", pa.array([person.get(u) for u in frame["unique_id"].to_pylist()],
                                                          pa.string()))
    truths = comparison_levels(with_person, model, [{"blocking_rule": "l.person_ = r.person_"}], counted=frame)
    records = frame.num_rows
    buckets = max(1, int(records * (records - 1) / 2 / sampled_pairs))
    sampled_frame = frame.append_column("u_bucket", pa.array(np.random.default_rng(seed).integers(0, buckets, records),
                                                             pa.int64()))
    sampled = comparison_levels(sampled_frame, model, [{"blocking_rule": "l.u_bucket = r.u_bucket"}], counted=frame)
    scale = records * (records - 1) / 2 / max(sampled.num_rows, 1)

    # How many records share a record's date, place and age: what a frequency adjustment of those fields would read.
    ids = frame["unique_id"].to_numpy()
    order = np.argsort(ids)
    shared = {}
    for column in ("event_start", "place_key", "age_low"):
        values = frame[column].to_pylist()
        count = Counter(v for v in values if v is not None)
        shared[column] = np.asarray([count[v] if v is not None else 0 for v in values], dtype=np.float64)

    def at(table, side: str):
        return order[np.searchsorted(ids, table[f"unique_id_{side}"].to_numpy(), sorter=order)]

    def keyed(table, detail: int):
        """detail 0: the levels; 1: and the name's frequency adjustment (in bits); 2: and how many records share
        the agreeing date, place and age (in powers of two)."""
        key = np.zeros(table.num_rows, dtype=np.int64)
        for c in comparisons:
            key = key * 16 + table[f"gamma_{c}"].to_numpy().astype(np.int64) + 1
        if detail >= 1:
            tf = np.nan_to_num(pc.fill_null(table["mw_tf_adj_name"], 0.0).to_numpy(zero_copy_only=False)
                               .astype(np.float64))
            key = key * 64 + np.clip(np.round(tf), -40, 23).astype(np.int64) + 40
        if detail >= 2:
            left, right = at(table, "l"), at(table, "r")
            for column, gamma, agreeing in (("event_start", "event", 4), ("place_key", "place", 4), ("age_low", "age", 2)):
                agree = table[f"gamma_{gamma}"].to_numpy() == agreeing
                many = np.maximum(shared[column][left], shared[column][right])
                key = key * 32 + np.where(agree, np.clip(np.ceil(np.log2(np.maximum(many, 1))), 0, 30) + 1, 0).astype(np.int64)
        return key

    def pair_ids(table):
        return table["unique_id_l"].to_numpy() * (records * 10 + 1_000_003) + table["unique_id_r"].to_numpy()

    candidate_ids = pair_ids(candidates)
    truth_ids = pair_ids(truths)
    sampled_ids = pair_ids(sampled)
    candidate_true = np.isin(candidate_ids, truth_ids)
    # Sampled pairs of different people that no blocking rule compares: scaled up to all pairs.
    outside = ~np.isin(sampled_ids, candidate_ids) & ~np.isin(sampled_ids, truth_ids)
    result = {}
    for detail, suffix in enumerate(("", "+freq", "+values")):
        cand_key, truth_key, sample_key = keyed(candidates, detail), keyed(truths, detail), keyed(sampled, detail)
        counts: dict[int, list[float]] = {}
        for key, is_true in zip(cand_key.tolist(), candidate_true.tolist()):
            counts.setdefault(key, [0.0, 0.0])[0 if is_true else 1] += 1
        candidate_groups = [tuple(v) for v in counts.values()]
        missed = int((~np.isin(truth_ids, candidate_ids)).sum())
        # Pairs the blocking never compares: linked by no classifier of candidate pairs.
        result["candidates" + suffix] = candidate_groups + [(missed, 1e18)]
        every = {k: list(v) for k, v in counts.items()}
        for key in truth_key[~np.isin(truth_ids, candidate_ids)].tolist():
            every.setdefault(key, [0.0, 0.0])[0] += 1
        for key in sample_key[outside].tolist():
            every.setdefault(key, [0.0, 0.0])[1] += scale
        result["all" + suffix] = [tuple(v) for v in every.values()]
    result["_counts"] = {"candidate_pairs": candidates.num_rows, "true_pairs": truths.num_rows,
                         "true_candidates": int(candidate_true.sum()), "sampled_pairs": sampled.num_rows}
    return result


def name_value(row: dict) -> str | None:
    """A record's name as it can be compared: its characters, else its set of readings, else its pinyin."""
    if row["characters_key"]:
        return "c:" + row["characters_key"]
    if row["readings_key"]:
        return "r:" + row["readings_key"]
    return ("p:" + row["pinyin_key"]) if row["pinyin_key"] else None


def raw_groups(frame, person: dict, as_both_state: bool) -> list[tuple[float, float]]:
    """Rows (true pairs, pairs of other people) per pair of raw records' values (see the module's docstring)."""
    from collections import Counter

    fields = ("name_value", *RAW_FIELDS)
    columns = {c: frame[c].to_pylist() for c in ("unique_id", "characters_key", "readings_key", "pinyin_key",
                                                   *RAW_FIELDS)}
    values = {}
    for i, uid in enumerate(columns["unique_id"]):
        row = {c: columns[c][i] for c in columns}
        values[uid] = (name_value(row), *(row[c] for c in RAW_FIELDS))
    always = len(fields) - 1  # the list is always given; the name nearly always
    pairs = true_pairs(person)

    def pair_signature(a: tuple, b: tuple) -> tuple[tuple, tuple]:
        if not as_both_state:
            return a, b
        # A value only one record gives becomes "given" ("*"): any value of that field matches it.
        mask_a = tuple("*" if (x is not None and y is None and i != always) else x for i, (x, y) in enumerate(zip(a, b)))
        mask_b = tuple("*" if (y is not None and x is None and i != always) else y for i, (x, y) in enumerate(zip(a, b)))
        return mask_a, mask_b

    true_by_signature: Counter = Counter()
    for a, b in pairs:
        sa, sb = pair_signature(values[a], values[b])
        true_by_signature[(sa, sb) if _signature_key(sa) <= _signature_key(sb) else (sb, sa)] += 1
    # How many records fit each (masked) signature: masked fields count every record that gives the field.
    masks = {tuple(v == "*" for v in s) for signature in true_by_signature for s in signature}
    fitting: dict[tuple, Counter] = {}
    for mask in masks:
        fitting[mask] = Counter(tuple("*" if (m and v is not None) else v for v, m in zip(value, mask))
                                for value in values.values())
    rows = []
    for (sa, sb), true in true_by_signature.items():
        na = fitting[tuple(v == "*" for v in sa)][sa]
        nb = fitting[tuple(v == "*" for v in sb)][sb]
        total = na * (na - 1) / 2 if sa == sb else na * nb
        rows.append((float(true), float(total - true)))
    return rows


def _signature_key(value: tuple) -> tuple:
    return tuple("" if v is None else str(v) for v in value)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="folder to keep the lists, case and frame in (reused if present)")
    args = parser.parse_args()
    import pyarrow.parquet as pq

    folder = args.keep or Path(tempfile.mkdtemp(prefix="mingdan-bound-"))
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    frame = pq.read_table(build_frame(args.records, args.seed, folder))
    person = dict(zip(frame["unique_id"].to_pylist(), frame["person"].to_pylist()))
    frame = frame.drop_columns(["person"])
    print(f"{frame.num_rows:,} records, {len(set(person.values())):,} true people, "
          f"{len(true_pairs(person)):,} true pairs (frame ready in {time.perf_counter() - started:.0f} s)", flush=True)

    from mingdan.linkage.evaluate import scores

    model, clusters, links = link_frame(frame)
    if args.keep:
        import json

        # For a closer look at what was missed: the trained model and each record's cluster.
        (folder / "model.json").write_text(json.dumps(model))
        (folder / "clusters.json").write_text(json.dumps({str(k): v for k, v in clusters.items()}))
    quality = scores(clusters, person)
    p, b = quality["pairwise"], quality["bcubed"]
    print(f"mingdan: pairwise P {p['precision']:.4f} R {p['recall']:.4f} F1 {p['f1']:.4f}; B-cubed F1 {b['f1']:.4f}; "
          f"{quality['predicted_people']:,} people found; {links:,} auto links", flush=True)
    groups = vector_groups(frame, model, person)
    counts = groups.pop("_counts")
    print(f"candidate pairs {counts['candidate_pairs']:,}; true pairs among them {counts['true_candidates']:,} of "
          f"{counts['true_pairs']:,} (blocking recall {counts['true_candidates'] / counts['true_pairs']:.4f}); "
          f"{counts['sampled_pairs']:,} random pairs sampled")
    labels = {"candidates": "comparison vectors, candidate pairs", "candidates+freq": "  and the name's frequency",
              "candidates+values": "  and how common the agreeing values", "all": "comparison vectors, all pairs",
              "all+freq": "  and the name's frequency", "all+values": "  and how common the agreeing values"}
    for kind, label in labels.items():
        _print(label, sweep(groups[kind]))
    for both, label in ((False, "raw values, all pairs"), (True, "raw values as both state, all pairs")):
        _print(label, sweep(raw_groups(frame, person, both)))
    print(f"({time.perf_counter() - started:.0f} s)")


def _print(label: str, bound: dict) -> None:
    print(f"bound, {label:<40} best F1 {bound['f1']:.4f} (P {bound['precision']:.4f} R {bound['recall']:.4f}); "
          f"best with P >= 0.95: R {bound['recall_at_95']:.4f} F1 {bound['f1_at_95']:.4f}; true pairs sharing their "
          f"values with at least as many pairs of different people: {bound['true_in_mixed']:,.0f} of "
          f"{bound['true_pairs']:,.0f}", flush=True)


if __name__ == "__main__":
    main()
