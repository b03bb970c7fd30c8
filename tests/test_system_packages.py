"""`make test` and `make demo` on a fresh machine: Debian's packages installed as root, else one command to run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "system-packages"


def run(*args: str, missing: str = "", uid: str | None = None, command=None) -> subprocess.CompletedProcess:
    env = {**os.environ, "MINGDAN_PRETEND_MISSING": missing}
    if uid is not None:
        env["MINGDAN_PRETEND_UID"] = uid
    return subprocess.run(command or [str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)


def test_a_user_who_is_not_root_is_told_the_one_command_to_run():
    result = run("test", missing="chromium fonts-noto-cjk poppler-utils", uid="1000")
    assert result.returncode == 2 and result.stdout == ""
    commands = [line.strip() for line in result.stderr.splitlines() if "apt-get" in line]
    assert commands == ["sudo apt-get install -y chromium fonts-noto-cjk poppler-utils"]
    demo = run("demo", missing="chromium fonts-noto-cjk poppler-utils openjdk-17-jre-headless", uid="1000")
    assert [line.strip() for line in demo.stderr.splitlines() if "apt-get" in line] == [
        "sudo apt-get install -y fonts-noto-cjk chromium"]  # the demo needs the font and the PDF's printer only


def test_root_installs_what_is_missing_and_nothing_else():
    result = run("test", "--dry-run", missing="openjdk-17-jre-headless postgresql", uid="0")
    assert result.returncode == 0
    assert result.stdout.strip() == "would run: apt-get install -y openjdk-17-jre-headless postgresql"


def test_nothing_is_done_when_everything_is_there():
    # This machine has the packages (they are found by what they provide: commands, fonts).
    for purpose in ("test", "demo"):
        result = run(purpose, "--dry-run", uid="1000")
        assert (result.returncode, result.stdout, result.stderr) == (0, "", ""), result.stderr


def test_make_stops_at_once_before_building_anything_and_ci_runs_only_make_test():
    started = run(missing="fonts-noto-cjk", uid="1000", command=["make", "--no-print-directory", "test"])
    assert started.returncode != 0 and "sudo apt-get install -y fonts-noto-cjk" in started.stderr
    assert "pytest" not in started.stdout + started.stderr and "pip" not in started.stdout
    demo = run(missing="fonts-noto-cjk", uid="1000", command=["make", "--no-print-directory", "demo"])
    assert demo.returncode != 0 and "sudo apt-get install -y fonts-noto-cjk" in demo.stderr
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and not line.startswith("#")]
    assert ci[-1] == "exec make test" and not any("apt-get" in line for line in ci)
