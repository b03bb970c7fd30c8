"""Find records by a name typed in any script or romanization, without storing restricted names in clear.

Each written name is indexed under its simplified characters and its pinyin readings (both orders
when the order is unknown). A query is expanded to every pinyin its spelling could stand for
(Wade-Giles, Hong Kong Cantonese, pinyin without tones), so 'Chan Tai Man' or 'Ch'en Ta-wen'
finds 陳大文. Keys of restricted and secret names are sealed with the case key (AES-SIV is
deterministic, so a sealed query key still matches by equality).
"""

from __future__ import annotations

import itertools
import unicodedata

from mingdan.names import name_keys
from mingdan.names.keys import _orders

from .crypto import active, is_sealed

#: A query spelled ambiguously may stand for many pinyin readings; beyond this many we keep the first.
MAX_QUERY_KEYS = 5000


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def stored_keys(text: str) -> set[str]:
    """The keys a stored name is indexed under."""
    keys = name_keys(text or "")
    found = {reading for reading in _orders(keys) if reading}
    if keys.characters:
        found.add(keys.characters)
    folded = _fold(text or "")
    if folded:
        found.add(folded)
    return {key[:300] for key in found}


def query_keys(text: str) -> set[str]:
    """Every key a typed name could match: its characters, and each pinyin reading of its spelling."""
    keys = name_keys(text or "")
    found = set(stored_keys(text))
    for structure in keys.structures:
        for combination in itertools.product(*structure):
            found.add("".join(combination))
            if len(found) >= MAX_QUERY_KEYS:
                return found
    return found


def _sealed(key: str, sensitivity: str) -> str:
    return key if sensitivity == "public" else active().seal(key)


def refresh_index() -> int:
    """Index every name not indexed yet; returns how many names were added."""
    from django.db import transaction

    from .models import Name, NameKey

    from django.db.models import Max

    added = 0
    # Names only ever get larger ids and are indexed in id order, so everything above the
    # largest indexed id is new (a name with no keys at all is simply looked at again).
    last = NameKey.objects.aggregate(last=Max("name_id"))["last"] or 0
    pending = (Name.objects.filter(pk__gt=last)
               .values_list("pk", "record_id", "text", "claim__sensitivity").order_by("pk"))
    batch: list[NameKey] = []
    with transaction.atomic():
        for pk, record_id, text, sensitivity in pending.iterator(chunk_size=5000):
            plain = active().reveal(text) if is_sealed(text) else text
            for key in stored_keys(plain):
                batch.append(NameKey(record_id=record_id, name_id=pk, key=_sealed(key, sensitivity),
                                     sensitivity=sensitivity))
            added += 1
            if len(batch) >= 5000:
                NameKey.objects.bulk_create(batch)
                batch = []
        NameKey.objects.bulk_create(batch)
    return added


def matching_records(text: str, sensitivities: tuple[str, ...]):
    """Record ids whose current names match the typed name, looking only at names of these sensitivities."""
    from django.db.models import Q

    from .models import NameKey

    plain = query_keys(text)
    if not plain or not sensitivities:
        return NameKey.objects.none().values_list("record_id", flat=True)
    condition = Q()
    for sensitivity in sensitivities:
        keys = plain if sensitivity == "public" else {active().seal(key) for key in plain}
        condition |= Q(sensitivity=sensitivity, key__in=list(keys))
    return (NameKey.objects.filter(condition, name__claim__superseded_in__isnull=True)
            .values_list("record_id", flat=True).distinct())
