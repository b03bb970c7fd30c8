"""What changed since the previous release: people named (by public id), published counts, files (by hash)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from mingdan.store.case import Case

LOG = "releases.json"
KEYED = {"accounting": "category", "counts_by_place": "place_id", "sources": "source"}
#: Columns that explain a row rather than count: not a published count that changed.
NOT_COUNTS = {"blank_cells"}
#: A row's name for a reader, where its key is a code: counts_by_place's place_id -> its place in English and Chinese.
ROW_NAMES = {"counts_by_place": {"en": "place", "zh": "place_zh"}}
NOT_COMPARED = {"changes.json", "manifest.json", "manifest.sig", "public_key.pem"}


def previous_release(case: Case, out: Path) -> Path | None:
    """The newest earlier release the case knows of (in its log or kept under releases/), or None."""
    candidates: set[Path] = set()
    log = case.releases_dir / LOG
    if log.exists():
        candidates |= {Path(entry["path"]) for entry in json.loads(log.read_text("utf-8"))}
    names = case.releases_dir / "published_names.json"
    if names.exists():  # releases made before the log existed recorded their folder here
        candidates |= {Path(path) for path in json.loads(names.read_text("utf-8")).values()}
    if case.releases_dir.is_dir():
        candidates |= {p for p in case.releases_dir.iterdir() if p.is_dir()}
    here = Path(out).resolve()
    found = [(_manifest(p).get("created", ""), str(p), p) for p in candidates
             if p.resolve() != here and (p / "manifest.json").is_file()]
    return max(found)[2] if found else None


def record_release(case: Case, out: Path, manifest: dict) -> None:
    """Add this release to the case's log of releases, so the next one can compare with it."""
    log = case.releases_dir / LOG
    entries = json.loads(log.read_text("utf-8")) if log.exists() else []
    entries.append({"path": str(Path(out).resolve()), "created": manifest["created"],
                    "release_sha256": manifest["release_sha256"]})
    case.releases_dir.mkdir(exist_ok=True)
    log.write_text(json.dumps(entries, indent=1) + "\n", "utf-8")


def compare(previous: Path | None, out: Path, reason: str = "", public=None) -> dict:
    """People, counts and data files that differ between the previous release and this one (files in out/data).

    public: the case's PublicIds, to read an earlier release's SOURCE:RECORD ids as the R- ids they now are.
    """
    if previous is None:
        return {"previous": None, "reason": reason or "no earlier release of this case was found"}
    from .signing import verify

    previous = Path(previous)
    if not (previous / "manifest.json").is_file():
        raise FileNotFoundError(f"{previous} is not a release folder (no manifest.json)")
    earlier = _manifest(previous)
    problems = verify(previous)
    shown = public.of_published if public is not None else (lambda pid: pid)
    old_people = {shown(row["person_id"]) for row in _rows(previous, "named_people")}
    new_people = {row["person_id"] for row in _rows(out, "named_people")}
    counts = []
    for table, key in KEYED.items():
        counts += _cell_changes(table, key, _rows(previous, table), _rows(out, table))
    rows = {table: {"old": len(_rows(previous, table)), "new": len(_rows(out, table))}
            for table in ("named_people", "count_claims", *KEYED)}
    return {
        "previous": {"folder": previous.name, "created": earlier.get("created"), "as_of": earlier.get("as_of"),
                     "release_sha256": earlier.get("release_sha256"), "verified": not problems,
                     "problems": problems[:20]},
        "people_named": {"old": len(old_people), "new": len(new_people), "added": sorted(new_people - old_people),
                         "removed": sorted(old_people - new_people)},
        "rows": rows,
        "counts": counts,
        "files": file_changes({f: h for f, h in earlier.get("files", {}).items() if f.startswith("data/")},
                              _hashes(out, "data")),
    }


def file_changes(old: dict[str, str], new: dict[str, str]) -> dict:
    """Files added, removed and changed between two {path: sha256} maps (manifest and signature files left out)."""
    old = {k: v for k, v in old.items() if k not in NOT_COMPARED}
    new = {k: v for k, v in new.items() if k not in NOT_COMPARED}
    return {"added": [{"file": f, "sha256": new[f]} for f in sorted(set(new) - set(old))],
            "removed": [{"file": f, "sha256": old[f]} for f in sorted(set(old) - set(new))],
            "changed": [{"file": f, "old": old[f], "new": new[f]} for f in sorted(set(old) & set(new)) if old[f] != new[f]],
            "unchanged": sum(1 for f in set(old) & set(new) if old[f] == new[f])}


def complete_files(changes: dict, previous: Path | None, out: Path) -> dict:
    """The file comparison over the whole release (report and PDF included), once everything is written."""
    if changes.get("previous") is not None and previous is not None:
        changes["files"] = file_changes(_manifest(previous).get("files", {}), _hashes(out))
    return changes


def summary(changes: dict) -> dict:
    """The short form recorded in manifest.json."""
    if changes.get("previous") is None:
        return {"previous": None, "reason": changes.get("reason")}
    files = changes["files"]
    return {"previous": changes["previous"]["release_sha256"], "previous_verified": changes["previous"]["verified"],
            "people_added": len(changes["people_named"]["added"]),
            "people_removed": len(changes["people_named"]["removed"]), "counts_changed": len(changes["counts"]),
            "files_added": len(files["added"]), "files_removed": len(files["removed"]),
            "files_changed": len(files["changed"])}


def _cell_changes(table: str, key: str, old_rows: list[dict], new_rows: list[dict]) -> list[dict]:
    # A release made before a table's key column was renamed is keyed by its first column.
    old = {(row[key] if key in row else next(iter(row.values()))): row for row in old_rows}
    new = {(row[key] if key in row else next(iter(row.values()))): row for row in new_rows}
    found = []
    for row in sorted(set(old) | set(new)):
        columns = [c for c in (new.get(row) or old[row]) if c != key and c not in NOT_COUNTS]
        named = {language: (new.get(row) or old[row]).get(column) for language, column in ROW_NAMES.get(table, {}).items()}
        for column in columns:
            before = _value(old[row][column]) if row in old and column in old[row] else "absent"
            after = _value(new[row][column]) if row in new and column in new[row] else "absent"
            if before != after and not _same_blank(before, after):
                found.append({"table": table, "row": row, "column": column, "old": before, "new": after,
                              **({"row_name": named} if named and all(named.values()) else {})})
    return found


def _same_blank(before, after) -> bool:
    """Releases before the cells said why they were blank wrote '' for both: not a change of value."""
    return {before, after} <= {BLANK, "suppressed", "none"} and BLANK in {before, after}


BLANK = "suppressed or none"


def _value(text: str | None):
    if text is None or text == "":
        return BLANK
    try:
        return int(text)
    except ValueError:
        return text


def _rows(release: Path, table: str) -> list[dict]:
    path = release / "data" / f"{table}.csv"
    if not path.exists():
        return []
    with open(path, encoding="utf-8", newline="") as handle:
        return [row for row in csv.DictReader(handle) if list(row) != ["empty"]]


def _hashes(release: Path, under: str = "") -> dict[str, str]:
    import hashlib

    root = release / under if under else release
    return {str(p.relative_to(release)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _manifest(release: Path) -> dict:
    try:
        return json.loads((release / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError):
        return {}
