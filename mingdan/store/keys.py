"""Key rotation: re-seal every sealed value and original with a new key, then retire the old ones."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.db import transaction

from .case import Case
from .import_lock import import_lock
from .crypto import (FILE_MAGIC, PREFIX, STREAM_MAGIC, Keyring, SealedStream, activate, load_keyring, new_key,
                     reveal_stream, write_keyring)

#: Every column that may hold a sealed value.
SEALED_COLUMNS = (
    ("Claim", "value"), ("Claim", "normalized"), ("Name", "text"),
    ("Event", "event_type"), ("Event", "place"), ("Event", "date_edtf"), ("CustodyEvent", "facility"),
    ("CustodyEvent", "sentence_kind"), ("CustodyEvent", "term"), ("CustodyEvent", "reprieve"),
    ("NameKey", "key"), ("Account", "totp_secret"), ("ImportJob", "outcome"),
)


def rotate(case: Case) -> dict[str, int]:
    """Seal everything with a fresh key; old keys stay in the key file until nothing uses them."""
    with import_lock(case):  # no import reads an upload or writes a value sealed with the old key meanwhile
        return _rotate(case)


def _rotate(case: Case) -> dict[str, int]:
    from django.apps import apps

    old = load_keyring(case.root)
    kid = f"k{secrets.token_hex(4)}"
    both = Keyring(kid, {**old.keys, kid: new_key()})
    # Written first: a crash at any later point leaves every value readable with this file.
    write_keyring(case.root, both)
    counts: dict[str, int] = {}
    with transaction.atomic():
        for model_name, column in SEALED_COLUMNS:
            model = apps.get_model("mingdan", model_name)
            changed = []
            for pk, text in model.objects.filter(**{f"{column}__startswith": PREFIX}).values_list("pk", column).iterator():
                changed.append(model(pk=pk, **{column: both.seal(both.reveal(text))}))
            model.objects.bulk_update(changed, [column], batch_size=2000)
            counts[f"{model_name}.{column}"] = len(changed)
    counts["originals"] = _reseal_files(case.originals_dir, both)
    counts["uploads"] = _reseal_files(case.incoming_dir, both)
    write_keyring(case.root, Keyring(kid, {kid: both.keys[kid]}))
    activate(case.root)
    return counts


def _reseal_files(folder: Path, keyring: Keyring) -> int:
    done = 0
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        data = path.read_bytes()
        temporary = path.with_name(f".rotating-{path.name}")
        if data.startswith(FILE_MAGIC):
            temporary.write_bytes(keyring.seal_bytes(keyring.reveal_bytes(data)))
        elif data.startswith(STREAM_MAGIC):
            with open(path, "rb") as source, open(temporary, "wb") as out:
                stream = SealedStream(keyring, out)
                for chunk in reveal_stream(keyring, source):
                    stream.write(chunk)
                stream.close()
        else:
            continue
        os.replace(temporary, path)
        done += 1
    return done
