"""How good a linkage is against known truth: pairwise and B-cubed precision, recall and F1."""

from __future__ import annotations

import csv
from collections import defaultdict
from itertools import combinations
from pathlib import Path


def read_truth(path: Path) -> dict[tuple[str, str], str]:
    """(source, record_id) -> true person from a truth.csv (source, record_id, person_id)."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    missing = {"source", "record_id", "person_id"} - set(rows[0] if rows else {})
    if missing:
        raise ValueError(f"{path}: needs the columns source, record_id, person_id (missing {', '.join(sorted(missing))})")
    return {(row["source"], row["record_id"]): row["person_id"] for row in rows}


def _pairs(groups: dict[str, list]) -> set[tuple]:
    found = set()
    for members in groups.values():
        found.update(combinations(sorted(members), 2))
    return found


def scores(predicted: dict, truth: dict) -> dict:
    """Pairwise and B-cubed precision, recall and F1 of predicted clusters over the records in both."""
    keys = [k for k in predicted if k in truth]
    by_predicted, by_true = defaultdict(list), defaultdict(list)
    for key in keys:
        by_predicted[predicted[key]].append(key)
        by_true[truth[key]].append(key)
    predicted_pairs, true_pairs = _pairs(by_predicted), _pairs(by_true)
    hits = len(predicted_pairs & true_pairs)
    precision = hits / len(predicted_pairs) if predicted_pairs else 1.0
    recall = hits / len(true_pairs) if true_pairs else 1.0
    b_precision = b_recall = 0.0
    for key in keys:
        mine = set(by_predicted[predicted[key]])
        real = set(by_true[truth[key]])
        both = len(mine & real)
        b_precision += both / len(mine)
        b_recall += both / len(real)
    b_precision /= max(len(keys), 1)
    b_recall /= max(len(keys), 1)
    f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    return {"records": len(keys), "true_pairs": len(true_pairs), "predicted_pairs": len(predicted_pairs),
            "pairwise": {"precision": precision, "recall": recall, "f1": f1(precision, recall)},
            "bcubed": {"precision": b_precision, "recall": b_recall, "f1": f1(b_precision, b_recall)},
            "predicted_people": len(by_predicted), "true_people": len(by_true)}


def case_clusters() -> dict[tuple[str, str], str]:
    """(source, record_id) -> person id as the case holds it now (unlinked records stand alone)."""
    from mingdan.store.models import Record

    return {(source, record_id): person or f"{source}:{record_id}"
            for source, record_id, person in Record.objects.values_list("source__name", "record_id", "person__person_id")}


def review_band_share(truth: dict) -> float:
    """Share of the true pairs whose latest score fell in the review band."""
    from mingdan.store.models import LinkRun, PairLink, Record

    run = LinkRun.objects.order_by("-id").first()
    if run is None:
        return 0.0
    key = {pk: (source, rid) for pk, source, rid in Record.objects.values_list("pk", "source__name", "record_id")}
    by_true = defaultdict(list)
    for pk, k in key.items():
        if k in truth:
            by_true[truth[k]].append(pk)
    true_pairs = {tuple(sorted(p)) for p in _pairs(by_true)}
    in_review = {tuple(sorted(p)) for p in PairLink.objects.filter(run=run, band="review").values_list("record_a", "record_b")}
    return len(true_pairs & in_review) / len(true_pairs) if true_pairs else 0.0
