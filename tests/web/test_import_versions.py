"""A new version of a list supersedes every current value of the list: an editor may not replace values it may
not read (secret ones), so such an upload is refused with a reason and nothing changes; an admin may."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from .live import PASSWORD, Browser, Server, mingdan

pytestmark = [pytest.mark.sqlite_file, pytest.mark.slow]
SECRET = "SECRET-NOTE-V1-9QZ"


def _finished(browser: Browser, path: str) -> str:
    for _ in range(240):
        page = browser.get(path)[1]
        if 'data-state="failed"' in page or 'data-state="done"' in page:
            return page
        time.sleep(0.5)
    raise AssertionError(page[-1500:])


def _current_notes(case: Path) -> list[str]:
    with sqlite3.connect(case / "mingdan.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT sensitivity FROM mingdan_claim WHERE field = 'notes' "
                                             "AND superseded_in_id IS NULL ORDER BY id")]


def _case_with_a_secret_note(tmp_path, file: str, source: str):
    """A case whose one record holds a secret note, imported from FILE.csv as SOURCE; an editor and an admin."""
    case = tmp_path / "case"
    mingdan("init", case)
    first = tmp_path / f"{file}.csv"
    first.write_text(f"record_id,name,notes\nS1,王小明,{SECRET}\n", "utf-8")
    mapping = tmp_path / f"{file}.yaml"
    mapping.write_text(f"source: {{name: {source}}}\ncolumns:\n  record_id: record_id\n  name: name\n"
                       "  notes: {field: notes, sensitivity: secret}\n", "utf-8")
    mingdan("import", first, "--case", case, "--mapping", mapping)
    for name, role in (("ed", "editor"), ("ad", "admin")):
        mingdan("users", "add", name, "--role", role, "--case", case, stdin=PASSWORD + "\n")
    return case, first


def test_an_editor_may_not_supersede_values_it_may_not_read(tmp_path):
    case, _ = _case_with_a_secret_note(tmp_path, "v1", "Witness list")
    second = tmp_path / "v2.csv"
    second.write_text("record_id,name,notes\nS1,王小明,\n", "utf-8")
    assert _current_notes(case) == ["secret"]
    server = Server(case)
    try:
        editor = Browser(server.base)
        assert editor.login("ed") == 302
        status, _, headers = editor.post("/import", {"source": "Witness list"},
                                         files={"file": (second.name, second.read_bytes())})
        assert status == 302
        page = _finished(editor, headers["Location"])
        assert 'data-state="failed"' in page and "your role may not read" in page and "nothing was imported" in page
        assert _current_notes(case) == ["secret"]  # the secret note is still the current one
        # Under another source name it is a new list, and nothing is replaced.
        status, _, headers = editor.post("/import", {"source": "Witness list (copy)"},
                                         files={"file": (second.name, second.read_bytes())})
        assert 'data-state="done"' in _finished(editor, headers["Location"])
        admin = Browser(server.base)
        assert admin.login("ad") == 302
        third = b"record_id,name,notes\nS1,\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e,corrected\n"  # not the same file again
        status, _, headers = admin.post("/import", {"source": "Witness list"}, files={"file": ("v3.csv", third)})
        assert 'data-state="done"' in _finished(admin, headers["Location"])
        assert "secret" not in _current_notes(case)
    finally:
        server.stop()


def test_an_identical_file_under_another_source_does_not_name_a_source_the_uploader_cannot_see(tmp_path):
    case, first = _case_with_a_secret_note(tmp_path, "secret", "Secret witnesses")
    server = Server(case)
    try:
        for user, named in (("ed", False), ("ad", True)):
            browser = Browser(server.base)
            assert browser.login(user) == 302
            status, _, headers = browser.post("/import", {"source": "My copy"},
                                              files={"file": ("mine.csv", first.read_bytes())})
            page = _finished(browser, headers["Location"])
            assert "this exact file was imported into the case before; nothing was added" in page
            assert ("Secret witnesses" in page) is named, user
    finally:
        server.stop()
