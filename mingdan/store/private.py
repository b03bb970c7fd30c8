"""A case's private folders and database files: its own, inside the case, readable by the owner only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .case import CaseError


def _refusal(path: Path, found: os.stat_result, wanted: str) -> CaseError:
    if stat.S_ISLNK(found.st_mode):
        what = f"a symbolic link (to {os.readlink(path)})"
    else:
        what = "not a folder" if wanted == "folder" else "not a regular file"
    return CaseError(
        f"{path} is {what}: a case's private {wanted}s are its own, inside the case, and never followed out of it "
        f"(nothing was written or changed there); move it aside and put the {wanted} itself in its place "
        "(`mv`, not `ln -s`)")


def private_folder(path: Path) -> Path:
    """Make sure `path` is a real folder (not a link), mode 0700, creating it if absent; else a CaseError naming it.

    A private folder replaced by a link to somewhere else made every command chmod that outside folder
    and the server write its locks and checkpoint there (an outside tester, rt43).
    """
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass  # made meanwhile by another process: checked below like any other
        found = os.lstat(path)
    if not stat.S_ISDIR(found.st_mode):  # lstat: a link, even to a folder, is not a folder
        raise _refusal(path, found, "folder")
    if stat.S_IMODE(found.st_mode) != 0o700:
        os.chmod(path, 0o700)
    return path


def private_file(path: Path, create: bool = False) -> None:
    """Make sure `path`, if present (or created when `create`), is a regular file of mode 0600 and not a link."""
    if create:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            pass
    try:
        found = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(found.st_mode):
        raise _refusal(path, found, "file")
    if stat.S_IMODE(found.st_mode) != 0o600:
        os.chmod(path, 0o600)
