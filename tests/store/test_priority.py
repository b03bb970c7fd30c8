"""Background work yields the processors to the server: by niceness, and across sessions by its session's group."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHOW = ("from mingdan.store.priority import lower; import os; lower(); "
        "from pathlib import Path; p = Path('/proc/self/autogroup'); "
        "group = (p.read_text().split() or ['-'])[-1] if p.exists() else '-'; print(group, os.nice(0))")


def _grouped() -> bool:
    """Whether the kernel schedules this process by session groups (a process in its own cgroup shows none)."""
    path = Path("/proc/self/autogroup")
    return path.exists() and bool(path.read_text().strip())


def _lowered(**popen) -> list[str]:
    return subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, check=True,
                          **popen).stdout.split()


def test_background_work_runs_at_a_lower_niceness_in_its_own_session_or_the_servers():
    assert _lowered(start_new_session=True)[1] == "10"
    assert _lowered()[1] == "10"


@pytest.mark.skipif(not _grouped(), reason="the kernel does not schedule this process by session groups")
def test_a_job_in_its_own_session_lowers_its_sessions_share_and_one_in_the_servers_leaves_the_servers_alone():
    assert _lowered(start_new_session=True) == ["10", "10"]  # an import job: its group's niceness lowered too
    before = Path("/proc/self/autogroup").read_text()
    assert _lowered()[1] == "10" and Path("/proc/self/autogroup").read_text() == before  # the server's untouched
