"""A case is a folder: mingdan.toml, the embedded database, originals, keys and releases."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

CONFIG_FILE = "mingdan.toml"
SUBFOLDERS = ("originals", "keys", "releases", "incoming", "audit")
#: Folders only the case's owner may enter: keys, sealed originals, uploads being imported, audit checkpoints, the
#: server's sealed figures and linkage's sealed frame.
PRIVATE_FOLDERS = ("originals", "keys", "incoming", "audit", "kept", "cache")
#: The SQLite files of a case (each with its -wal and -shm); created readable by the owner only.
DATABASE_FILES = ("mingdan.sqlite3", "access.sqlite3")

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
# What linkage reads: "all" values, or "public" only for a high-risk case whose groupings must not
# depend on a restricted or secret value or on harassment (docs/linkage.md).
# values = "public"

[disclosure]
# Published aggregate cells below this count are suppressed.
min_cell = 5

[publish]
# The licence of the open data in every release. There is no default: choose one before the first
# release (`mingdan publish --license ID` records it here). SPDX ids: "CC-BY-4.0" (attribution),
# "CC-BY-SA-4.0" (attribution, share-alike), "CC0-1.0" (public domain), "ODbL-1.0", "ODC-By-1.0",
# "PDDL-1.0"; any other id needs license_url.
# license = "CC-BY-4.0"
# Who publishes, and a web page about the data (shown with the open data and on serve-public).
# publisher = ""
# source_url = ""
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
    def incoming_dir(self) -> Path:
        """Uploads waiting to be imported, sealed; emptied of crash leftovers at the next start."""
        return self.root / "incoming"

    @property
    def kept_dir(self) -> Path:
        """Whole-case figures the web server computed, sealed, shared by its processes; safe to delete."""
        return self.root / "kept"

    @property
    def audit_dir(self) -> Path:
        """The audit log's checkpoint, kept outside the database."""
        return self.root / "audit"

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

    def set_setting(self, section: str, key: str, value: str) -> None:
        """Write one text value into mingdan.toml (keeping every comment) and into this open case."""
        path = self.root / CONFIG_FILE
        lines = path.read_text("utf-8").splitlines()
        quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        entry = f"{key} = {quoted}"
        start = next((i for i, line in enumerate(lines) if line.strip() == f"[{section}]"), None)
        if start is None:
            lines += ["", f"[{section}]", entry]
        else:
            end = next((i for i in range(start + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
            found = next((i for i in range(start + 1, end) if lines[i].split("=")[0].strip() == key), None)
            if found is not None:
                lines[found] = entry
            else:
                # After the section's last setting or commented example, before the blank lines that close it.
                at = end
                while at > start + 1 and not lines[at - 1].strip():
                    at -= 1
                lines.insert(at, entry)
        text = "\n".join(lines) + "\n"
        tomllib.loads(text)  # never write a file that would no longer open
        path.write_text(text, "utf-8")
        self.config.setdefault(section, {})[key] = value


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
    from .private import private_folder

    for folder in SUBFOLDERS:
        if folder in PRIVATE_FOLDERS:
            private_folder(root / folder)
        else:
            (root / folder).mkdir(exist_ok=True)
    config_path = root / CONFIG_FILE
    new_case = not config_path.exists()
    if new_case:
        created = datetime.now(timezone.utc).replace(microsecond=0).isoformat()
        safe_name = (name or root.name).replace("\\", "\\\\").replace('"', '\\"')
        config_path.write_text(DEFAULT_CONFIG.format(name=safe_name, created=created), "utf-8")
    from mingdan.store.crypto import ENV_KEY, key_path, load_keyring

    if not key_path(root).exists() and not os.environ.get(ENV_KEY):
        load_keyring(root, create=True)  # a new case gets its own key, kept outside the database
    return open_case(root, setup_database=setup_database, _new=new_case)


def open_case(path: Path, *, setup_database: bool = True, audit_strict: bool = True, _new: bool = False) -> Case:
    """Open an existing case folder and connect to its database.

    The audit log's key and checkpoints are checked (store/audit_checkpoint.py): a started log
    whose checkpoint is missing or ahead of the database stops here, unless `audit_strict` is
    False (`audit verify` and `audit restart`, which report and mend it)."""
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
    _make_private(root, create_databases=setup_database)
    from mingdan.store import crypto

    if crypto.key_path(root).exists() or os.environ.get(crypto.ENV_KEY):
        crypto.activate(root)
    else:
        crypto.deactivate(root)
    if setup_database:
        connect(case)
        from .audit import anchor

        anchor(root, new_case=_new, strict=audit_strict)
    return case


def opened_root() -> Path:
    """The folder of the case this process opened last (the audit log keeps its key and checkpoint there)."""
    if not _OPENED:
        raise CaseError("no case is open in this process")
    return _OPENED[0].root


def _make_private(root: Path, create_databases: bool) -> None:
    """Private folders 0700; database files (and their WAL and shared memory) 0600, created so if absent.

    SQLite creates the -wal and -shm files with the mode of the database file, so a database
    file created 0600 before the first connection keeps all three private.
    """
    from .private import private_file, private_folder

    for folder in PRIVATE_FOLDERS:
        private_folder(root / folder)
    for name in DATABASE_FILES:
        path = root / name
        private_file(path, create=create_databases and not os.environ.get("DATABASE_URL"))
        for companion in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            private_file(companion)


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
    """Apply pending migrations to each database, printing nothing when there are none."""
    from django.core.management import call_command
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    for alias in connections:
        executor = MigrationExecutor(connections[alias])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            call_command("migrate", database=alias, verbosity=0, interactive=False)
    _move_access_rows()


def _move_access_rows() -> None:
    """Move the audit log of a case made before the access database existed into it (once)."""
    from django.db import connections

    from mingdan.store.routers import ACCESS, access_alias

    if access_alias() != ACCESS:
        return
    main = connections["default"]
    with main.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'mingdan_auditentry'")
        if cursor.fetchone() is None:
            return
        cursor.execute("SELECT COUNT(*) FROM mingdan_auditentry")
        if not cursor.fetchone()[0]:
            return
    columns = "seq, at, user, action, target, detail, previous, digest"
    main.close()
    with main.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS access", [connections[ACCESS].settings_dict["NAME"]])
        try:
            cursor.execute("BEGIN IMMEDIATE")
            cursor.execute("SELECT COUNT(*) FROM access.mingdan_auditentry")
            if cursor.fetchone()[0] == 0:
                cursor.execute(f"INSERT INTO access.mingdan_auditentry ({columns}, scheme) "
                               f"SELECT {columns}, 'sha256' FROM main.mingdan_auditentry ORDER BY seq")
                cursor.execute("DELETE FROM access.mingdan_audithead")
                cursor.execute("INSERT INTO access.mingdan_audithead (id, seq, digest) "
                               "SELECT id, seq, digest FROM main.mingdan_audithead")
            cursor.execute("DELETE FROM main.mingdan_auditentry")
            cursor.execute("DELETE FROM main.mingdan_audithead")
            cursor.execute("COMMIT")
        finally:
            cursor.execute("DETACH DATABASE access")
