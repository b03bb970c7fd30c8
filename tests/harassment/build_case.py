"""Build a case folder from a simulated folder: every list through the real import, records linked by the truth.

Run as a script (python build_case.py SIM CASE) so the test's own process needs no database.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def build(sim: Path, case_dir: Path) -> None:
    """Import the five victims' lists and the two families' lists, then link records as the truth says."""
    from mingdan.api import import_file, init_case
    from mingdan.demo import demo_lists

    case = init_case(case_dir, name="harassment test (simulated)")
    lists = demo_lists(sim) + demo_lists(sim / "families")
    for path, mapping in lists:
        import_file(case, path, mapping_path=mapping)
    from mingdan.store.models import Person, Record

    truth = []
    for folder in (sim, sim / "families"):
        with open(folder / "truth.csv", encoding="utf-8") as handle:
            truth += [(r["source"], r["record_id"], r["person_id"]) for r in csv.DictReader(handle)]
    people = {pid: Person.objects.create(person_id=pid) for pid in sorted({pid for _, _, pid in truth})}
    records = {(r.source.name, r.record_id): r for r in Record.objects.select_related("source")}
    for source, record_id, pid in truth:
        records[(source, record_id)].person = people[pid]
    Record.objects.bulk_update(records.values(), ["person"])


if __name__ == "__main__":
    build(Path(sys.argv[1]), Path(sys.argv[2]))
