"""Tables of many lists: each method gives a result or refuses with its reason; never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from mingdan.estimate import DGA, LCMCR, CaptureTable, EstimationError, LogLinear, TableError


def latent_class_table(lists: int, seed: int = 5, people: int = 3000) -> CaptureTable:
    """People in two latent classes, each list catching them with its own probability per class."""
    rng = np.random.default_rng(seed)
    hard = rng.random(people) < 0.7
    catch = np.where(hard[:, None], rng.uniform(0.02, 0.08, lists), rng.uniform(0.1, 0.4, lists))
    rows = rng.random((people, lists)) < catch
    seen = rows[rows.any(axis=1)].astype(int)
    return CaptureTable.from_individuals([f"L{j + 1}" for j in range(lists)], seen)


FIFTEEN = latent_class_table(15)


@pytest.mark.parametrize("estimator, reason", [
    (LogLinear(), "up to 5 lists"),
    (LogLinear(model="stepwise"), "more than the 12"),
    (LogLinear(model="stepwise-criterion"), "more than the 12"),
    (DGA(), "at most 5 lists"),
])
def test_methods_that_cannot_take_fifteen_lists_say_so(estimator, reason):
    with pytest.raises((EstimationError, TableError), match=reason):
        estimator.fit(FIFTEEN)


def test_a_given_model_on_fifteen_lists_is_fitted():
    fitted = LogLinear(model="[L1*L2]", interval="wald").fit(FIFTEEN)
    assert fitted.estimate_ > FIFTEEN.observed and fitted.df_ == 2 ** 15 - 1 - 17


def test_lcmcr_takes_fifteen_lists_and_forty():
    fitted = LCMCR(K=5, chains=2, burn_in=500, n_iter=200, thin=2, seed=1).fit(FIFTEEN)
    assert fitted.estimate_ > FIFTEEN.observed and np.isfinite(fitted.upper_)
    forty = latent_class_table(40, people=1500)
    with pytest.raises(TableError, match="full table is built for at most 20 lists"):
        forty.counts  # noqa: B018 - 2^40 cells are never built
    assert LCMCR(K=3, chains=1, burn_in=100, n_iter=50, thin=1, seed=2).fit(forty).estimate_ >= forty.observed
    assert len(forty.sha256()) == 64 and forty.list_sizes()["L40"] > 0


def test_the_command_line_refuses_without_a_traceback(tmp_path: Path):
    path = tmp_path / "fifteen.csv"
    lines = [",".join([*FIFTEEN.lists, "count"])]
    lines += [",".join([*map(str, row), str(count)]) for row, count in zip(FIFTEEN.cell_patterns, FIFTEEN.cell_counts)]
    path.write_text("\n".join(lines) + "\n")
    for method, extra in (("loglinear", []), ("dga", []), ("loglinear", ["--set", "model=stepwise"])):
        run = subprocess.run([sys.executable, "-m", "mingdan.cli", "estimate", "--table", str(path), "--method", method,
                              *extra], capture_output=True, text=True, timeout=300)
        assert run.returncode == 1 and "Traceback" not in run.stderr and run.stderr.startswith("error:")


def test_repeated_patterns_in_a_table_are_added_with_a_warning(tmp_path: Path):
    path = tmp_path / "twice.csv"
    path.write_text("A,B,C,count\n1,0,0,50\n0,1,0,40\n0,0,1,30\n1,1,0,10\n1,0,0,7\n1,1,1,3\n0,1,1,5\n1,0,1,6\n")
    table = CaptureTable.from_csv(path)
    assert table.counts[1] == 57 and len(table.warnings) == 1
    assert "lines 2, 6" in table.warnings[0] and "(50 + 7 = 57)" in table.warnings[0]
    assert LogLinear().fit(table).to_dict()["warnings"] == list(table.warnings)
    run = subprocess.run([sys.executable, "-m", "mingdan.cli", "estimate", "--table", str(path), "--method", "loglinear"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "warning:" in run.stdout and "lines 2, 6" in run.stdout
    # One row per person repeats patterns by nature: no warning.
    assert CaptureTable.from_text("A,B,C\n1,0,0\n1,0,0\n0,1,1\n").warnings == ()
