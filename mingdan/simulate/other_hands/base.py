"""What every source style shares: the file it becomes, who it records, and small chance helpers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .places import city_of
from .population import Event, Person


@dataclass
class SourceFile:
    """One simulated list: its rows in the source's own layout, its mapping and its truth."""

    key: str                     # file stem, e.g. a_mainland
    name: str                    # source name as the mapping declares it
    kind: str                    # official | court | ngo | press | family | other
    style: str                   # a short label of the hand that wrote it
    fmt: str                     # xlsx | csv | tsv16 | json | json_array
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    truth: list[tuple[str, str]] = field(default_factory=list)   # (record_id, person_id), one per record
    mapping: dict[str, Any] = field(default_factory=dict)
    title: str | None = None     # XLSX: a title row above the header
    encoding: str = "utf-8"
    description: str = ""

    @property
    def filename(self) -> str:
        """The file's name, extension by format."""
        ext = {"xlsx": "xlsx", "csv": "csv", "tsv16": "txt", "json": "json", "json_array": "json"}[self.fmt]
        return f"{self.key}.{ext}"


def chance(rng: random.Random, p: float) -> bool:
    """True with probability p."""
    return rng.random() < p


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    """A key drawn by weight."""
    return rng.choices(list(weights), list(weights.values()))[0]


def captured(rng: random.Random, person: Person, base: dict[str, float], *, outside_beijing: float = 1.0,
             boost: float = 1.0) -> bool:
    """Whether the source records the person: its base rate for the category, times the person's
    visibility (heterogeneous capture), times a factor outside Beijing and a dependence boost."""
    p = base.get(person.category, 0.0)
    if person.category == "relative" and not person.events:
        return False
    if city_of(person.place).id != "bj":
        p *= outside_beijing
    return rng.random() < min(0.97, p * person.visibility * boost)


def main_event(person: Person) -> Event:
    """The event a one-line list reports: the death, the disappearance, or the last custody step known."""
    for kind in ("killed", "disappeared"):
        for ev in person.events:
            if ev.kind == kind:
                return ev
    return person.events[-1]


def either(plain: bool, plain_value: Any, written_value: Any) -> Any:
    """The plain form or the written one; both are computed by the caller, so a case draws the
    same random numbers in both modes and differs only in how values are written."""
    return plain_value if plain else written_value


def died_of_wounds(person: Person) -> bool:
    """Killed after an injury on an earlier day."""
    return any(e.kind == "injured" for e in person.events)


def record_ids(prefix: str, width: int, start: int = 1):
    """Record ids in the source's own numbering."""
    n = start
    while True:
        yield f"{prefix}{n:0{width}d}" if width else f"{prefix}{n}"
        n += 1


def values_map(seen: dict[str, str]) -> dict[str, str]:
    """A `values` translation table in a stable order (as a user would list the distinct cells)."""
    return {k: seen[k] for k in sorted(seen)}
