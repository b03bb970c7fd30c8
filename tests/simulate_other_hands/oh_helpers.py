"""For the tests: read the generator's files back with ordinary tools (csv, json, openpyxl), and run
mingdan commands on one case in a fresh process."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import yaml


def read_rows(path: Path, mapping: dict) -> tuple[list[str], list[dict]]:
    """The header and the rows (as dicts) of a generated or hand-typed file."""
    encoding = (mapping.get("file") or {}).get("encoding")
    delimiter = (mapping.get("file") or {}).get("delimiter", ",")
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).active
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        if len([v for v in values[0] if v is not None]) == 1 and len(values[1]) > 1:
            values = values[1:]                     # a title row above the header
        header = [str(h) for h in values[0]]
        return header, [dict(zip(header, r)) for r in values[1:]]
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["records"] if isinstance(data, dict) else data
        return list(records[0]), records
    raw = path.read_bytes()
    text = raw.decode(encoding or ("utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"))
    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    header = rows[0]
    return header, [dict(zip(header, r)) for r in rows[1:]]


def load_mapping(path: Path) -> dict:
    """A mapping file."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def id_column(mapping: dict) -> str:
    """The column a mapping reads record ids from."""
    return next(col for col, spec in mapping["columns"].items()
                if spec == "record_id" or isinstance(spec, dict) and spec.get("field") == "record_id")


def column_of(mapping: dict, field: str) -> str | None:
    """The column a mapping reads `field` from, if any."""
    for col, spec in mapping["columns"].items():
        if spec == field or isinstance(spec, dict) and spec.get("field") == field:
            return col
    return None


def read_truth(path: Path) -> list[dict]:
    """truth.csv rows."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


RUNNER = str(Path(__file__).with_name("oh_run_case.py"))


def run_case(*commands: list[str]) -> list[dict]:
    """Run mingdan commands on one case in one fresh process; every one must succeed."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}  # the case sets up Django itself
    done = subprocess.run([sys.executable, RUNNER, json.dumps(commands)], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for r in results:
        assert r["exit_code"] == 0, r
    assert len(results) == len(commands)
    return results
