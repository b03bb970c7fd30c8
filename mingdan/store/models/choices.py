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
    UNCERTAIN = "uncertain"  # the value may be wrong (EDTF '?': 可能, 据说, reportedly), not merely near (~)
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


class RelationKind(models.TextChoices):
    """How the person of one record is tied to the person of another (read "A is mother_of B")."""

    MOTHER_OF = "mother_of", "mother of"
    FATHER_OF = "father_of", "father of"
    SPOUSE_OF = "spouse_of", "spouse of"
    SIBLING_OF = "sibling_of", "sibling of"
    CHILD_OF = "child_of", "child of"
    RELATIVE_OF = "relative_of", "relative of"
    WITNESS_FOR = "witness_for", "witness for"
    LAWYER_FOR = "lawyer_for", "lawyer for"


class HarassmentKind(models.TextChoices):
    """What was done to a participant or a victim's relative (issue 17's vocabulary)."""

    SURVEILLANCE = "surveillance"
    HOUSE_ARREST = "house_arrest", "house arrest"
    ADMINISTRATIVE_DETENTION = "administrative_detention", "administrative detention"
    CRIMINAL_DETENTION = "criminal_detention", "criminal detention"
    FORCED_TRAVEL = "forced_travel", "forced travel"
    TRAVEL_BAN = "travel_ban", "travel ban"
    PASSPORT_REFUSED = "passport_refused", "passport refused"
    LOSS_OF_EMPLOYMENT = "loss_of_employment", "loss of employment"
    LOSS_OF_PENSION = "loss_of_pension", "loss of pension"
    THREATS = "threats"
    POLICE_VISIT = "police_visit", "visit by police"
    EVICTION = "eviction"
    PRESSURE_ON_RELATIVES = "pressure_on_relatives", "pressure on relatives"
    COMMUNICATION_CUT = "communication_cut", "communication cut"
    OTHER = "other"


class TiedTo(models.TextChoices):
    """The date a harassment event was tied to, as the source says."""

    ANNIVERSARY = "anniversary"
    VISIT = "visit", "a visit"
    TRIAL = "trial"
    OTHER = "other", "another date"
