"""The data model of a case (see PRODUCT.md, 'The data model')."""

from .access import Account, AuditEntry, AuditHead, ImportJob, LoginAttempt, NameKey, Role
from .choices import (
    CUSTODY_EVENT_TYPES, ClaimKind, ConsentPurpose, ConsentStatus, EventType, HarassmentKind, NameType,
    RelationKind, Romanization, Script, SentenceKind, Sensitivity, SourceKind, TiedTo, Verification,
)
from .claims import Claim
from .counts import Consent, CountClaim
from .estimates import Estimate
from .linkage import LinkRun, Membership, PairLink, ReaderScore, ReviewDecision
from .records import CustodyEvent, Event, HarassmentEvent, Name, Person, Record, Relation
from .sources import Document, Source

__all__ = [
    "Account", "AuditEntry", "AuditHead", "ImportJob", "LoginAttempt", "NameKey", "Role",
    "CUSTODY_EVENT_TYPES", "Claim", "ClaimKind", "Consent", "ConsentPurpose", "ConsentStatus",
    "CountClaim", "CustodyEvent", "Document", "Estimate", "Event", "LinkRun", "Membership", "PairLink", "ReaderScore",
    "ReviewDecision", "EventType", "HarassmentEvent", "HarassmentKind", "Name", "NameType", "Person",
    "Record", "Relation", "RelationKind", "TiedTo", "Romanization", "Script", "SentenceKind", "Sensitivity", "Source", "SourceKind",
    "Verification",
]
