"""The publishing tests work on a case whose open-data licence has been chosen (the refusal is tested on its own)."""

from __future__ import annotations

import pytest


@pytest.fixture
def case(case):
    """The shared case fixture, with [publish] license chosen as a user would before the first release."""
    case.set_setting("publish", "license", "CC-BY-4.0")
    return case
