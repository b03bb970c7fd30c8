"""Key rotation: re-seal every sealed value and original with a new key, then retire the old ones."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from django.db import transaction

from .case import Case
from .crypto import FILE_MAGIC, PREFIX, Keyring, activate, load_keyring, new_key, write_keyring

#: Every column that may hold a sealed value.
SEALED_COLUMNS = (
    ("Claim", "value"), ("Claim", "normalized"), ("Name", "text"),
    ("Event", "place"), ("Event", "date_edtf"), ("CustodyEvent", "facility"),
    ("NameKey", "key"), ("Account", "totp_secret"),
)


def rotate(case: Case) -> dict[str, int]:
    """Seal everything with a fresh key; old keys stay in the key file until nothing uses them."""
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
    write_keyring(case.root, Keyring(kid, {kid: both.keys[kid]}))
    activate(case.root)
    return counts


def _reseal_files(folder: Path, keyring: Keyring) -> int:
    done = 0
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        data = path.read_bytes()
        if not data.startswith(FILE_MAGIC):
            continue
        temporary = path.with_name(f".rotating-{path.name}")
        temporary.write_bytes(keyring.seal_bytes(keyring.reveal_bytes(data)))
        os.replace(temporary, path)
        done += 1
    return done
