"""Encryption at rest: restricted and secret values, and the stored originals, sealed with the case key.

The key lives outside the database: in the case's keys/data.key (mode 0600) or in the
environment variable MINGDAN_DATA_KEY. Values are sealed with AES-SIV, which is deterministic:
equal plaintexts give equal ciphertexts, so a value can still be compared with another without
being revealed (needed to tell a changed value from a repeated one across versions). Files are
sealed with AES-256-GCM. A database copied without the key reveals no restricted value.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM, AESSIV
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "enc1:"
FILE_MAGIC = b"MINGDAN-ENC1\n"
STREAM_MAGIC = b"MINGDAN-ENC2\n"
#: Plaintext bytes per chunk of a sealed stream.
STREAM_CHUNK = 1 << 20
KEY_FILE = "data.key"
ENV_KEY = "MINGDAN_DATA_KEY"  # "kid:base64" of a 64-byte key; overrides the key file


class CaseKeyError(Exception):
    """The case key is missing or does not open a sealed value; the message says what to do."""


@dataclass(frozen=True)
class Keyring:
    """The case's keys by id; new values are sealed with the current one."""

    current: str
    keys: dict[str, bytes]

    def seal(self, text: str) -> str:
        """The sealed form of a text value."""
        return self.seal_with(self.current, text)

    def seal_with(self, kid: str, text: str) -> str:
        """The sealed form of a text value under one key of the ring (filters match every key's form)."""
        return _sealed(self.keys[kid], kid, text)

    def reveal(self, text: str) -> str:
        """The plaintext of a sealed value (other text is returned as it is)."""
        if not is_sealed(text):
            return text
        kid, _, token = text[len(PREFIX):].partition(":")
        if kid not in self.keys:
            raise CaseKeyError(f"a value is sealed with key {kid!r}, which this case's key file does not hold")
        return AESSIV(self.keys[kid]).decrypt(base64.urlsafe_b64decode(token), None).decode("utf-8")

    def seal_bytes(self, data: bytes) -> bytes:
        """A sealed file: magic, key id, nonce, AES-GCM ciphertext."""
        nonce = secrets.token_bytes(12)
        kid = self.current.encode("ascii")
        body = AESGCM(_file_key(self.keys[self.current])).encrypt(nonce, data, FILE_MAGIC + kid)
        return FILE_MAGIC + bytes([len(kid)]) + kid + nonce + body

    def reveal_bytes(self, data: bytes) -> bytes:
        """The plaintext of a sealed file (other bytes are returned as they are)."""
        if not data.startswith(FILE_MAGIC):
            return data
        at = len(FILE_MAGIC)
        size = data[at]
        kid = data[at + 1: at + 1 + size]
        nonce = data[at + 1 + size: at + 13 + size]
        if kid.decode("ascii") not in self.keys:
            raise CaseKeyError(f"a file is sealed with key {kid.decode()!r}, which this case's key file does not hold")
        return AESGCM(_file_key(self.keys[kid.decode("ascii")])).decrypt(nonce, data[at + 13 + size:], FILE_MAGIC + kid)


@functools.lru_cache(maxsize=4096)
def _sealed(key: bytes, kid: str, text: str) -> str:
    # Deterministic, so kept: a search page sealed every event type under every key (30 AES-SIV runs) per
    # request. Nothing is kept that the process does not already hold with the key itself.
    token = AESSIV(key).encrypt(text.encode("utf-8"), None)
    return f"{PREFIX}{kid}:{base64.urlsafe_b64encode(token).decode('ascii')}"


class SealedStream:
    """Writes a file sealed chunk by chunk as its bytes arrive (an upload is never on disk in clear).

    Each chunk is AES-256-GCM with a nonce made of a random prefix and the chunk's number; the
    last chunk is marked in its associated data, so a reordered, repeated or cut file is refused.
    """

    def __init__(self, keyring: Keyring, handle):
        self.kid = keyring.current.encode("ascii")
        self.aead = AESGCM(_file_key(keyring.keys[keyring.current]))
        self.prefix = secrets.token_bytes(8)
        self.handle = handle
        self.number = 0
        self.buffer = bytearray()
        handle.write(STREAM_MAGIC + bytes([len(self.kid)]) + self.kid + self.prefix)

    def write(self, data: bytes) -> None:
        """Add plaintext bytes."""
        self.buffer += data
        while len(self.buffer) > STREAM_CHUNK:
            self._chunk(bytes(self.buffer[:STREAM_CHUNK]), last=False)
            del self.buffer[:STREAM_CHUNK]

    def close(self) -> None:
        """Seal what is left as the last chunk (the handle stays open)."""
        self._chunk(bytes(self.buffer), last=True)
        self.buffer.clear()

    def _chunk(self, data: bytes, last: bool) -> None:
        nonce = self.prefix + self.number.to_bytes(4, "big")
        body = self.aead.encrypt(nonce, data, STREAM_MAGIC + self.kid + bytes([last]))
        self.handle.write(len(body).to_bytes(4, "big") + body)
        self.number += 1


def reveal_stream(keyring: Keyring, handle):
    """The plaintext chunks of a file written by SealedStream; raises ValueError if it was altered or cut."""
    from cryptography.exceptions import InvalidTag

    head = handle.read(len(STREAM_MAGIC) + 1)
    if not head.startswith(STREAM_MAGIC) or len(head) < len(STREAM_MAGIC) + 1:
        raise ValueError("not a sealed stream")
    kid = handle.read(head[-1])
    if kid.decode("ascii") not in keyring.keys:
        raise CaseKeyError(f"a file is sealed with key {kid.decode()!r}, which this case's key file does not hold")
    aead, prefix, number = AESGCM(_file_key(keyring.keys[kid.decode("ascii")])), handle.read(8), 0
    while True:
        size = handle.read(4)
        if len(size) < 4:
            raise ValueError("the sealed file is cut short")
        body = handle.read(int.from_bytes(size, "big"))
        nonce = prefix + number.to_bytes(4, "big")
        try:
            data = aead.decrypt(nonce, body, STREAM_MAGIC + kid + b"\x00")
            last = False
        except InvalidTag:
            try:
                data = aead.decrypt(nonce, body, STREAM_MAGIC + kid + b"\x01")
            except InvalidTag:
                raise ValueError("the sealed file was altered") from None
            last = True
        yield data
        number += 1
        if last:
            if handle.read(1):
                raise ValueError("the sealed file has bytes after its last chunk")
            return


def is_sealed(text: str | None) -> bool:
    """True for a value sealed by seal()."""
    return bool(text) and text.startswith(PREFIX)


def _file_key(key: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"mingdan original files").derive(key)


def new_key() -> bytes:
    """A fresh 512-bit AES-SIV key."""
    return AESSIV.generate_key(512)


def key_path(case_root: Path) -> Path:
    """Where a case keeps its key file."""
    return Path(case_root) / "keys" / KEY_FILE


def load_keyring(case_root: Path, create: bool = False) -> Keyring:
    """The case's keyring: from MINGDAN_DATA_KEY, else keys/data.key (created when asked)."""
    if os.environ.get(ENV_KEY):
        kid, _, encoded = os.environ[ENV_KEY].partition(":")
        if not encoded:
            raise CaseKeyError(f"{ENV_KEY} must be 'KEY_ID:BASE64_KEY'")
        return Keyring(kid, {kid: base64.b64decode(encoded)})
    path = key_path(case_root)
    if not path.exists():
        if not create:
            raise CaseKeyError(f"no key file {path}: restricted values cannot be read; restore the key file "
                            f"or set {ENV_KEY}")
        write_keyring(case_root, Keyring("k1", {"k1": new_key()}))
    data = json.loads(path.read_text("utf-8"))
    return Keyring(data["current"], {kid: base64.b64decode(v) for kid, v in data["keys"].items()})


def write_keyring(case_root: Path, keyring: Keyring) -> Path:
    """Write the key file atomically, readable by its owner only."""
    path = key_path(case_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump({"current": keyring.current,
                   "keys": {kid: base64.b64encode(k).decode("ascii") for kid, k in keyring.keys.items()}}, handle)
    os.replace(temporary, path)
    return path


_ACTIVE: dict[str, Keyring] = {}


def activate(case_root: Path) -> Keyring:
    """Make this case's keyring the one reveal() uses (the case open in this process)."""
    keyring = load_keyring(case_root, create=True)
    _ACTIVE["case"] = keyring
    _MISSING.pop("case", None)
    return keyring


_MISSING: dict[str, Path] = {}


def deactivate(case_root: Path) -> None:
    """Remember that the case open in this process has no key, to say so when a value is read."""
    _ACTIVE.pop("case", None)
    _MISSING["case"] = key_path(case_root)


def reveal(text: str | None) -> str | None:
    """The plaintext of a value of the case open in this process."""
    if not is_sealed(text):
        return text
    return active().reveal(text)


def active() -> Keyring:
    """The keyring of the case open in this process."""
    if "case" not in _ACTIVE:
        if "case" in _MISSING:
            raise CaseKeyError(f"this case's key file {_MISSING['case']} is missing, so its restricted values "
                               f"cannot be read; restore the key file or set {ENV_KEY}")
        raise CaseKeyError("no case is open in this process: open the case before reading restricted values")
    return _ACTIVE["case"]
