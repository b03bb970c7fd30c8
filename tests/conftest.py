"""Fixtures shared by the storage and import tests."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Hypothesis' per-example deadline measures the machine, not the code: on a loaded CI runner with
# two cores a parser that takes 1 ms warm takes over 200 ms now and then, and the test fails for
# nothing. Speed lives in benchmarks/, so no property test has a deadline.
hypothesis_settings.register_profile("mingdan", deadline=None)
hypothesis_settings.load_profile("mingdan")

CANONICAL = ["record_id", "name", "name_variants", "sex", "age", "birth", "occupation", "place",
             "event", "event_date", "facility", "sentence", "notes"]
PUBLISHED = Path(__file__).resolve().parents[1] / "data" / "published"


def pytest_report_header(config):
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture(autouse=True)
def _empty_django_cache():
    """Each test starts with Django's cache empty.

    The cache is in-process memory (LocMemCache) and outlives a test's database rollback: the web
    pages keep the whole case's facets for 30 s and login attempts per address, so a test run
    soon after another in the same process (as pytest-xdist arranges) would see that case's values.
    """
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def case(tmp_path, db):
    """A fresh case folder whose database is the test database."""
    from mingdan.store.case import init_case

    return init_case(tmp_path / "case", setup_database=False)


def _row_writer(folder: Path):
    """Write canonical rows (dicts) to a CSV file in folder and return its path."""

    def write(rows: list[dict], name: str = "list.csv", header: list[str] | None = None,
              encoding: str = "utf-8") -> Path:
        path = folder / name
        columns = header or CANONICAL
        with open(path, "w", encoding=encoding, newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({key: row.get(key, "") for key in columns})
        return path

    return write


@pytest.fixture
def write_rows(tmp_path):
    """Write canonical rows (dicts) to a CSV file and return its path."""
    return _row_writer(tmp_path)


@pytest.fixture(scope="module")
def module_write_rows(tmp_path_factory):
    """write_rows for a module-scoped fixture (a case built once and only read by the module's tests)."""
    return _row_writer(tmp_path_factory.mktemp("rows"))


@pytest.fixture
def snapshot():
    """Row counts of every table of the case, to show an import left nothing behind."""
    from django.apps import apps

    def take() -> dict[str, int]:
        return {model.__name__: model.objects.count() for model in apps.get_app_config("mingdan").get_models()}

    return take


@pytest.fixture
def shared_data() -> Path:
    """Published aggregate tables bundled with the repository (data/published)."""
    return PUBLISHED


def pytest_collection_modifyitems(config, items):
    # A case on SQLite has two databases (records, and access: audit, logins, sessions; see
    # store/routers.py): every test that uses the database may use both.
    for item in items:
        marker = item.get_closest_marker("django_db")
        # A module-scoped case (tests/publish/conftest.py) needs both databases set up even when a file runs alone.
        if marker is None and not {"db", "transactional_db", "case_for_the_module"} & set(getattr(item, "fixturenames", ())):
            continue
        kwargs = dict(marker.kwargs) if marker else {}
        kwargs.setdefault("databases", "__all__")
        item.add_marker(pytest.mark.django_db(*(marker.args if marker else ()), **kwargs), append=False)
    if os.environ.get("DATABASE_URL"):
        # These run against the case's own SQLite file in the SQLite pass of `make test`.
        dropped = [item for item in items if item.get_closest_marker("sqlite_file")]
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = [item for item in items if not item.get_closest_marker("sqlite_file")]
    if os.environ.get("MINGDAN_ONLY_DB_TESTS"):
        keep = [item for item in items if any(f"/{d}/" in str(item.fspath) for d in ("store", "ingest", "track"))]
        items[:] = keep


@pytest.fixture(params=["here", "worker"])
def import_path(request, monkeypatch):
    """Run an import test twice: validated in this process, and by the import worker process."""
    monkeypatch.setenv("MINGDAN_IMPORT_WORKER", "never" if request.param == "here" else "always")
    return request.param
