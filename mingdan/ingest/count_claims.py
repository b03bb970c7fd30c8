"""Import published count claims ("727 killed, per X, as of Y") side by side, never merged."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from django.db import transaction
from django.db.models import Max

from mingdan.dates import DateError, normalize_digits, parse_date
from mingdan.store.case import Case
from mingdan.store.models import CountClaim, Document, Source

from .importer import _os_user, _store_original, case_keyring, sha256_of
from .mapping import SOURCE_KINDS
from .problems import ImportFailed, Problem
from .readers import open_table
from .source_names import CLAIMS_SOURCE

COLUMNS = ("metric", "scope", "as_of", "min", "best", "max", "includes", "source", "cited_in", "verification")
REQUIRED = ("metric", "scope", "as_of", "source")
OPTIONAL = ("method", "source_kind")
VERIFICATIONS = ("unverified", "corroborated", "confirmed", "contested", "retracted")


@dataclass
class CountClaimsResult:
    """What a count-claims import did."""

    file: str
    status: str
    sha256: str
    claims: int = 0

    def to_dict(self) -> dict:
        """JSON form."""
        return asdict(self)


def import_count_claims(case: Case, path: Path, *, encoding: str | None = None,
                        user: str | None = None) -> CountClaimsResult:
    """Import a CSV of published figures; all or nothing, and never twice."""
    path = Path(path)
    file = str(path)
    if not path.is_file():
        raise ImportFailed([Problem(file, None, None, "file not found")])
    digest = sha256_of(path)
    if Document.objects.filter(sha256=digest).exists():
        return CountClaimsResult(file=file, status="already imported", sha256=digest)
    table = open_table(path, encoding=encoding)
    problems = [Problem(file, 1, name, f"unknown column; expected {', '.join(COLUMNS + OPTIONAL)}")
                for name in table.header if name not in COLUMNS + OPTIONAL]
    problems += [Problem(file, 1, name, "required column is missing")
                 for name in REQUIRED if name not in table.header]
    if problems:
        raise ImportFailed(problems)
    parsed = []
    for row, cells in table.rows():
        values = dict(zip(table.header, (cell.strip() for cell in cells)))
        claim, row_problems = _parse_row(file, row, values)
        problems += row_problems
        if claim:
            parsed.append(claim)
    problems = sorted(problems + table.problems, key=lambda p: (p.row or 0))
    if problems:
        raise ImportFailed(problems)
    stored_as, _ = _store_original(case, path, digest, case_keyring(case))
    with transaction.atomic():
        holder, _ = Source.objects.get_or_create(name=CLAIMS_SOURCE, defaults={"kind": "other",
            "description": "files of published count claims, as imported"})
        version = (Document.objects.filter(source=holder).aggregate(v=Max("version"))["v"] or 0) + 1
        document = Document.objects.create(
            source=holder, version=version, original_name=path.name, sha256=digest,
            stored_as=stored_as, size=path.stat().st_size, file_format=table.file_format,
            encoding=table.encoding, mapping={"count_claims": table.header},
            fields_collected=list(table.header), row_count=len(parsed),
            imported_at=datetime.now(timezone.utc), imported_by=user or _os_user(),
        )
        sources = {}
        for claim in parsed:
            name, kind = claim.pop("source_name"), claim.pop("source_kind")
            if name not in sources:
                sources[name] = Source.objects.get_or_create(name=name, defaults={"kind": kind or "other"})[0]
                if kind and sources[name].kind == "other":
                    # "other" only ever means "not said yet": a file that says what the source is tells us.
                    Source.objects.filter(pk=sources[name].pk).update(kind=kind)
            CountClaim.objects.create(source=sources[name], document=document, **claim)
    return CountClaimsResult(file=file, status="imported", sha256=digest, claims=len(parsed))


def _parse_row(file: str, row: int, values: dict) -> tuple[dict | None, list[Problem]]:
    problems = []
    for name in REQUIRED:
        if not values.get(name):
            problems.append(Problem(file, row, name, f"{name} is empty"))
    numbers = {}
    for name in ("min", "best", "max"):
        text = normalize_digits(values.get(name, "")).replace(",", "")
        if not text:
            numbers[name] = None
            continue
        if not text.isdigit():
            reason = "a count cannot be negative" if text.startswith("-") and text[1:].isdigit() else "is not a whole number"
            problems.append(Problem(file, row, name, f"{values[name]!r}: {reason}"))
            continue
        numbers[name] = int(text)
    if not problems and all(v is None for v in numbers.values()):
        problems.append(Problem(file, row, "best", "no figure: give at least one of min, best, max"))
    known = [numbers[n] for n in ("min", "best", "max") if numbers.get(n) is not None]
    if known != sorted(known):
        problems.append(Problem(file, row, "min", f"min <= best <= max does not hold ({known})"))
    verification = values.get("verification") or "unverified"
    if verification not in VERIFICATIONS:
        problems.append(Problem(file, row, "verification", f"{verification!r} is not one of {', '.join(VERIFICATIONS)}"))
    kind = values.get("source_kind") or ""
    if kind and kind not in SOURCE_KINDS:
        problems.append(Problem(file, row, "source_kind", f"{kind!r} is not one of {', '.join(SOURCE_KINDS)}"))
    as_of = None
    if values.get("as_of"):
        try:
            as_of = parse_date(values["as_of"])
        except DateError as exc:
            problems.append(Problem(file, row, "as_of", str(exc)))
    if problems:
        return None, problems
    return {
        "metric": values["metric"], "scope": values["scope"], "as_of": as_of.text,
        "as_of_earliest": as_of.earliest, "as_of_latest": as_of.latest,
        "minimum": numbers["min"], "best": numbers["best"], "maximum": numbers["max"],
        "qualifier": values.get("includes", ""), "cited_in": values.get("cited_in", ""),
        "method": values.get("method", ""), "verification": verification, "row": row,
        "source_name": values["source"], "source_kind": kind,
    }, []
