"""The audit key is never made up: once the log is keyed, a missing key is an error that names it and how to
restore it (`audit verify`, `serve`, any command); a key given in MINGDAN_AUDIT_KEY at init gets its checkpoint."""

from __future__ import annotations

import base64
import subprocess
import sys

import pytest

from .live import PASSWORD, Browser, Server, case_with_a_login, env, mingdan

pytestmark = [pytest.mark.sqlite_file]


def _run(*args, extra: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env={**env(), **(extra or {})},
                          capture_output=True, text=True, timeout=120)


def test_a_missing_audit_key_is_an_error_and_never_made_again(tmp_path):
    case = case_with_a_login(tmp_path)
    key = case / "keys" / "audit.key"
    saved = key.read_bytes()
    key.unlink()
    for command in (("audit", "verify"), ("serve", "--port", "1")):
        result = _run(*command, "--case", case)
        assert result.returncode != 0, command
        assert "audit key is missing" in result.stderr and str(key) in result.stderr, result.stderr
        assert "restore" in result.stderr and "MINGDAN_AUDIT_KEY" in result.stderr
        assert not key.exists(), command  # never regenerated
    # With the checkpoint gone too, the keyed entries still say the log had a key.
    head = case / "audit" / "head.json"
    checkpoint = head.read_bytes()
    head.unlink()
    result = _run("audit", "verify", "--case", case)
    assert result.returncode != 0 and "audit key is missing" in result.stderr and not key.exists()
    head.write_bytes(checkpoint)
    key.write_bytes(saved)
    key.chmod(0o600)
    assert _run("audit", "verify", "--case", case).returncode == 0


def test_init_with_the_key_in_the_environment_writes_a_consistent_checkpoint(tmp_path):
    case = tmp_path / "case"
    secret = {"MINGDAN_AUDIT_KEY": base64.b64encode(b"k" * 32).decode()}
    assert _run("init", case, extra=secret).returncode == 0
    assert (case / "audit" / "head.json").is_file()
    assert not (case / "keys" / "audit.key").exists()  # the key stays where it was given
    result = subprocess.run([sys.executable, "-m", "mingdan.cli", "users", "add", "ada", "--role", "admin",
                             "--case", str(case)], env={**env(), **secret}, input=PASSWORD + "\n",
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    server = Server(case, extra_env=secret)
    try:
        assert Browser(server.base).login("ada") == 302
    finally:
        server.stop()
    verified = _run("audit", "verify", "--case", case, extra=secret)
    assert verified.returncode == 0, verified.stderr
