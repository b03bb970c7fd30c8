"""Simulate a case and write its source files, mapping files and truth."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import yaml

from .families import make_families
from .harassment_lists import HarassmentLists, harassment_lists, write_harassment_lists
from .layouts import LAYOUTS, Row
from .population import TruePerson, make_people
from .sources import STYLES, SourceStyle, captures


@dataclass
class SimulationSettings:
    """Every knob of a simulation; the same settings give byte-identical files."""

    seed: int = 7
    people: int = 3000
    sources: int = 5  # 1-5: court judgments, Hong Kong list, press, diaspora list, families
    shares: tuple[float, float, float] = (0.4, 0.5, 0.1)  # killed, detained, missing
    duplicate_rate: float = 0.02  # a person listed twice within one list
    families: bool = True  # relatives and harassment, written apart in families/ (docs/harassment.md)


@dataclass
class SimulatedCase:
    """The truth and what each source recorded."""

    settings: SimulationSettings
    people: list[TruePerson]
    styles: list[SourceStyle]
    rows: dict[str, list[Row]] = field(default_factory=dict)  # source key -> rows
    harassment: HarassmentLists | None = None


def simulate_case(settings: SimulationSettings) -> SimulatedCase:
    """Draw the people, who each source records, and the rows each source writes."""
    if not 1 <= settings.sources <= len(STYLES):
        raise ValueError(f"sources must be between 1 and {len(STYLES)}")
    rng = np.random.default_rng(settings.seed)
    people = make_people(rng, settings.people, settings.shares)
    styles = STYLES[: settings.sources]
    matrix = captures(rng, people, styles)
    case = SimulatedCase(settings=settings, people=people, styles=styles)
    for j, style in enumerate(styles):
        layout = LAYOUTS[style.key]
        rows: list[Row] = []
        number = 0
        for i in np.flatnonzero(matrix[:, j]):
            copies = 2 if rng.random() < settings.duplicate_rate and not style.custody_rows else 1
            for _ in range(copies):
                number += 1
                rows += layout.rows(rng, people[i], f"{style.key.upper()}-{number:06d}")
        case.rows[style.key] = rows
    if settings.families:
        # Its own random stream, so the victims' lists stay byte-identical with or without families.
        family_rng = np.random.default_rng([settings.seed, 17])
        victim_records: dict[str, tuple[str, str]] = {}
        for style in styles:
            for row in case.rows[style.key]:
                victim_records.setdefault(row.person_id, (style.name, row.record_id))
        harassed = make_families(family_rng, people, set(victim_records))
        case.harassment = harassment_lists(family_rng, harassed, victim_records)
    return case


def write_case(case: SimulatedCase, out_dir: Path, progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Write every source file, its mapping, truth.csv, truth.json, people.csv and count_claims.csv."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    truth = []
    for done, style in enumerate(case.styles, start=1):
        layout = LAYOUTS[style.key]
        rows = case.rows[style.key]
        path = out / f"list_{style.key}.{style.file_format}"
        layout.write(path, rows, style)
        mapping = path.with_suffix(".yaml")
        mapping.write_text(yaml.safe_dump(layout.mapping(style), allow_unicode=True, sort_keys=False), "utf-8")
        written += [path, mapping]
        seen = set()
        for row in rows:
            if row.record_id not in seen:
                seen.add(row.record_id)
                truth.append((style.name, row.record_id, row.person_id))
        if progress:
            progress(done, len(case.styles))
    with open(out / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["source", "record_id", "person_id"])
        writer.writerows(truth)
    with open(out / "people.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["person_id", "category", "name", "sex", "age", "place", "stratum"])
        for p in case.people:
            writer.writerow([p.person_id, p.category, p.name, p.sex, p.age, p.place, p.stratum])
    totals = {c: sum(p.category == c for p in case.people) for c in ("killed", "detained", "missing")}
    listed = {person_id for _, _, person_id in truth}
    summary = {
        "settings": asdict(case.settings), "people": len(case.people), "by_category": totals,
        "by_stratum": {str(s): sum(p.stratum == s for p in case.people) for s in sorted({p.stratum for p in case.people})},
        "listed_people": len(listed), "unlisted_people": len(case.people) - len(listed),
        "records_per_source": {style.name: len({r.record_id for r in case.rows[style.key]}) for style in case.styles},
    }
    (out / "truth.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2) + "\n", "utf-8")
    _write_count_claims(out / "count_claims.csv", totals)
    (out / "README.md").write_text(_README.format(seed=case.settings.seed, people=len(case.people)), "utf-8")
    if case.harassment is not None:
        # Apart from the victims' lists, so that a folder of lists is still the five lists it was.
        written += write_harassment_lists(case.harassment, out / "families")
    return [*written, out / "truth.csv", out / "truth.json", out / "people.csv", out / "count_claims.csv"]


def write_canonical(n_records: int, path: Path, seed: int = 7) -> Path:
    """One canonical CSV of n_records single-event records, fast, for the import benchmark."""
    rng = np.random.default_rng(seed)
    people = make_people(rng, min(n_records, 20_000), (0.4, 0.5, 0.1))
    layout = LAYOUTS["a"]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(layout.header)
        for index in range(n_records):
            person = people[index % len(people)]
            row = layout.rows(rng, person, f"R{index + 1:07d}", main_event_only=True)[0]
            writer.writerow(row.cells)
    return Path(path)


def _write_count_claims(path: Path, totals: dict[str, int]) -> None:
    rows = [
        ("killed", "simulated episode", "1989-06-06", "", round(totals["killed"] * 0.2), "", "official toll", "Simulated ministry", "Simulated Daily 7 June", "unverified", "official"),
        ("killed", "simulated episode", "1989-06-21", round(totals["killed"] * 0.6), "", round(totals["killed"] * 1.2), "hospital estimate", "Simulated hospitals", "Simulated Post 21 June", "unverified", "press"),
        ("killed", "simulated episode", "1989-06", "", totals["killed"] * 3, "", "attributed, later denied", "Simulated Red Cross", "Simulated wire", "retracted", "ngo"),
        ("detained", "simulated episode", "1990", round(totals["detained"] * 0.7), "", "", "at least", "Simulated NGO", "Simulated report 1990", "unverified", "ngo"),
        ("missing", "simulated episode", "1991", "", round(totals["missing"] * 0.5), "", "named by families", "Simulated families' group", "Simulated appeal 1991", "unverified", "family"),
    ]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["metric", "scope", "as_of", "min", "best", "max", "includes", "source", "cited_in", "verification", "source_kind"])
        writer.writerows(rows)


_README = """# A simulated case (seed {seed}, {people} people)

Made by `mingdan simulate`. Nobody here is real.

- `list_*.csv|xlsx|json`: what each source recorded, in its own layout; `list_*.yaml`: the
  mapping that imports it (`mingdan import list_b.csv --mapping list_b.yaml`).
- `truth.csv`: source, record_id -> the true person_id. `truth.json`: true totals.
- `people.csv`: the true people. `count_claims.csv`: invented published figures.
- `families/`: relatives' and participants' harassment (`list_f.csv`, `list_g.csv` with their
  mappings), its `truth.csv` and `truth_harassment.json` (counts per year, relatives, restrictions).
"""
