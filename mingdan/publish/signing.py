"""Ed25519 signatures of a release's manifest, with the key kept in the case."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mingdan.store.case import Case

KEY_FILE = "release_signing.key"


def signing_key(case: Case) -> Ed25519PrivateKey:
    """The case's release signing key, created (mode 0600) on first use."""
    path = case.keys_dir / KEY_FILE
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        data = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


def sign(case: Case, release: Path) -> None:
    """Write manifest.sig and the public key beside manifest.json."""
    key = signing_key(case)
    manifest = (release / "manifest.json").read_bytes()
    (release / "manifest.sig").write_bytes(key.sign(manifest))
    (release / "public_key.pem").write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def verify(release: Path, public_key: Path | None = None) -> list[str]:
    """Problems with a release (empty when the signature and every file's hash check out)."""
    release = Path(release)
    problems = []
    manifest_path = release / "manifest.json"
    if not manifest_path.exists():
        return [f"{manifest_path}: missing"]
    key_path = public_key or release / "public_key.pem"
    key = serialization.load_pem_public_key(Path(key_path).read_bytes())
    assert isinstance(key, Ed25519PublicKey)
    try:
        key.verify((release / "manifest.sig").read_bytes(), manifest_path.read_bytes())
    except (InvalidSignature, FileNotFoundError):
        problems.append("manifest.json: the signature does not match (the manifest was changed or not signed by this key)")
    manifest = json.loads(manifest_path.read_text("utf-8"))
    for name, digest in manifest["files"].items():
        path = release / name
        if not path.exists():
            problems.append(f"{name}: missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{name}: changed since the release was signed")
    listed = set(manifest["files"]) | {"manifest.json", "manifest.sig", "public_key.pem"}
    for path in release.rglob("*"):
        if path.is_file() and str(path.relative_to(release)) not in listed:
            problems.append(f"{path.relative_to(release)}: not part of the signed release")
    return problems
