"""Running `mingdan` as a user does, in a real process, for the command-line tests."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args) -> subprocess.CompletedProcess:
    """`python -m mingdan.cli ARGS` outside the test's Django settings, wide enough that lines do not wrap."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["COLUMNS"] = "300"
    return subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env=env, capture_output=True,
                          text=True)


def mingdan(*args) -> str:
    """Its standard output; the test fails with its standard error unless it succeeds."""
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout
