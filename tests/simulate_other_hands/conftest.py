"""Generated cases shared by the tests of the second generator (generated once per session)."""

from __future__ import annotations

import pytest

from mingdan.simulate.other_hands import simulate, write


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """A case as written (default mode), 2,000 people, seed 11."""
    out = tmp_path_factory.mktemp("oh_written")
    write(simulate(11, 2000), out)
    return out


@pytest.fixture(scope="session")
def plain(tmp_path_factory):
    """The same case with --plain-values."""
    out = tmp_path_factory.mktemp("oh_plain")
    write(simulate(11, 2000, plain_values=True), out)
    return out
