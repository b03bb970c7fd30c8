"""A yardstick for linkage on the blind generator's lists: a classifier trained on the truth itself, beside mingdan.

    .venv/bin/pip install scikit-learn==1.9.1      # for this benchmark only; mingdan does not use it
    .venv/bin/python benchmarks/bench_link_supervised.py [--records 100000] [--seed 1] [--keep DIR] [--folds 4]

mingdan learns without labels. How far could linkage go on these lists if it had them? This
builds the blind generator's lists and the linkage frame as benchmarks/bench_link_bound.py does
(kept in --keep), links it as `mingdan link` does, then scores *every* candidate pair the blocking
makes (mingdan's model, no threshold) and trains a gradient-boosted classifier
(scikit-learn's HistGradientBoostingClassifier) on each pair's truth, in --folds folds split by
the pair's first record (a record's pairs are predicted by a model that never saw them; a
person's other pairs may be in the training folds, which makes the yardstick optimistic). Its
features are what a careful reader of the two records could use:

- every comparison's level (name, sex, age, place, event, occupation, sentence, list) and
  mingdan's own weights (the pair's weight and probability, the name's frequency, the rivals'
  adjustment);
- how many other records of each list hold each record's pinyin reading, how many readings each
  name has, whether each is written in characters or read one way only;
- the two records' lists and events, the years between their ages and the days between their
  dates, the spans of each date and age, how many places of their lineages they share, whether
  sentences and occupations are the same;
- each record's rivals: the pair's rank among the record's candidates in the other list, its
  distance in bits to the best and to the next, and how many candidates there are.

The classifier's probabilities replace mingdan's and are clustered as `mingdan link` clusters
(the contradiction check, the list rule, connected components) at several thresholds; the best is
printed beside mingdan's own figures. Pairs the blocking never makes are lost to both.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Thresholds the classifier's probabilities are clustered at (the best is the yardstick).
THRESHOLDS = (0.4, 0.5, 0.6, 0.7)
#: Columns of the frame the features read.
FRAME_COLUMNS = ("unique_id", "source", "characters_key", "pinyin_key", "age", "age_low", "age_high", "event_start",
                 "event_end", "event_type", "sex", "sound_readings", "place_lineage", "occupation", "sentence",
                 "reading_sure")
#: Numeric features computed in SQL (below), besides every comparison's level.
FEATURES = ("weight", "probability", "frequency", "rivals_adjustment", "years_apart", "days_apart", "end_days_apart",
            "namesakes_l", "namesakes_r", "readings_l", "readings_r", "characters_l", "characters_r", "span_l",
            "span_r", "places_shared", "places_l", "places_r", "age_span_l", "age_span_r", "sure_l", "sure_r",
            "same_sentence", "same_occupation", "rank_l", "rank_r", "to_best_l", "to_best_r", "to_next_l",
            "to_next_r", "candidates_l", "candidates_r")


def features_sql(levels: list[str]) -> str:
    """One row per candidate pair (table s) with the features above, from the frame (table f)."""
    return f"""
    WITH namesakes AS (
        SELECT pinyin_key, SUM(n - 1) AS others FROM (
            SELECT pinyin_key, source, COUNT(*) AS n FROM f WHERE pinyin_key IS NOT NULL GROUP BY 1, 2) GROUP BY 1),
    base AS (
        SELECT s.unique_id_l AS l, s.unique_id_r AS r, {", ".join("s." + c for c in levels)},
            s.match_weight AS weight, s.match_probability AS probability,
            coalesce(s.mw_tf_adj_name, 0) AS frequency, coalesce(s.mw_one_to_one, 0) AS rivals_adjustment,
            a.source AS source_l, b.source AS source_r, a.event_type AS event_l, b.event_type AS event_r,
            abs(a.age - b.age) AS years_apart, abs(a.event_start - b.event_start) AS days_apart,
            abs(a.event_end - b.event_end) AS end_days_apart,
            coalesce(na.others, -1) AS namesakes_l, coalesce(nb.others, -1) AS namesakes_r,
            len(a.sound_readings) AS readings_l, len(b.sound_readings) AS readings_r,
            (a.characters_key IS NOT NULL)::INT AS characters_l, (b.characters_key IS NOT NULL)::INT AS characters_r,
            a.event_end - a.event_start AS span_l, b.event_end - b.event_start AS span_r,
            len(list_intersect(a.place_lineage, b.place_lineage)) AS places_shared,
            len(a.place_lineage) AS places_l, len(b.place_lineage) AS places_r,
            a.age_high - a.age_low AS age_span_l, b.age_high - b.age_low AS age_span_r,
            a.reading_sure::INT AS sure_l, b.reading_sure::INT AS sure_r,
            (a.sentence = b.sentence)::INT AS same_sentence, (a.occupation = b.occupation)::INT AS same_occupation
        FROM s JOIN f a ON a.unique_id = s.unique_id_l JOIN f b ON b.unique_id = s.unique_id_r
        LEFT JOIN namesakes na ON na.pinyin_key = a.pinyin_key LEFT JOIN namesakes nb ON nb.pinyin_key = b.pinyin_key)
    SELECT *,
        rank() OVER (PARTITION BY l, source_r ORDER BY weight DESC) AS rank_l,
        rank() OVER (PARTITION BY r, source_l ORDER BY weight DESC) AS rank_r,
        weight - max(weight) OVER (PARTITION BY l, source_r) AS to_best_l,
        weight - max(weight) OVER (PARTITION BY r, source_l) AS to_best_r,
        weight - coalesce(lead(weight) OVER (PARTITION BY l, source_r ORDER BY weight DESC), -99) AS to_next_l,
        weight - coalesce(lead(weight) OVER (PARTITION BY r, source_l ORDER BY weight DESC), -99) AS to_next_r,
        count(*) OVER (PARTITION BY l, source_r) AS candidates_l,
        count(*) OVER (PARTITION BY r, source_l) AS candidates_r
    FROM base"""


def feature_matrix(table, levels: list[str]):
    """The features as a float matrix (missing as -1), the lists and events as category codes."""
    import numpy as np

    columns = [np.nan_to_num(table[c].to_numpy(zero_copy_only=False).astype(float), nan=-1.0)
               for c in (*levels, *FEATURES)]
    for left, right in (("source_l", "source_r"), ("event_l", "event_r")):
        values = sorted({v for v in table[left].to_pylist() + table[right].to_pylist() if v is not None})
        code = {v: i for i, v in enumerate(values)}
        columns += [np.array([code.get(v, -1) for v in table[c].to_pylist()], float) for c in (left, right)]
    return np.column_stack(columns)


def supervised_probabilities(frame, scored, person: dict, folds: int):
    """(left ids, right ids, each candidate pair's probability from a classifier trained on the other folds)."""
    import duckdb
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier

    levels = [c for c in scored.column_names if c.startswith("gamma_")]
    connection = duckdb.connect()
    connection.register("f", frame.select(list(FRAME_COLUMNS)))
    connection.register("s", scored)
    table = connection.sql(features_sql(levels)).to_arrow_table()
    left, right = table["l"].to_numpy(), table["r"].to_numpy()
    truth = np.array([person.get(a) is not None and person.get(a) == person.get(b) for a, b in zip(left, right)])
    features = feature_matrix(table, levels)
    fold = (left.astype(np.uint64) * np.uint64(2654435761) % np.uint64(2 ** 32)) % np.uint64(folds)
    probability = np.zeros(len(truth))
    for k in range(folds):
        held = fold == k
        model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.1, max_leaf_nodes=63, random_state=k)
        model.fit(features[~held], truth[~held])
        probability[held] = model.predict_proba(features[held])[:, 1]
    return left, right, probability, int(truth.sum())


def _line(label: str, quality: dict) -> str:
    p, b = quality["pairwise"], quality["bcubed"]
    return (f"{label}: pairwise P {p['precision']:.4f} R {p['recall']:.4f} F1 {p['f1']:.4f}; "
            f"B-cubed P {b['precision']:.4f} R {b['recall']:.4f} F1 {b['f1']:.4f}; {quality['predicted_people']:,} people")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1, help="the generator's seed")
    parser.add_argument("--keep", type=Path, help="folder to keep the lists, case and frame in (reused if present)")
    parser.add_argument("--folds", type=int, default=4)
    args = parser.parse_args()
    try:
        import sklearn  # noqa: F401
    except ImportError:
        raise SystemExit("install the classifier first: .venv/bin/pip install scikit-learn==1.9.1")
    import pyarrow as pa

    from bench_link_bound import cluster_scored, frame_with_truth, link_frame, true_pairs
    from mingdan.linkage.evaluate import scores
    from mingdan.linkage.model import train_and_predict
    from mingdan.linkage.one_to_one import weigh_rivals

    started = time.perf_counter()
    frame, person = frame_with_truth(args.records, args.seed, args.keep, "mingdan-supervised-")
    pairs = len(true_pairs(person))
    print(f"{frame.num_rows:,} records, {len(set(person.values())):,} true people, {pairs:,} true pairs "
          f"(seed {args.seed}; frame ready in {time.perf_counter() - started:.0f} s)", flush=True)
    model, clusters, _ = link_frame(frame)
    print(_line("mingdan (no labels)", scores(clusters, person)), flush=True)
    _, scored = train_and_predict(frame, threshold=0.0)
    scored, _ = weigh_rivals(frame, scored, 0.20)
    left, right, probability, found = supervised_probabilities(frame, scored, person, args.folds)
    print(f"candidate pairs {len(left):,}, holding {found:,} of the true pairs (blocking recall {found / pairs:.4f})")
    candidates = pa.table({"unique_id_l": left, "unique_id_r": right, "match_probability": probability})
    best = None
    for threshold in THRESHOLDS:
        quality = scores(cluster_scored(frame, model, candidates, threshold)[0], person)
        print("  " + _line(f"trained on the truth, clustered at {threshold}", quality), flush=True)
        if best is None or quality["pairwise"]["f1"] > best[1]["pairwise"]["f1"]:
            best = (threshold, quality)
    print(_line(f"yardstick (best threshold, {best[0]})", best[1]))
    print(f"({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
