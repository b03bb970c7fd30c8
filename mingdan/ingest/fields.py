"""The canonical fields and the parsing of one cell of each into a claim value."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from mingdan.dates import Context, DateError, parse_date
from mingdan.names.display import romanization_of
from mingdan.names.script import classify_name

from .ages import AgeError, parse_age
from .sentences import SentenceError, parse_sentence
from .vocab import VocabularyError, parse_harassment, parse_harassment_duration, parse_relation, parse_tied_to

PERSON_FIELDS = ("name", "name_variants", "sex", "age", "birth", "occupation", "consent_publish_name", "risk")
#: The details of a `harassed` event (docs/harassment.md).
HARASSMENT_FIELDS = ("harassment", "perpetrator", "tied_to", "duration")
EVENT_FIELDS = ("event", "event_date", "place", "facility", "sentence", *HARASSMENT_FIELDS)
#: A tie of the row's person to another record's person: both on one row, or neither.
RELATION_FIELDS = ("relation", "relation_of")
CANONICAL_FIELDS = ("record_id", *PERSON_FIELDS, "place", "event", "event_date", "facility",
                    "sentence", *HARASSMENT_FIELDS, *RELATION_FIELDS, "notes")
#: Fields that are restricted unless a mapping says otherwise: they can endanger people (a family
#: tie is what makes a family a target).
RESTRICTED_BY_DEFAULT = ("notes", "consent_publish_name", "risk", "relation", "relation_of")
FIELDS = frozenset(CANONICAL_FIELDS)

EVENT_TYPES = (
    "killed", "injured", "detained", "arrested", "tried", "sentenced", "commuted", "reduced",
    "paroled", "released", "died_in_custody", "disappeared", "harassed", "escaped",
)
SENTENCE_EVENTS = frozenset({"sentenced", "commuted", "reduced"})
MAX_LENGTH = {"record_id": 200, "name": 300, "name_variants": 300, "place": 300,
              "facility": 300, "occupation": 300, "perpetrator": 300, "relation_of": 400}

DEFAULT_UNKNOWN = ("unknown", "不详", "不詳", "未知", "不明", "?")
DEFAULT_WITHHELD = ("withheld", "保密")
DEFAULT_REFUSED = ("refused", "拒绝透露", "拒絕透露")

_CONSENT = {"granted": "granted", "yes": "granted", "y": "granted", "同意": "granted",
            "refused": "refused", "no": "refused", "n": "refused", "不同意": "refused", "拒绝": "refused",
            "拒絕": "refused", "withdrawn": "withdrawn", "撤回": "withdrawn", "已撤回": "withdrawn"}
_SEX = {"male": "male", "m": "male", "男": "male", "female": "female", "f": "female",
        "女": "female", "other": "other"}


@dataclass(frozen=True, slots=True)
class Plausible:
    """The years a date of a column may fall in: typos such as 219 or 2091 are refused, not stored."""

    years_from: int = 1800
    allow_future: bool = False  # dates after the day of the import (which no list can have seen happen)


DEFAULT_PLAUSIBLE = Plausible()


class CellError(ValueError):
    """A cell that cannot be read; the message is the reason, for a user."""


@dataclass(slots=True)
class Value:
    """One validated cell: what the source said and what it means."""

    field: str
    column: str
    raw: str
    normalized: str
    kind: str = "exact"
    value_min: float | None = None
    value_max: float | None = None
    earliest: date | None = None
    latest: date | None = None
    sensitivity: str = "public"
    extra: tuple = ()


def clean(text: str) -> str:
    """NFC-normalise and collapse runs of whitespace, keeping the characters as written."""
    return " ".join(unicodedata.normalize("NFC", text).split())


@lru_cache(maxsize=4096)
def parse_event(text: str) -> str:
    """A canonical event type."""
    key = clean(text).lower().replace(" ", "_").replace("-", "_")
    if key not in EVENT_TYPES:
        raise CellError(f"unknown event type {text!r}; expected one of: {', '.join(EVENT_TYPES)}")
    return key


@lru_cache(maxsize=256)
def parse_sex(text: str) -> str:
    """male, female or other."""
    try:
        return _SEX[clean(text).lower()]
    except KeyError:
        raise CellError(f"sex {text!r} is not one of male, female, other (or m, f, 男, 女)") from None


def parse_cell(field: str, column: str, raw: str, *, date_format: str | tuple[str, ...] | None = None,
               dates: Context | None = None, sensitivity: str = "public", script: str | None = None,
               romanization: str | None = None, plausible: Plausible = DEFAULT_PLAUSIBLE) -> Value:
    """Validate one non-empty cell of a field; raise CellError with the reason."""
    text = clean(raw)
    limit = MAX_LENGTH.get(field)
    if limit is not None and len(text) > limit:
        raise CellError(f"{field} is {len(text)} characters long; the limit is {limit}")
    value = Value(field=field, column=column, raw=raw, normalized=text, sensitivity=sensitivity)
    if field in ("name", "name_variants"):
        detected = classify_name(text)
        # A spelling that leaves no doubt (Zhang San is pinyin, Lam Ka Yan Hong Kong) is recorded as such, as the
        # release publishes it (names.display.romanization_of), not as 'unknown'.
        system = romanization_of(text, detected[1]) if detected[0] == "latin" else detected[1]
        value.extra = (script or detected[0], romanization or system)
    elif field == "sex":
        value.normalized = parse_sex(text)
    elif field == "age":
        try:
            value.normalized, value.kind, value.value_min, value.value_max = parse_age(text)
        except AgeError as exc:
            raise CellError(str(exc)) from None
    elif field in ("birth", "event_date"):
        context = dates or Context()
        try:
            parsed = parse_date(text, date_format, default_year=context.default_year,
                                two_digit_years_from=context.two_digit_years_from, date_order=context.date_order,
                                era=context.era)
        except DateError as exc:
            raise CellError(f"{field} {text!r}: {exc}") from None
        _check_plausible(field, text, parsed, plausible)
        value.normalized, value.earliest, value.latest = parsed.text, parsed.earliest, parsed.latest
        if parsed.uncertain:  # may be wrong ('?'; '%' is also approximate, but the doubt is the stronger word)
            value.kind = "uncertain"
        elif parsed.approximate:  # near the date written ('~')
            value.kind = "approximate"
        elif parsed.earliest != parsed.latest and ("/" in parsed.text or "X" in parsed.text):
            value.kind = "range"
    elif field == "event":
        value.normalized = parse_event(text)
    elif field == "sentence":
        try:
            value.normalized, *rest = parse_sentence(text)
        except SentenceError as exc:
            raise CellError(str(exc)) from None
        value.extra = tuple(rest)
    elif field == "consent_publish_name":
        value.normalized = parse_consent(text)
    elif field in _VOCABULARIES:
        try:
            value.normalized = _VOCABULARIES[field](text)
        except VocabularyError as exc:
            raise CellError(str(exc)) from None
    return value


def _check_plausible(field: str, text: str, parsed, plausible: Plausible) -> None:
    """Refuse a date wholly before the column's first plausible year, or wholly after the import day.

    An open or unknown interval end (../1990, /1990) stretches to the calendar's limits by design and is not a year.
    """
    if parsed.latest != date.max and parsed.latest.year < plausible.years_from:
        raise CellError(f"{field} {text!r} ({parsed.text}) is before {plausible.years_from}; correct the year, or give "
                        f"years_from for this column in the mapping if the list does reach back so far")
    today = date.today()
    if not plausible.allow_future and parsed.earliest != date.min and parsed.earliest > today:
        raise CellError(f"{field} {text!r} ({parsed.text}) is after the day of the import ({today.isoformat()}); "
                        "correct the year, or give allow_future: true for this column in the mapping if the list "
                        "states dates to come")


_VOCABULARIES = {"relation": parse_relation, "harassment": parse_harassment, "tied_to": parse_tied_to,
                 "duration": parse_harassment_duration}


#: Words of refusal and withdrawal found inside a longer value ("agreed, later refused", 同意后拒绝).
_REFUSAL = re.compile(r"不同意|拒绝|拒絕|反对|反對|\b(?:refused?|refusal|declined?|no|not agreed|objects?|objected)\b")
_WITHDRAWAL = re.compile(r"撤回|撤销|撤銷|\b(?:withdr[ae]wn?|withdraws?|revoked?)\b")
_GRANT = re.compile(r"(?<!不)同意|\b(?:granted|agreed?|yes|consented?)\b")


@lru_cache(maxsize=256)
def parse_consent(text: str) -> str:
    """granted, refused or withdrawn: consent to publish the name; in a value stating both, refusal wins."""
    key = clean(text).lower()
    if key in _CONSENT:
        return _CONSENT[key]
    # A value that states a grant and a refusal or withdrawal ("agreed, later refused") is not a grant:
    # naming someone who refused can endanger them, so the refusal wins, whatever the order.
    if _GRANT.search(key) and (_WITHDRAWAL.search(key) or _REFUSAL.search(key)):
        return "withdrawn" if _WITHDRAWAL.search(key) and not _REFUSAL.search(key) else "refused"
    raise CellError(f"consent {text!r} is not one of granted, refused, withdrawn (or yes, no, 同意, 不同意, 撤回); "
                    "a value stating both a grant and a refusal (同意后拒绝) is read as refused")


SCRIPT_WORDS = {"hans": "simplified characters", "hant": "traditional characters", "latin": "Latin letters",
                "hani": "characters the same in both scripts", "mixed": "characters and Latin letters"}


def contradicts(declared: str, detected: str) -> bool:
    """True when a name looks written in another script than the mapping declares (张三 under `script: hant`).

    Only a warning: OpenCC reads some characters both ways (台 is also written in Taiwan), so a refusal could be wrong.
    """
    han = ("hans", "hant", "hani")
    if declared in ("hans", "hant"):
        return detected in ("hans", "hant", "latin") and detected != declared
    if declared == "latin":
        return detected in han
    return False
