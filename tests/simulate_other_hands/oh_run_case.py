"""Run several `mingdan` commands on one case in one process (a process serves one case), so a
test pays Django's start-up once. Usage: python oh_run_case.py '[["init", "CASE"], ["import", ...]]'
Prints one JSON line: [{"args": [...], "exit_code": n, "output": "..."}, ...]; stops at the first failure."""

from __future__ import annotations

import json
import sys

from typer.testing import CliRunner

from mingdan.cli import app


def main() -> None:
    """Run the commands given as a JSON list of argument lists."""
    runner, results = CliRunner(), []
    for args in json.loads(sys.argv[1]):
        res = runner.invoke(app, args)
        results.append({"args": args, "exit_code": res.exit_code, "output": res.output})
        if res.exit_code != 0:
            break
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
