"""Run the real command line in a child process, as a user would, away from the test's Django settings."""

from __future__ import annotations

import os
import subprocess
import sys


def mingdan(*args: str, check: bool = True, columns: int = 200) -> subprocess.CompletedProcess:
    """`python -m mingdan.cli ARGS` with a wide terminal; with `check`, a non-zero exit fails the test."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["COLUMNS"] = str(columns)
    result = subprocess.run([sys.executable, "-m", "mingdan.cli", *args], env=env, capture_output=True, text=True)
    if check:
        assert result.returncode == 0, result.stderr
    return result
