"""A case is a folder; its database is created and migrated on first use."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mingdan.store.case import CaseError, init_case, open_case


def test_init_creates_the_folder_layout(tmp_path):
    case = init_case(tmp_path / "c", name='Beijing "1989"', setup_database=False)
    assert {p.name for p in case.root.iterdir()} >= {"mingdan.toml", "originals", "keys", "releases"}
    assert oct(case.keys_dir.stat().st_mode & 0o777) == "0o700"
    assert case.name == 'Beijing "1989"'
    assert case.setting("disclosure", "min_cell") == 5


def test_init_twice_keeps_the_settings(tmp_path):
    case = init_case(tmp_path / "c", name="first", setup_database=False)
    (case.root / "mingdan.toml").write_text((case.root / "mingdan.toml").read_text().replace("min_cell = 5", "min_cell = 10"))
    again = init_case(tmp_path / "c", name="second", setup_database=False)
    assert (again.name, again.setting("disclosure", "min_cell")) == ("first", 10)


def test_opening_a_folder_that_is_not_a_case_says_what_to_do(tmp_path):
    with pytest.raises(CaseError, match="is not a mingdan case .* mingdan init"):
        open_case(tmp_path, setup_database=False)


def test_broken_settings_file_is_reported(tmp_path):
    (tmp_path / "mingdan.toml").write_text("[case\nname=", "utf-8")
    with pytest.raises(CaseError, match="not valid TOML"):
        open_case(tmp_path, setup_database=False)


@pytest.mark.sqlite_file
def test_the_embedded_database_is_created_and_migrated(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run([sys.executable, "-m", "mingdan.cli", "init", str(tmp_path / "c")], env=env, check=True, capture_output=True)
    import sqlite3

    with sqlite3.connect(tmp_path / "c" / "mingdan.sqlite3") as connection:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"mingdan_claim", "mingdan_record", "mingdan_countclaim", "mingdan_consent"} <= tables
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_setting_is_written_into_the_toml_keeping_its_comments_and_read_back(tmp_path):
    from mingdan.store.case import CONFIG_FILE, init_case, open_case

    case = init_case(tmp_path / "case", setup_database=False)
    assert case.setting("publish", "license") is None  # no licence is ever assumed
    case.set_setting("publish", "license", "CC-BY-4.0")
    case.set_setting("publish", "publisher", 'A "families" group')
    text = (case.root / CONFIG_FILE).read_text("utf-8")
    assert "# The licence of the open data" in text and "min_cell = 5" in text
    again = open_case(case.root, setup_database=False)
    assert again.setting("publish", "license") == "CC-BY-4.0"
    assert again.setting("publish", "publisher") == 'A "families" group'
    again.set_setting("publish", "license", "CC0-1.0")  # replaced, not added twice
    lines = (case.root / CONFIG_FILE).read_text("utf-8").splitlines()
    assert [line for line in lines if line.startswith("license")] == ['license = "CC0-1.0"']
    again.set_setting("newsection", "key", "value")
    assert open_case(case.root, setup_database=False).setting("newsection", "key") == "value"
