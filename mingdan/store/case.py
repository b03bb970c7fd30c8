"""A case is a folder: mingdan.toml, the embedded database, originals, keys and releases."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

CONFIG_FILE = "mingdan.toml"
SUBFOLDERS = ("originals", "keys", "releases")

DEFAULT_CONFIG = """\
# mingdan case settings. Edit with care; every release records these values.
[case]
name = "{name}"
created = "{created}"

[import]
# Sensitivity of the canonical columns; mapping files may say otherwise per column.
restricted_fields = ["notes"]

[linkage]
# Match probability bands: at or above auto_link links, at or above review asks a human.
auto_link = 0.60
review = 0.20

[disclosure]
# Published aggregate cells below this count are suppressed.
min_cell = 5
"""


class CaseError(Exception):
    """The folder is not a usable case; the message says what to do."""


@dataclass(frozen=True)
class Case:
    """An opened case folder."""

    root: Path
    config: dict

    @property
    def name(self) -> str:
        return self.config.get("case", {}).get("name", self.root.name)

    @property
    def originals_dir(self) -> Path:
        return self.root / "originals"

    @property
    def keys_dir(self) -> Path:
        return self.root / "keys"

    @property
    def releases_dir(self) -> Path:
        return self.root / "releases"

    @property
    def database_file(self) -> Path:
        return self.root / "mingdan.sqlite3"

    @property
    def places_file(self) -> Path:
        """The case's own gazetteer entries (docs/places.md), read when present."""
        return self.root / "places.csv"

    def setting(self, section: str, key: str, default=None):
        """One value of mingdan.toml, or the default."""
        return self.config.get(section, {}).get(key, default)


_OPENED: list[Case] = []


def opened_places_file() -> Path | None:
    """The places file of the case this process opened last, if it has one."""
    return _OPENED[0].places_file if _OPENED and _OPENED[0].places_file.is_file() else None


def init_case(path: Path, name: str | None = None, *, setup_database: bool = True) -> Case:
    """Create a case folder (or complete an existing one) and its database."""
    root = Path(path).resolve()
    if root.exists() and not root.is_dir():
        raise CaseError(f"{root} exists and is not a folder")
    root.mkdir(parents=True, exist_ok=True)
    for folder in SUBFOLDERS:
        (root / folder).mkdir(exist_ok=True)
    os.chmod(root / "keys", 0o700)
    config_path = root / CONFIG_FILE
    if not config_path.exists():
        created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        safe_name = (name or root.name).replace("\\", "\\\\").replace('"', '\\"')
        config_path.write_text(DEFAULT_CONFIG.format(name=safe_name, created=created), "utf-8")
    from mingdan.store.crypto import ENV_KEY, key_path, load_keyring

    if not key_path(root).exists() and not os.environ.get(ENV_KEY):
        load_keyring(root, create=True)  # a new case gets its own key, kept outside the database
    return open_case(root, setup_database=setup_database)


def open_case(path: Path, *, setup_database: bool = True) -> Case:
    """Open an existing case folder and connect to its database."""
    root = Path(path).resolve()
    config_path = root / CONFIG_FILE
    if not config_path.is_file():
        raise CaseError(
            f"{root} is not a mingdan case (no {CONFIG_FILE}). "
            f"Create one with: mingdan init {path}"
        )
    try:
        config = tomllib.loads(config_path.read_text("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CaseError(f"{config_path}: not valid TOML: {exc}") from exc
    case = Case(root=root, config=config)
    _OPENED[:] = [case]
    from mingdan.store import crypto

    if crypto.key_path(root).exists() or os.environ.get(crypto.ENV_KEY):
        crypto.activate(root)
    else:
        crypto.deactivate(root)
    if setup_database:
        connect(case)
    return case


def connect(case: Case) -> None:
    """Point Django at the case's database (unless a test runner already did) and migrate."""
    import django
    from django.conf import settings

    if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
        os.environ["MINGDAN_CASE_DIR"] = str(case.root)
        os.environ["DJANGO_SETTINGS_MODULE"] = "mingdan.store.settings"
    django.setup()
    from django.conf import settings as live

    db = live.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3") and "MINGDAN_CASE_DIR" in os.environ:
        if Path(db["NAME"]).resolve().parent != case.root and db["NAME"] != ":memory:":
            raise CaseError(
                f"this process already uses the case at {Path(db['NAME']).parent}; "
                f"open {case.root} in a new process"
            )
    migrate_quietly()


def migrate_quietly() -> None:
    """Apply pending migrations, printing nothing when there are none."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)
