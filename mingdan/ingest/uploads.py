"""Files to import that never lie on disk in clear: sealed uploads, and plaintext held in memory only.

An upload is sealed chunk by chunk as it arrives (store.crypto.SealedStream) into the case's
private incoming/ folder. To import it, its plaintext is put in an anonymous memory file
(memfd) and the importer (and its worker process) read it through a symbolic link, in a private
folder of the case, that carries the original name; nothing in clear reaches /tmp or the disk,
and a killed process leaves only a dangling link, removed at the next start.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mingdan.store.case import Case
from mingdan.store.crypto import Keyring, SealedStream, reveal_stream
from mingdan.store.private import private_folder

#: Prefix of the folders that hold a memory file's link while it is imported.
VIEW_PREFIX = ".view-"


def _safe_name(name: str) -> str:
    """The file's own name, without folders or characters a link name cannot hold."""
    name = Path(name.replace("\\", "/")).name.replace("\x00", "")
    return name[-150:] or "upload"


@contextmanager
def memory_file(case: Case, name: str, chunks: Iterable[bytes]) -> Iterator[Path]:
    """A path named `name` whose contents (the chunks) exist only in this process's memory."""
    descriptor = os.memfd_create("mingdan-import", os.MFD_CLOEXEC)
    folder = case.incoming_dir / f"{VIEW_PREFIX}{os.getpid()}-{secrets.token_hex(6)}"
    try:
        with os.fdopen(os.dup(descriptor), "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        private_folder(case.incoming_dir)
        folder.mkdir(mode=0o700)
        link = folder / _safe_name(name)
        # /proc/PID (not /proc/self): the import's worker process reads the same file through the link.
        os.symlink(f"/proc/{os.getpid()}/fd/{descriptor}", link)
        yield link
    finally:
        for path in folder.glob("*") if folder.exists() else []:
            path.unlink()
        if folder.exists():
            folder.rmdir()
        os.close(descriptor)


class SealedUpload:
    """A new file of the case's incoming folder, sealed chunk by chunk as bytes are written to it."""

    def __init__(self, case: Case, keyring: Keyring):
        private_folder(case.incoming_dir)
        self.name = f"upload-{secrets.token_hex(12)}.sealed"
        self.path = case.incoming_dir / self.name
        self.size = 0
        self.handle = os.fdopen(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        self.stream = SealedStream(keyring, self.handle)

    def write(self, data: bytes) -> None:
        """Seal more bytes of the upload."""
        self.stream.write(data)
        self.size += len(data)

    def close(self) -> None:
        """Seal the rest; the file is complete."""
        self.stream.close()
        self.handle.close()

    def abort(self) -> None:
        """Remove the partial file (an interrupted upload)."""
        self.handle.close()
        self.path.unlink(missing_ok=True)


def seal_upload(case: Case, keyring: Keyring, chunks: Iterable[bytes]) -> tuple[str, int]:
    """Seal bytes into a new file of the case's incoming folder; its name and the plaintext size."""
    upload = SealedUpload(case, keyring)
    try:
        for chunk in chunks:
            upload.write(chunk)
    except BaseException:
        upload.abort()
        raise
    upload.close()
    return upload.name, upload.size


def sealed_chunks(case: Case, keyring: Keyring, name: str) -> Iterator[bytes]:
    """The plaintext of a sealed upload, chunk by chunk (checked: altered or cut files are refused)."""
    with open(case.incoming_dir / _safe_name(name), "rb") as handle:
        yield from reveal_stream(keyring, handle)
