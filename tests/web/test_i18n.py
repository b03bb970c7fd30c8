"""The interface in English, 简体中文 and 繁體中文, chosen per user; every message translated."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[2] / "mingdan" / "web" / "locale"


@pytest.mark.django_db
def test_each_user_chooses_the_interface_language(client, web_case, login):
    login("viewer")
    assert ">Records<" in client.get("/records", secure=True).content.decode()
    client.post("/language", {"language": "zh-hans", "next": "/records"}, secure=True)
    page = client.get("/records", secure=True)
    assert ">记录<" in page.content.decode() and page["Content-Language"] == "zh-hans"
    client.post("/language", {"language": "zh-hant"}, secure=True)
    page = client.get("/records", secure=True).content.decode()
    assert ">記錄<" in page and "(查閱者)" in page  # the role's name too
    client.post("/language", {"language": "xx"}, secure=True)  # unknown: ignored
    assert ">記錄<" in client.get("/records", secure=True).content.decode()
    # Another user's language is their own.
    client.post("/logout", secure=True)
    login("editor")
    assert ">Records<" in client.get("/records", secure=True).content.decode()


@pytest.mark.parametrize("language", ["zh_Hans", "zh_Hant"])
def test_every_message_is_translated_and_the_compiled_catalog_is_current(language):
    po = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text("utf-8")
    assert "#, fuzzy" not in po, "a fuzzy message is left out of the compiled catalog"
    assert not re.search(r'^msgstr(\[0\])? ""\n\n', po.split("\n\n", 1)[1] + "\n\n", re.M), "an untranslated message"
    compiled = gettext.GNUTranslations(open(LOCALE / language / "LC_MESSAGES" / "django.mo", "rb"))
    entries = _entries(po)
    assert len(entries) > 100
    for context, message in entries:
        translated = compiled.pgettext(context, message) if context else compiled.gettext(message)
        assert translated != message or not message.isascii(), f"{language}: {context} {message!r} not in the .mo"


def _entries(po: str) -> list[tuple[str | None, str]]:
    """(context, message) of every entry of a .po file, continued lines joined."""
    def text(block: str, key: str) -> str | None:
        found = re.search(rf'^{key} ((?:".*"\n?)+)', block + "\n", re.M)
        if not found:
            return None
        parts = re.findall(r'"(.*)"', found.group(1))
        return "".join(parts).encode().decode("unicode_escape").encode("latin-1").decode("utf-8")

    entries = []
    for block in po.split("\n\n")[1:]:
        message = text(block, "msgid")
        if message:
            entries.append((text(block, "msgctxt"), message))
    return entries


@pytest.mark.parametrize("language, expected", [
    ("en", ["summer 1989", "about 1989-06", "1989-06-04 (uncertain)", "the 1960s", "1989-06-03 – 1989-06-04",
            "by 1990", "1989-06-04", "at least 525", "400–800"]),
    ("zh-hans", ["1989年夏", "约1989-06", "1989-06-04（存疑）", "1960年代", "1989-06-03 – 1989-06-04",
                 "1990或之前", "1989-06-04", "至少525", "400–800"]),
    ("zh-hant", ["1989年夏", "約1989-06", "1989-06-04（存疑）", "1960年代", "1989-06-03 – 1989-06-04",
                 "1990或之前", "1989-06-04", "至少525", "400–800"]),
])
def test_dates_and_figures_read_in_the_page_language(language, expected):
    from django.utils import translation

    from mingdan.web.vocabulary import date_words, figure

    with translation.override(language):
        dates = [date_words(d) for d in ("1989-22", "1989-06~", "1989-06-04?", "196X", "1989-06-03/1989-06-04",
                                         "../1990", "1989-06-04")]
        figures = [figure({"best": None, "minimum": 525, "maximum": None}),
                   figure({"best": None, "minimum": 400, "maximum": 800})]
    assert dates + figures == expected
    assert date_words("not a date") == "not a date"  # a form it does not know is shown as recorded


def test_every_level_the_linkage_model_names_is_in_the_vocabulary():
    # The review page shows the model's own level labels: a new one (one letter apart) would be English on a
    # Chinese page.
    from mingdan.linkage.model import settings
    from mingdan.web.vocabulary import known

    labels = {level["label_for_charts"] for comparison in settings().get_settings("duckdb").as_dict()["comparisons"]
              for level in comparison["comparison_levels"]
              if not level.get("is_null_level") and "label_for_charts" in level
              and not level["label_for_charts"].startswith("All other")}
    assert "one letter apart" in labels
    assert {label for label in labels if not known(label, "meaning")} <= {"numbered apart", "Exact match on sex",
                                                                          "Exact match on sentence"}
