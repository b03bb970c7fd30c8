"""The publishing tests work on a case whose open-data licence has been chosen (the refusal is tested on its own)."""

from __future__ import annotations

from contextlib import contextmanager

import pytest


@pytest.fixture
def case(case):
    """The shared case fixture, with [publish] license chosen as a user would before the first release."""
    case.set_setting("publish", "license", "CC-BY-4.0")
    return case


@pytest.fixture(scope="module")
def case_for_the_module(django_db_setup, django_db_blocker):
    """A context giving a licensed case for a release made once per module (see _case_for_the_module)."""
    return lambda folder: _case_for_the_module(folder, django_db_blocker)


@contextmanager
def _case_for_the_module(folder, django_db_blocker):
    """A licensed case for a release made once per module; its rows are rolled back once the block ends.

    For tests that only read the release folder: each release draws a dozen figures (and prints a
    PDF with chromium), seconds apiece, so making it once per module instead of once per test counts.
    """
    from django.db import transaction

    from mingdan.store.case import init_case

    with django_db_blocker.unblock(), transaction.atomic():
        made = init_case(folder / "case", setup_database=False)
        made.set_setting("publish", "license", "CC-BY-4.0")
        yield made
        transaction.set_rollback(True)


@pytest.fixture
def no_pdf(monkeypatch, tmp_path):
    """Releases made without their PDF, for tests of what else a release holds.

    Printing the PDF starts chromium (several seconds a release); test_report_pdf.py and
    test_report_content.py test the PDF itself. A PDF's text is compressed, so the byte searches
    for withheld names in these tests never read it anyway.
    """
    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-pdf-needed"))
