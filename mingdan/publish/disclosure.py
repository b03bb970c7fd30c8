"""Disclosure control: who may be named, which values may leave, which counts must be suppressed."""

from __future__ import annotations

from collections import defaultdict

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def consent_by_record() -> dict[int, str]:
    """record pk -> the latest consent status to publish the name."""
    from mingdan.store.models import Consent

    latest: dict[int, str] = {}
    for record, status in Consent.objects.filter(purpose="publish_name").order_by("recorded_at", "id").values_list(
            "record_id", "status"):
        latest[record] = status
    return latest


def nameable_people() -> tuple[dict[str, dict], dict[str, str]]:
    """People who may be named, with their public names; and for everyone else the reason they are not.

    A person is named only when some record's latest consent is granted, no record's latest
    consent is refused or withdrawn, and no record carries a risk note. Keys are internal (a
    person id, or SOURCE:RECORD for an unlinked record, "linked" false): a release shows the
    latter only as its public R- id (public_ids.py). Their name is chosen by
    the one rule every output uses (characters where any source wrote characters), from the
    public written forms of all their records only: a restricted or secret form is never read.
    """
    from mingdan.names.placeholders import is_placeholder
    from mingdan.store.models import Claim, Record
    from mingdan.store.names import person_names

    consent = consent_by_record()
    risky = set(Claim.objects.current().filter(field="risk", kind="exact").values_list("record_id", flat=True))
    people: dict[str, list[int]] = defaultdict(list)
    source_of: dict[int, str] = {}
    linked: set[str] = set()
    for pk, person, source, record_id in Record.objects.values_list("pk", "person__person_id", "source__name", "record_id"):
        people[person or f"{source}:{record_id}"].append(pk)
        source_of[pk] = source
        if person:
            linked.add(person)
    allowed: dict[str, dict] = {}
    withheld: dict[str, str] = {}
    candidates: dict[str, list[int]] = {}
    for person, records in people.items():
        statuses = [consent.get(r) for r in records]
        if any(r in risky for r in records):
            withheld[person] = "risk"
        elif any(s in ("refused", "withdrawn") for s in statuses):
            withheld[person] = "consent refused or withdrawn"
        elif "granted" not in statuses:
            withheld[person] = "no consent to publish"
        else:
            candidates[person] = records
    names = person_names(candidates)
    for person, records in candidates.items():
        if person not in names:
            withheld[person] = "no public name"
        elif is_placeholder(names[person].name):
            withheld[person] = "no name known (its records say the name is not known: 无名氏, 男尸3号, Unknown)"
        elif names[person].pseudonym:
            withheld[person] = "known only by a pseudonym (化名)"
        else:
            allowed[person] = {"name": names[person].name, "display": names[person], "records": records,
                               "sources": len({source_of[r] for r in records}), "linked": person in linked}
    return allowed, withheld
