"""Generated lists import with today's importer (--plain-values), and link and evaluate."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from oh_helpers import read_truth, run_case

from mingdan.simulate.other_hands import simulate, write
from mingdan.simulate.other_hands.score import _read, score

MINGDAN = str(Path(sys.executable).with_name("mingdan"))
pytestmark = pytest.mark.slow


def test_plain_values_import_link_and_evaluate(tmp_path):
    out, case = tmp_path / "sim", str(tmp_path / "case")
    sim = simulate(21, 250, plain_values=True)
    write(sim, out)
    imports = [["import", str(out / s.filename), "--mapping", str(out / (s.filename + ".yaml")), "--case", case]
               for s in sim.sources]
    results = run_case(["init", case], *imports, ["link", "--case", case, "--clusters-out", str(tmp_path / "c.csv")],
                       ["evaluate", "--case", case, "--truth", str(out / "truth.csv")])
    for src, res in zip(sim.sources, results[1:]):
        assert f"records new {len(src.truth):,}" in res["output"], res["output"]
    total = len(read_truth(out / "truth.csv"))
    assert f"{total:,} records" in results[-1]["output"]
    result = score(_read(out / "truth.csv"), _read(tmp_path / "c.csv"))
    assert 0.0 <= result["pairwise"]["recall"] <= 1.0 and len(result["by_source_pair"]) >= 10


def test_the_command_line_simulates_in_other_hands_style(tmp_path):
    done = subprocess.run([MINGDAN, "simulate", "--style", "other-hands", "--plain-values", "--seed", "4",
                           "--people", "120", "--out", str(tmp_path / "s")], capture_output=True, text=True)
    assert done.returncode == 0 and "records in 6 lists" in done.stdout
    assert (tmp_path / "s" / "truth.csv").exists() and (tmp_path / "s" / "README.md").exists()
    done = subprocess.run([MINGDAN, "simulate", "--plain-values", "--out", str(tmp_path / "t")],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--style other-hands only" in done.stderr
