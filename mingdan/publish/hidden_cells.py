"""The true values of the cells a release hid, kept in the case's keys folder for the next release's audit.

The next release must not give back a small cell that this one hid (a complement hidden here and
published there, beside an unchanged total). To check, it needs the values hidden here: they are
kept privately (keys/hidden_cells/<release sha256>.json, mode 0600), never in a release.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from mingdan.store.case import Case

FOLDER = "hidden_cells"


def keep(case: Case, release_sha256: str, values: dict[tuple, int]) -> Path:
    """Write the hidden cells' true values of one release (0600)."""
    folder = case.keys_dir / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    path = folder / f"{release_sha256}.json"
    text = json.dumps(sorted([list(key), value] for key, value in values.items()), ensure_ascii=False)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
    return path


def kept(case: Case, release: Path) -> dict[tuple, int] | None:
    """The hidden cells' values of an earlier release, or None when this case did not keep them."""
    try:
        sha = json.loads((Path(release) / "manifest.json").read_text("utf-8"))["release_sha256"]
        entries = json.loads((case.keys_dir / FOLDER / f"{sha}.json").read_text("utf-8"))
    except (OSError, ValueError, KeyError):
        return None
    return {tuple(key): value for key, value in entries}
