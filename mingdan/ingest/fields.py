"""The canonical fields and the parsing of one cell of each into a claim value."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from mingdan.dates import DateError, normalize_digits, parse_date, parse_duration
from mingdan.names.script import classify_name

PERSON_FIELDS = ("name", "name_variants", "sex", "age", "birth", "occupation", "consent_publish_name", "risk")
EVENT_FIELDS = ("event", "event_date", "place", "facility", "sentence")
CANONICAL_FIELDS = ("record_id", *PERSON_FIELDS, "place", "event", "event_date", "facility",
                    "sentence", "notes")
#: Fields that are restricted unless a mapping says otherwise: they can endanger people.
RESTRICTED_BY_DEFAULT = ("notes", "consent_publish_name", "risk")
FIELDS = frozenset(CANONICAL_FIELDS)

EVENT_TYPES = (
    "killed", "injured", "detained", "arrested", "tried", "sentenced", "commuted", "reduced",
    "paroled", "released", "died_in_custody", "disappeared", "harassed", "escaped",
)
SENTENCE_EVENTS = frozenset({"sentenced", "commuted", "reduced"})
MAX_LENGTH = {"record_id": 200, "name": 300, "name_variants": 300, "place": 300,
              "facility": 300, "occupation": 300}

DEFAULT_UNKNOWN = ("unknown", "不详", "不詳", "未知")
DEFAULT_WITHHELD = ("withheld", "保密")
DEFAULT_REFUSED = ("refused", "拒绝透露", "拒絕透露")

_CONSENT = {"granted": "granted", "yes": "granted", "y": "granted", "同意": "granted",
            "refused": "refused", "no": "refused", "n": "refused", "不同意": "refused", "拒绝": "refused",
            "拒絕": "refused", "withdrawn": "withdrawn", "撤回": "withdrawn", "已撤回": "withdrawn"}
_SEX = {"male": "male", "m": "male", "男": "male", "female": "female", "f": "female",
        "女": "female", "other": "other"}
_APPROX_AGE = re.compile(r"^(?:~|约|約|about\s+|c\.\s*|ca\.\s*)?(\d{1,3})(?:\s*(?:岁|歲))?(左右|多|~)?$",
                         re.IGNORECASE)
_AGE_RANGE = re.compile(r"^(\d{1,3})\s*[-–~至到]\s*(\d{1,3})(?:\s*(?:岁|歲))?$")
_CHINESE_SENTENCE = (
    (re.compile(r"^(?:死缓|死緩|死刑缓期二年执行|死刑緩期二年執行)$"), "death-reprieve P2Y"),
    (re.compile(r"^(?:无期徒刑|無期徒刑|无期|無期)$"), "life"),
    (re.compile(r"^(?:死刑|死刑立即执行|死刑立即執行)$"), "death"),
)
_CHINESE_TERM = re.compile(r"^(?:有期徒刑)?(?:(\d+)\s*年)?(?:(\d+)\s*个?個?月)?$")


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


@lru_cache(maxsize=4096)
def parse_age(text: str) -> tuple[str, str, float, float]:
    """Normalised age, its kind, and its bounds."""
    value = normalize_digits(clean(text))
    match = _AGE_RANGE.match(value)
    if match:
        low, high = int(match.group(1)), int(match.group(2))
        if low > high:
            raise CellError(f"age range {text!r} runs backwards")
        if high > 120:
            raise CellError(f"age {text!r} is above 120")
        return f"{low}-{high}", "range", float(low), float(high)
    match = _APPROX_AGE.match(value)
    if not match:
        raise CellError(
            f"age {text!r} is not a number; expected a whole number 0-120, a range like 20-25, "
            "or an approximate age like ~30"
        )
    age = int(match.group(1))
    if age > 120:
        raise CellError(f"age {text!r} is above 120")
    approximate = value != match.group(1)
    return (f"~{age}" if approximate else str(age)), ("approximate" if approximate else "exact"), float(age), float(age)


@lru_cache(maxsize=4096)
def parse_sentence(text: str) -> tuple[str, str, str, str]:
    """(normalised, sentence kind, term as ISO duration, reprieve as ISO duration)."""
    value = normalize_digits(clean(text))
    for pattern, canonical in _CHINESE_SENTENCE:
        if pattern.match(value):
            value = canonical
    term_match = _CHINESE_TERM.match(value)
    if term_match and (term_match.group(1) or term_match.group(2)):
        years, months = int(term_match.group(1) or 0), int(term_match.group(2) or 0)
        value = "P" + (f"{years}Y" if years else "") + (f"{months}M" if months else "")
    lowered = value.lower()
    if lowered == "life":
        return "life", "life", "", ""
    if lowered == "death":
        return "death", "death", "", ""
    if lowered.startswith("death-reprieve"):
        rest = value[len("death-reprieve"):].strip()
        reprieve = _duration(rest, text).iso() if rest else ""
        normalized = f"death-reprieve {reprieve}".strip()
        return normalized, "death_reprieve", "", reprieve
    if value.upper().startswith("P"):
        term = _duration(value, text).iso()
        return term, "fixed", term, ""
    raise CellError(
        f"sentence {text!r} is not an ISO 8601 duration (P20Y, P13Y6M), life, death or "
        "death-reprieve [P2Y]"
    )


def _duration(value: str, original: str):
    try:
        duration = parse_duration(value)
    except DateError as exc:
        raise CellError(f"sentence {original!r}: {exc}") from None
    if duration.years == duration.months == duration.days == 0:
        raise CellError(f"sentence {original!r} is a term of zero")
    return duration


def parse_cell(field: str, column: str, raw: str, *, date_format: str | None = None,
               sensitivity: str = "public", script: str | None = None,
               romanization: str | None = None) -> Value:
    """Validate one non-empty cell of a field; raise CellError with the reason."""
    text = clean(raw)
    limit = MAX_LENGTH.get(field)
    if limit is not None and len(text) > limit:
        raise CellError(f"{field} is {len(text)} characters long; the limit is {limit}")
    value = Value(field=field, column=column, raw=raw, normalized=text, sensitivity=sensitivity)
    if field in ("name", "name_variants"):
        detected = classify_name(text)
        value.extra = (script or detected[0], romanization or detected[1])
    elif field == "sex":
        value.normalized = parse_sex(text)
    elif field == "age":
        value.normalized, value.kind, value.value_min, value.value_max = parse_age(text)
    elif field in ("birth", "event_date"):
        try:
            parsed = parse_date(text, date_format)
        except DateError as exc:
            raise CellError(f"{field} {text!r}: {exc}") from None
        value.normalized, value.earliest, value.latest = parsed.text, parsed.earliest, parsed.latest
        if parsed.approximate or parsed.uncertain:
            value.kind = "approximate"
        elif parsed.earliest != parsed.latest and ("/" in parsed.text or "X" in parsed.text):
            value.kind = "range"
    elif field == "event":
        value.normalized = parse_event(text)
    elif field == "sentence":
        value.normalized, *rest = parse_sentence(text)
        value.extra = tuple(rest)
    elif field == "consent_publish_name":
        value.normalized = parse_consent(text)
    return value


@lru_cache(maxsize=64)
def parse_consent(text: str) -> str:
    """granted, refused or withdrawn: consent to publish the name."""
    try:
        return _CONSENT[clean(text).lower()]
    except KeyError:
        raise CellError(f"consent {text!r} is not one of granted, refused, withdrawn (or yes, no, 同意, 不同意, 撤回)") from None
