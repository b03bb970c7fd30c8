"""Background work yields the processors to the server: by niceness, and across sessions by its session's group."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

SHOW = ("from mingdan.store.priority import lower; import os; lower(); "
        "print(open('/proc/self/autogroup').read().split()[-1], os.nice(0))")


@pytest.mark.skipif(not Path("/proc/self/autogroup").exists(), reason="the kernel has no autogroups")
def test_a_job_in_its_own_session_lowers_its_sessions_share_and_one_in_the_servers_leaves_the_servers_alone():
    own = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, check=True,
                         start_new_session=True).stdout.split()
    assert own == ["10", "10"]  # an import job: its own session, its group's niceness lowered as well
    before = Path("/proc/self/autogroup").read_text()
    shared = subprocess.run([sys.executable, "-c", SHOW], capture_output=True, text=True, check=True).stdout.split()
    assert shared[1] == "10" and Path("/proc/self/autogroup").read_text() == before  # the server's group untouched
