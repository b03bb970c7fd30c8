"""Controlled vocabularies shared by the models, the importer and the CLI."""

from django.db import models


class SourceKind(models.TextChoices):
    OFFICIAL = "official", "official statement"
    COURT = "court", "court document"
    NGO = "ngo", "NGO list"
    PRESS = "press", "press report"
    FAMILY = "family", "family testimony"
    OTHER = "other", "other"


class ClaimKind(models.TextChoices):
    EXACT = "exact"
    APPROXIMATE = "approximate"
    RANGE = "range"
    UNKNOWN = "unknown"
    WITHHELD = "withheld"
    NOT_COLLECTED = "not_collected", "not collected"
    REFUSED = "refused"


class Verification(models.TextChoices):
    UNVERIFIED = "unverified"
    CORROBORATED = "corroborated"
    CONFIRMED = "confirmed"
    CONTESTED = "contested"
    RETRACTED = "retracted"


class Sensitivity(models.TextChoices):
    PUBLIC = "public"
    RESTRICTED = "restricted"
    SECRET = "secret"


class Script(models.TextChoices):
    HANS = "hans", "simplified Chinese"
    HANT = "hant", "traditional Chinese"
    HANI = "hani", "Chinese (same in both scripts)"
    LATIN = "latin", "Latin"
    MIXED = "mixed", "mixed"
    OTHER = "other", "other"


class Romanization(models.TextChoices):
    NONE = "none", "not romanized"
    PINYIN = "pinyin", "pinyin"
    PINYIN_TONES = "pinyin_tones", "pinyin with tone marks"
    WADE_GILES = "wade_giles", "Wade-Giles"
    JYUTPING = "jyutping", "Jyutping"
    HK = "hk", "Hong Kong government Cantonese"
    UNKNOWN = "unknown", "Latin, system unknown"


class NameType(models.TextChoices):
    LEGAL = "legal"
    VARIANT = "variant"
    ALIAS = "alias"
    ROMANIZED = "romanized"
    FORMER = "former"


class EventType(models.TextChoices):
    KILLED = "killed"
    INJURED = "injured"
    DETAINED = "detained"
    ARRESTED = "arrested"
    TRIED = "tried"
    SENTENCED = "sentenced"
    COMMUTED = "commuted"
    REDUCED = "reduced"
    PAROLED = "paroled"
    RELEASED = "released"
    DIED_IN_CUSTODY = "died_in_custody", "died in custody"
    DISAPPEARED = "disappeared"
    HARASSED = "harassed"
    ESCAPED = "escaped"


#: Event types that are steps of a custody history and carry a CustodyEvent.
CUSTODY_EVENT_TYPES = frozenset(
    {
        "detained", "arrested", "tried", "sentenced", "commuted", "reduced",
        "paroled", "released", "died_in_custody", "escaped", "disappeared",
    }
)


class SentenceKind(models.TextChoices):
    FIXED = "fixed", "fixed term"
    LIFE = "life"
    DEATH = "death"
    DEATH_REPRIEVE = "death_reprieve", "death with reprieve"
    REDUCTION = "reduction"


class ConsentPurpose(models.TextChoices):
    STORE = "store"
    PUBLISH_NAME = "publish_name", "publish name"
    AGGREGATE_ONLY = "aggregate_only", "aggregate only"
    SHARE = "share"
    COURT = "court"


class ConsentStatus(models.TextChoices):
    GRANTED = "granted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"
    UNKNOWN = "unknown"
