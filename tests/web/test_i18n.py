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
