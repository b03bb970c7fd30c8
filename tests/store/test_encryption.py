"""Restricted and secret values are sealed at rest: no file of the case but the key reveals them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.sqlite_file

MARKERS = {"name": "机密名字甲", "place": "秘密地点乙", "notes": "证人住在丙楼", "risk": "家属受监视丁",
           "date": "1989-06-17"}


def mingdan(*args: str, env_extra: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(env_extra or {})
    result = subprocess.run([sys.executable, "-m", "mingdan.cli", *args], env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def files_of(folder: Path, skip: Path):
    for path in folder.rglob("*"):
        if path.is_file() and path != skip:
            yield path, path.read_bytes()


@pytest.fixture
def sealed_case(tmp_path):
    case = tmp_path / "case"
    mingdan("init", str(case))
    data = tmp_path / "list.csv"
    data.write_text(
        "id,name,place,when,what,notes,risk\n"
        f"S1,{MARKERS['name']},{MARKERS['place']},{MARKERS['date']},detained,{MARKERS['notes']},{MARKERS['risk']}\n"
        "S2,王伟,北京,1989-06-04,killed,,\n", "utf-8")
    mapping = tmp_path / "list.yaml"
    mapping.write_text(
        "source: {name: Protected list}\n"
        "columns:\n"
        "  id: record_id\n"
        "  name: {field: name, sensitivity: secret}\n"
        "  place: {field: place, sensitivity: restricted}\n"
        "  when: {field: event_date, sensitivity: restricted}\n"
        "  what: event\n"
        "  notes: notes\n"
        "  risk: risk\n", "utf-8")
    mingdan("import", str(data), "--mapping", str(mapping), "--case", str(case))
    return case


def test_no_file_of_the_case_but_the_key_holds_a_restricted_value(sealed_case):
    key = sealed_case / "keys" / "data.key"
    assert key.stat().st_mode & 0o777 == 0o600
    for path, content in files_of(sealed_case, skip=key):
        for field, marker in MARKERS.items():
            if field == "date":
                continue  # dates are digits that may occur anywhere; checked through the API below
            assert marker.encode("utf-8") not in content, (path, field)
    shown = json.loads(mingdan("show", "S1", "--case", str(sealed_case), "--json").stdout)
    values = {claim["field"]: claim["value"] for claim in shown["claims"]}
    assert values["name"] == MARKERS["name"] and values["notes"] == MARKERS["notes"]
    assert values["risk"] == MARKERS["risk"] and values["event_date"] == MARKERS["date"]
    assert shown["events"][0]["place"] == MARKERS["place"] and shown["events"][0]["date"] == MARKERS["date"]
    assert shown["events"][0]["earliest"] is None  # no derived bound leaks a restricted date
    public = {claim["field"]: claim["value"] for claim in json.loads(
        mingdan("show", "S2", "--case", str(sealed_case), "--json").stdout)["claims"]}
    assert public["name"] == "王伟"


def test_a_copy_without_the_key_reveals_nothing_and_says_why(sealed_case, tmp_path):
    copy = tmp_path / "stolen"
    shutil.copytree(sealed_case, copy)
    (copy / "keys" / "data.key").unlink()
    failed = mingdan("show", "S1", "--case", str(copy), "--json", check=False)
    assert failed.returncode != 0 and MARKERS["name"] not in failed.stdout + failed.stderr
    assert "key" in failed.stderr
    # Importing into it must not quietly start a second key beside the lost one.
    extra = tmp_path / "more.csv"
    extra.write_text("record_id,name,event\nX1,李强,killed\n", "utf-8")
    refused = mingdan("import", str(extra), "--case", str(copy), check=False)
    assert refused.returncode != 0 and "key" in refused.stderr
    assert not (copy / "keys" / "data.key").exists()


def test_rotation_reseals_everything_and_the_old_key_no_longer_opens_it(sealed_case, tmp_path):
    old_key = (sealed_case / "keys" / "data.key").read_text()
    before = {p.name: c for p, c in files_of(sealed_case / "originals", skip=Path("/"))}
    done = mingdan("keys", "rotate", "--case", str(sealed_case)).stdout
    assert "re-sealed" in done and "1 original files" in done
    after = {p.name: c for p, c in files_of(sealed_case / "originals", skip=Path("/"))}
    assert before.keys() == after.keys() and all(before[n] != after[n] for n in before)
    shown = json.loads(mingdan("show", "S1", "--case", str(sealed_case), "--json").stdout)
    assert {c["field"]: c["value"] for c in shown["claims"]}["notes"] == MARKERS["notes"]
    (sealed_case / "keys" / "data.key").write_text(old_key)
    stale = mingdan("show", "S1", "--case", str(sealed_case), "--json", check=False)
    assert stale.returncode != 0 and MARKERS["notes"] not in stale.stdout
