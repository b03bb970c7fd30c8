"""Build a whole simulated case in other hands' styles and write it: the source files, a mapping
for each, truth.csv (source, record_id, person_id), people.csv, manifest.json and a README."""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

from . import writers
from .base import SourceFile
from .places import BY_ID
from .population import Person, make_population
from .readme import readme_text
from .style_custody import custody
from .styles_en import hongkong, international
from .styles_zh import families, mainland, taiwan

# Hong Kong goes before Taiwan: the Taiwan list copies from the Hong Kong press.
STYLES = [("d_hongkong", hongkong), ("a_mainland", mainland), ("b_taiwan", taiwan),
          ("c_international", international), ("e_custody", custody), ("f_families", families)]


@dataclass
class OtherHandsCase:
    """The true population and the lists written about it."""

    seed: int
    plain: bool
    people: list[Person]
    sources: list[SourceFile]

    @property
    def records(self) -> int:
        """Number of records over all lists."""
        return sum(len(s.truth) for s in self.sources)


def simulate(seed: int = 1, people: int = 3000, *, plain_values: bool = False) -> OtherHandsCase:
    """Simulate `people` true persons and six lists about them, deterministic per seed."""
    population = make_population(seed, people)
    ctx: dict = {"by_pid": {p.pid: p for p in population}}
    built = {key: build(random.Random(f"other-hands:{seed}:{key}"), population, plain_values, ctx)
             for key, build in STYLES}
    return OtherHandsCase(seed, plain_values, population, [built[k] for k in sorted(built)])


def _write_source(src: SourceFile, folder: Path) -> Path:
    path = folder / src.filename
    if src.fmt == "xlsx":
        writers.write_xlsx(path, src.header, src.rows, sheet=src.mapping.get("file", {}).get("sheet", "Sheet1"),
                           title=src.title)
    elif src.fmt == "csv":
        writers.write_csv(path, src.header, src.rows, encoding=src.encoding)
    elif src.fmt == "tsv16":
        writers.write_csv(path, src.header, src.rows, encoding="utf-16", delimiter="\t")
    else:
        records = [dict(zip(src.header, row)) for row in src.rows]
        meta = {"exported": "2012-05-30", "database": "simulated", "count": len(src.truth)}
        writers.write_json(path, records, wrapped=src.fmt == "json", meta=meta)
    writers.write_yaml(path.with_name(path.name + ".yaml"), src.mapping,
                       comment=f"Mapping for {src.filename} ({src.style}); written from docs/import.md.")
    return path


def write(case: OtherHandsCase, out: Path) -> list[Path]:
    """Write every file of the case into `out` (created if needed); returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for src in case.sources:
        path = _write_source(src, out)
        paths += [path, path.with_name(path.name + ".yaml")]
    counts: dict[str, int] = {}
    with open(out / "truth.csv", "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["source", "record_id", "person_id"])
        for src in case.sources:
            for rid, pid in src.truth:
                w.writerow([src.name, rid, pid])
                counts[pid] = counts.get(pid, 0) + 1
    with open(out / "people.csv", "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle, lineterminator="\n")
        w.writerow(["person_id", "category", "sex", "birth_year", "name_hans", "name_hant", "pinyin", "place_id",
                    "place", "relative_of", "relation", "events", "records"])
        for p in case.people:
            w.writerow([p.pid, p.category, p.sex, p.birth_year, p.hans, p.hant,
                        " ".join(p.surname.pinyin) + " " + " ".join(c.pinyin for c in p.given), p.place,
                        BY_ID[p.place].hans, p.relative_of, p.relation,
                        ";".join(f"{e.kind}@{e.date.isoformat()}" + (f"({'/'.join(map(str, e.sentence))})" if e.sentence else "")
                                 for e in p.events), counts.get(p.pid, 0)])
    manifest = {"generator": "mingdan.simulate.other_hands", "seed": case.seed, "people": len(case.people),
                "plain_values": case.plain, "records": case.records,
                "sources": [{"file": s.filename, "mapping": s.filename + ".yaml", "source": s.name, "kind": s.kind,
                             "style": s.style, "records": len(s.truth), "rows": len(s.rows)} for s in case.sources]}
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme_text(manifest), encoding="utf-8")
    return paths + [out / "truth.csv", out / "people.csv", out / "manifest.json", out / "README.md"]
