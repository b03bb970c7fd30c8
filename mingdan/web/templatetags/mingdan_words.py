"""Template filters that show codes in the reader's language: {{ c.kind|vocab:"kind" }}, {{ step|sentence }}."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from mingdan.web import vocabulary

register = template.Library()


@register.filter
def vocab(value, name: str) -> str:
    """The code in the reader's language, or the value as recorded when it is not a code of that vocabulary."""
    return vocabulary.word(value, name)


@register.filter
def age_shown(age: dict | None) -> str:
    """An age as the records list shows it: the value, a range, "about n", unknown, or a dash when none is readable."""
    from django.utils.translation import gettext, pgettext

    if not age:
        return "—"
    if age["kind"] in ("unknown", "not_collected"):
        return pgettext("age", "unknown")
    if age["kind"] == "range" and age["low"] is not None:
        return f"{age['low']}–{age['high']}"
    if age["kind"] == "approximate":
        return gettext("about %(n)s") % {"n": age["low"] if age["low"] else age["value"]}
    return str(age["value"])


@register.filter
def is_code(value, name: str) -> bool:
    """True when the value is a code of the vocabulary (a data value is not)."""
    return vocabulary.known(value, name)


@register.filter
def sentence(step: dict) -> str:
    """A timeline step's sentence: kind, term and reprieve in the reader's words."""
    return vocabulary.sentence(step.get("sentence_kind"), step.get("term"), step.get("reprieve"))


@register.filter
def sentence_value(normalized: str) -> str:
    """A sentence claim's stored value in the reader's words."""
    return vocabulary.sentence_value(normalized)


@register.filter
def flag(detail: dict) -> str:
    """A custody flag in the reader's words."""
    return vocabulary.flag(detail)


@register.filter
def audit_target(target: str) -> str:
    """'person P-000001' with its first word in the reader's language; the rest (ids, file names) is data."""
    head, _, rest = (target or "").partition(" ")
    if vocabulary.known(head, "audit target"):
        return format_html('{} <span translate="no">{}</span>', vocabulary.word(head, "audit target"), rest)
    return format_html('<span translate="no">{}</span>', target or "")


@register.filter
def figure(claim) -> str:
    """A count claim's figure in the reader's language ('at least 8' / '至少8')."""
    return vocabulary.figure(claim)


@register.filter
def claims_range(span: dict) -> str:
    """A category's span of published claims, an open end kept open ('≥ 3')."""
    return vocabulary.claims_range(span)


@register.filter
def metric(text: str) -> str:
    """A count claim's metric as its category in the reader's language, the source's words beside it if they say more."""
    return vocabulary.metric(text)


@register.filter
def edtf(value: str) -> str:
    """An EDTF date as the reader says it ('summer 1989', '约1989-06')."""
    return vocabulary.date_words(value)


@register.filter
def duration_words(text: str | None) -> str:
    """An ISO duration (P15D) in the reader's words (15 days, 15天)."""
    return vocabulary.duration(text)
