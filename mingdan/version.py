"""The code version recorded with every stored result."""

from __future__ import annotations

import subprocess
from pathlib import Path

from mingdan import __version__


def code_version() -> str:
    """The package version and, in a git checkout, the commit."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=Path(__file__).parent,
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{__version__}+{commit}" if commit else __version__
