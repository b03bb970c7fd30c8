"""Reviewers' decisions as the clustering must take them: the latest on each pair, which ones contradict each
other, and which ones a run could not apply and why."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable


def latest_decisions() -> dict[tuple[int, int], dict]:
    """(lower pk, higher pk) -> the latest decision on that pair (decision, by, at)."""
    from mingdan.store.models import ReviewDecision

    latest: dict[tuple[int, int], dict] = {}
    for a, b, decision, by, at in (ReviewDecision.objects.order_by("decided_at", "id")
                                   .values_list("record_a", "record_b", "decision", "decided_by", "decided_at")):
        latest[(min(a, b), max(a, b))] = {"decision": decision, "by": by, "at": at}
    return latest


def _labels(pks) -> dict[int, str]:
    from mingdan.store.models import Record

    return {pk: f"{source}:{rid}" for pk, source, rid in
            Record.objects.filter(pk__in=set(pks)).values_list("pk", "source__name", "record_id")}


def _reach(start: int, same: set[tuple[int, int]]) -> dict[int, int]:
    """Every record 'same' decisions chain to start, each with the record it was reached from."""
    near: dict[int, set[int]] = defaultdict(set)
    for a, b in same:
        near[a].add(b)
        near[b].add(a)
    came = {start: start}
    frontier = [start]
    while frontier:
        following = []
        for record in frontier:
            for other in near[record] - came.keys():
                came[other] = record
                following.append(other)
        frontier = following
    return came


def _same_chain(start: int, goal: int, same: set[tuple[int, int]]) -> list[int] | None:
    """The records from start to goal along 'same' decisions, or None when no chain joins them."""
    came = _reach(start, same)
    if goal not in came:
        return None
    chain = [goal]
    while chain[-1] != start:
        chain.append(came[chain[-1]])
    return chain[::-1]


def _across(pairs, left: set[int], right: set[int]) -> list[tuple[int, int]]:
    """The pairs with one record in left and the other in right."""
    return [(x, y) for x, y in pairs if (x in left and y in right) or (x in right and y in left)]


def contradicting_decisions(a: int, b: int, decision: str) -> list[str]:
    """Earlier decisions on other pairs that the new one would contradict: a 'same' across a 'different' between
    the two groups it joins, or a 'different' between records that 'same' decisions chain together."""
    latest = {pair: d for pair, d in latest_decisions().items() if pair != (min(a, b), max(a, b))}
    same = {pair for pair, d in latest.items() if d["decision"] == "same"}
    found = []
    if decision == "same":
        # Only decisions chain: the model's links are redrawn by the next run, and a 'different' cuts them.
        different = {pair for pair, d in latest.items() if d["decision"] == "different"}
        against = [(pair, latest[pair]) for pair in
                   sorted(_across(different, set(_reach(a, same)), set(_reach(b, same))))]
        labels = _labels([x for pair, _ in against for x in pair])
        found += [f"{labels[x]} and {labels[y]} were decided different people by {d['by']} on {d['at']:%Y-%m-%d}, and "
                  "this 'same' would put them in one person: the 'different' is kept and this decision is not applied "
                  "(change that decision first)" for (x, y), d in against[:5]]
    elif decision == "different":
        chain = _same_chain(a, b, same)
        if chain:
            labels = _labels(chain)
            found.append("'same' decisions join them: " + " = ".join(labels[x] for x in chain)
                         + "; with this 'different' one of those decisions is not applied")
    return found


def not_applied(must: set[tuple[int, int]], cannot: set[tuple[int, int]], clusters: dict[int, tuple[int, float]],
                locked: dict[int, str | None] | None) -> list[dict]:
    """The 'same' decisions a clustering did not honour, each with why (a 'different' decision between the groups,
    or two people that already exist in an incremental run)."""
    missed = [(a, b) for a, b in sorted(must) if a in clusters and b in clusters and clusters[a][0] != clusters[b][0]]
    missed += [(a, b) for a, b in sorted(cannot) if a in clusters and b in clusters and clusters[a][0] == clusters[b][0]]
    if not missed:
        return []
    groups: dict[int, set[int]] = defaultdict(set)
    for record, (root, _) in clusters.items():
        groups[root].add(record)
    labels = _labels([x for pair in missed for x in pair] + [x for pair in cannot for x in pair])
    result = []
    for a, b in missed:
        decision = "same" if (a, b) in must else "different"
        why = "a chain of 'same' decisions joins them"
        if decision == "same":
            left, right = groups[clusters[a][0]], groups[clusters[b][0]]
            across = _across(sorted(cannot), left, right)
            if across:
                x, y = across[0]
                why = f"the 'different' decision on {labels[x]} and {labels[y]} keeps their groups apart"
            elif locked and locked.get(a) and locked.get(b) and locked[a] != locked[b]:
                why = (f"it joins two people that exist already ({locked[a]} and {locked[b]}), which an incremental "
                       "run never does: a full `mingdan link` applies it")
            else:
                why = "the clustering kept their groups apart"
        result.append({"a": labels.get(a, str(a)), "b": labels.get(b, str(b)), "decision": decision, "why": why})
    return result


def not_in_effect(a, b, decided: dict) -> str | None:
    """Why the latest decision on two records does not hold in the people as they are now, or None when it holds."""
    from mingdan.store.models import LinkRun, Record

    together = a.person_id is not None and a.person_id == b.person_id
    if decided["decision"] not in ("same", "different") or (decided["decision"] == "same") == together:
        return None
    run = LinkRun.objects.order_by("-id").first()
    if run is None or decided["at"] >= run.started:
        return "decided after the last run: the next `mingdan link` applies it"
    persons = {a.pk: a.person_id, b.pk: b.person_id}
    if decided["decision"] == "same":
        left = set(Record.objects.filter(person_id=persons[a.pk]).values_list("pk", flat=True)) if persons[a.pk] else {a.pk}
        right = set(Record.objects.filter(person_id=persons[b.pk]).values_list("pk", flat=True)) if persons[b.pk] else {b.pk}
        latest = latest_decisions()
        for x, y in _across([pair for pair, d in latest.items() if d["decision"] == "different"], left, right):
            labels, d = _labels((x, y)), latest[(x, y)]
            return (f"not applied: the 'different' decision on {labels[x]} and {labels[y]} ({d['by']}, "
                    f"{d['at']:%Y-%m-%d}) keeps their groups apart; change one of the two decisions")
        from mingdan.store.models import Membership

        if run.mode == "incremental" and all(Membership.objects.filter(record_id=pk, run_id__lt=run.pk).exists()
                                             for pk in (a.pk, b.pk)):
            return ("not applied: the last run was incremental, which never joins two people that exist already; "
                    "a full `mingdan link` applies it")
    return "not applied by the last run (see its warnings); a full `mingdan link` reports why"


def settled(pairs, latest: dict | None = None) -> set[tuple[int, int]]:
    """The pairs (lower pk, higher pk) that decisions already answer without deciding them: records a chain of 'same'
    decisions joins, or whose chains a 'different' decision keeps apart. Asking a reviewer again would only invite a
    decision that contradicts their own."""
    latest = latest_decisions() if latest is None else latest
    root = _joined([pair for pair, decided in latest.items() if decided["decision"] == "same"])
    apart = {frozenset((root(a), root(b))) for (a, b), d in latest.items() if d["decision"] == "different"}
    found = set()
    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra == rb or frozenset((ra, rb)) in apart:
            found.add((min(a, b), max(a, b)))
    return found


def not_chained(pairs: set[tuple[int, int]], must: set[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs whose records no chain of reviewers' 'same' joins: a rule's or the model's cannot-link yields to the
    chain as to the pair's own decision (two 'same' around a death before a detention were refused one, and the pair
    they answered left the queue unanswered: an outside tester)."""
    root = _joined(must)
    return {(a, b) for a, b in pairs if root(a) != root(b)}


def across_decisions(pairs: set[tuple[int, int]], must: set[tuple[int, int]],
                     linked: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The pairs of `pairs` (kept apart: the model's contradictions, rules, held pairs) that a chain of reviewers'
    "same" spans: each record is one of the chain's decided records or linked at auto-link (`linked`, not itself
    kept apart) to one, and the two decided records are not the same one.

    The reviewer who says D05 `Xu Jainhua` is A12 徐建华 says D05 is A12's person, which holds C06 `Tsui Kin Wah`
    linked to A12 at 0.993; C06 and D05 scored 0.085 together (a misspelling and a Hong Kong spelling read apart),
    and the clustering, taking the reviewer's pair first, split C06 off the person (an outside tester, rt47). Two
    records linked to one decided record only are left to the clustering: the decision says nothing of them."""
    if not pairs or not must:
        return set()
    root = _joined(must)
    decided = {record for pair in must for record in pair}
    sides: dict[int, set[int]] = {record: {record} for record in decided}
    for a, b in linked:
        if (min(a, b), max(a, b)) in pairs:
            continue
        if a in decided:
            sides.setdefault(b, set()).add(a)
        if b in decided:
            sides.setdefault(a, set()).add(b)
    return {(x, y) for x, y in pairs
            if any(one != other and root(one) == root(other) for one in sides.get(x, ()) for other in sides.get(y, ()))}


def _joined(pairs) -> Callable[[int], int]:
    """A record's representative once the given pairs are joined (union-find): equal for records a chain joins."""
    parent: dict[int, int] = {}

    def root(x: int) -> int:
        while parent.get(x, x) != x:
            parent[x] = parent.get(parent[x], parent[x])
            x = parent[x]
        return x

    for a, b in pairs:
        parent[root(a)] = root(b)
    return root


def unanswered(pairs) -> int:
    """How many of the pairs (record pks, either order) no decision answers: what the review queue will offer."""
    latest = latest_decisions()
    keys = [(min(int(a), int(b)), max(int(a), int(b))) for a, b in pairs]
    if not latest:
        return len(keys)
    answered = set(latest) | settled(keys, latest)
    return sum(1 for key in keys if key not in answered)


def current_runs() -> list[int]:
    """The runs whose pairs stand now: the latest full run and every incremental run after it (an incremental run
    scores only its new records' pairs, so the pairs of the runs before it still wait where they were)."""
    from mingdan.store.models import LinkRun

    full = LinkRun.objects.filter(mode="full").order_by("-id").values_list("pk", flat=True).first()
    runs = LinkRun.objects.all() if full is None else LinkRun.objects.filter(pk__gte=full)
    return list(runs.order_by("id").values_list("pk", flat=True))


def review_links():
    """The review-band pairs standing now (current_runs), each at its latest run's score only: an incremental run
    once left out of the queue every pair of the full run before it (an outside tester: 37 pairs gone)."""
    from django.db.models import Exists, OuterRef

    from mingdan.store.models import PairLink

    runs = current_runs()
    later = PairLink.objects.filter(run_id__in=runs, run_id__gt=OuterRef("run_id"))
    # One subquery per order of the pair, not an OR of both: each finds its rows by an index (record_a's, record_b's),
    # where the OR scanned the later runs' pairs for every review pair (0.13 s of a 1,000-record incremental run).
    return (PairLink.objects.filter(run_id__in=runs, band="review")
            .exclude(Exists(later.filter(record_a=OuterRef("record_a"), record_b=OuterRef("record_b"))))
            .exclude(Exists(later.filter(record_a=OuterRef("record_b"), record_b=OuterRef("record_a")))))
