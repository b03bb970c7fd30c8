"""The open data's licence is chosen, never assumed; a release folder given as a relative path gets its PDF."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from mingdan.publish.release import ReleaseError, publish


def test_no_release_without_a_chosen_licence_and_the_choice_is_kept(db, tmp_path, no_pdf):
    from mingdan.store.case import init_case

    case = init_case(tmp_path / "case", setup_database=False)
    with pytest.raises(ReleaseError, match="choose the licence of the open data"):
        publish(case, tmp_path / "r1")
    assert not (tmp_path / "r1").exists()  # refused before anything is written
    with pytest.raises(ReleaseError, match="not one of the known ones"):
        publish(case, tmp_path / "r1", license="My-Own-Terms")
    first = publish(case, tmp_path / "r1", license="cc-by-sa-4.0")
    assert first["license"]["name"] == "CC-BY-SA-4.0"
    assert 'license = "CC-BY-SA-4.0"' in (case.root / "mingdan.toml").read_text("utf-8")
    second = publish(case, tmp_path / "r2")  # later releases use the case's choice
    package = json.loads((tmp_path / "r2" / "data" / "datapackage.json").read_text("utf-8"))
    assert package["licenses"] == [{"name": "CC-BY-SA-4.0", "title": "Creative Commons Attribution-ShareAlike 4.0",
                                    "path": "https://creativecommons.org/licenses/by-sa/4.0/"}]
    assert second["license"] == first["license"]
    manifest = json.loads((tmp_path / "r2" / "manifest.json").read_text("utf-8"))
    assert manifest["license"]["name"] == "CC-BY-SA-4.0"
    report = (tmp_path / "r2" / "report" / "index.html").read_text("utf-8")
    assert 'class="licence"' in report and "CC-BY-SA-4.0" in report
    case.set_setting("publish", "license_url", "https://example.org/terms")
    custom = publish(case, tmp_path / "r3", license="Our-Terms-1.0")
    assert custom["license"] == {"name": "Our-Terms-1.0", "title": "Our-Terms-1.0", "path": "https://example.org/terms"}


@pytest.mark.sqlite_file
@pytest.mark.slow
def test_the_command_line_asks_for_a_licence_then_prints_the_pdf_into_a_relative_folder(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL",
                                                            "MINGDAN_CHROMIUM")}
    env["COLUMNS"] = "200"
    run = lambda *args: subprocess.run([sys.executable, "-m", "mingdan.cli", *args], env=env, cwd=tmp_path,  # noqa: E731
                                       capture_output=True, text=True)
    assert run("init", "case").returncode == 0
    (tmp_path / "list.csv").write_text("record_id,name,event,consent_publish_name\n"
                                       + "".join(f"A{i},模拟壬{i},killed,同意\n" for i in range(6)), "utf-8")
    assert run("import", "list.csv", "--case", "case", "--source", "Families").returncode == 0
    refused = run("publish", "--case", "case", "--out", "release1")
    assert refused.returncode == 1 and "--license" in refused.stderr and "CC-BY-4.0" in refused.stderr
    assert not (tmp_path / "release1").exists()
    made = run("publish", "--case", "case", "--out", "release1", "--license", "CC-BY-4.0")
    assert made.returncode == 0, made.stderr
    assert "open data licence: CC-BY-4.0" in made.stdout
    assert "WARNING: the records have not been linked" in made.stderr  # nothing was linked: said, not hidden
    if shutil.which("chromium"):
        assert "PDF: release1/report/report.pdf" in made.stdout, made.stdout + made.stderr
        assert (tmp_path / "release1" / "report" / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert run("verify", "release1").returncode == 0
