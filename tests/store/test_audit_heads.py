"""The audit checkpoint's two copies are rewritten in place by one write (a rename waited on the file system's
journal while an import's database went to disk, and every audited page queued behind it), never followed
through a link, never moved back."""

from __future__ import annotations

import os

from mingdan.store.audit_checkpoint import HEAD_BYTES, head_paths, latest, read_copies, write_heads

KEY = b"k" * 32
DIGEST = "a" * 64


def _states(root) -> list[str]:
    return [copy.state for copy in read_copies(root, KEY)]


def test_the_copies_are_rewritten_in_place_and_read_back(tmp_path):
    write_heads(tmp_path, KEY, 0, 1, DIGEST)
    assert _states(tmp_path) == ["ok", "ok"]
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in head_paths(tmp_path))
    inodes = [path.stat().st_ino for path in head_paths(tmp_path)]
    write_heads(tmp_path, KEY, 0, 2, "b" * 64)
    assert [path.stat().st_ino for path in head_paths(tmp_path)] == inodes  # the same files, written over
    assert all(path.stat().st_size == HEAD_BYTES for path in head_paths(tmp_path))
    assert _states(tmp_path) == ["ok", "ok"] and latest(read_copies(tmp_path, KEY))["digest"] == "b" * 64
    write_heads(tmp_path, KEY, 0, 1, DIGEST)  # an append that committed earlier never moves the checkpoint back
    assert latest(read_copies(tmp_path, KEY))["seq"] == 2


def test_a_link_in_a_copys_place_is_replaced_not_written_through(tmp_path):
    write_heads(tmp_path, KEY, 0, 1, DIGEST)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not the audit's")
    head = head_paths(tmp_path)[0]
    head.unlink()
    head.symlink_to(outside)
    write_heads(tmp_path, KEY, 0, 2, DIGEST, force=True)
    assert outside.read_text() == "not the audit's"
    assert not head.is_symlink() and _states(tmp_path) == ["ok", "ok"]


def test_a_copy_made_longer_is_cut_back_to_its_size(tmp_path):
    write_heads(tmp_path, KEY, 0, 1, DIGEST)
    keys_copy = head_paths(tmp_path)[1]
    with open(keys_copy, "ab") as out:
        out.write(b"x" * 5000)
    assert _states(tmp_path)[1] == "altered"
    write_heads(tmp_path, KEY, 0, 2, DIGEST, force=True)
    assert keys_copy.stat().st_size == HEAD_BYTES and _states(tmp_path) == ["ok", "ok"]
    assert os.path.getsize(head_paths(tmp_path)[0]) == HEAD_BYTES


def test_a_hard_link_to_a_file_elsewhere_is_replaced_not_written_through(tmp_path):
    # An outside tester (rt43) linked a copy to a file outside the case holding a valid checkpoint: it was rewritten.
    write_heads(tmp_path, KEY, 0, 1, DIGEST)
    head = head_paths(tmp_path)[0]
    outside = tmp_path / "outside.json"
    os.link(head, outside)
    before = outside.read_bytes()
    write_heads(tmp_path, KEY, 0, 2, DIGEST)
    assert outside.read_bytes() == before and head.stat().st_ino != outside.stat().st_ino
    assert _states(tmp_path) == ["ok", "ok"] and latest(read_copies(tmp_path, KEY))["seq"] == 2


def test_a_pipe_in_a_copys_place_is_named_and_replaced_without_waiting_for_a_reader(tmp_path):
    write_heads(tmp_path, KEY, 0, 1, DIGEST)
    keys_copy = head_paths(tmp_path)[1]
    keys_copy.unlink()
    os.mkfifo(keys_copy)
    assert _states(tmp_path) == ["ok", "not a file"]  # not "missing (deleted)": something is in its place
    head = head_paths(tmp_path)[0]
    head.unlink()
    head.symlink_to("/dev/zero")
    assert _states(tmp_path) == ["not a file", "not a file"]
    head.unlink()
    head.symlink_to(tmp_path / "nowhere")
    assert _states(tmp_path) == ["missing", "not a file"]
    write_heads(tmp_path, KEY, 0, 2, DIGEST, force=True)  # opened for writing, a pipe with no reader would block
    assert _states(tmp_path) == ["ok", "ok"] and keys_copy.is_file()


def test_a_folder_in_a_copys_place_fails_the_write_and_leaves_no_temporary_file(tmp_path):
    import pytest

    write_heads(tmp_path, KEY, 0, 1, DIGEST)
    head = head_paths(tmp_path)[0]
    head.unlink()
    head.mkdir()
    (head / "inside").write_text("x")
    with pytest.raises(OSError):
        write_heads(tmp_path, KEY, 0, 2, DIGEST, force=True)
    assert sorted(path.name for path in head.parent.iterdir()) == ["head.json", "head.lock"]
