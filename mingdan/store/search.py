"""Find records by a name typed in any script or romanization, without storing restricted names in clear.

Each written name is indexed under its simplified characters and its pinyin readings (both orders
when the order is unknown). A query is expanded to every pinyin its spelling could stand for
(Wade-Giles, Hong Kong Cantonese, pinyin without tones), so 'Chan Tai Man' or 'Ch'en Ta-wen'
finds 陳大文. Keys of restricted and secret names are sealed with the case key (AES-SIV is
deterministic, so a sealed query key still matches by equality).
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from functools import lru_cache

from mingdan.names.keys import written_keys
from mingdan.names.keys import _orders, _plain, sound_readings

from .crypto import active, is_sealed

#: A query spelled ambiguously may stand for many pinyin readings; beyond this many we keep the first.
MAX_QUERY_KEYS = 5000
#: Most full readings a stored name is indexed under (a Hong Kong spelling may have hundreds): beyond
#: them the query side spells characters in every romanization instead (romanized_forms).
MAX_STORED_READINGS = 16
#: The prefix of a surname key: "s:wang" finds every 王 and every Wang, Wong, Ong.
SURNAME = "s:"
#: The prefix of a romanized name's readings, met by characters spelled out (romanized_forms).
ROMANIZED = "r:"
#: The prefix of a romanized name's letters as typed (apostrophes kept), met by characters spelled out.
LETTERS = "l:"
#: A romanized name written inside a cell of characters: two or more words of Latin letters.
_LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)+")


def _fold(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).lower() if ch.isalnum())


def _letters(text: str) -> set[str]:
    """A romanized name's letters with its apostrophes (Wade-Giles P'ing is not Ping), in its order and with the
    first or last word moved to the other end (a given name written first)."""
    words = [word for word in (re.sub(r"[^\w']", "", _plain(part))
                               for part in unicodedata.normalize("NFKC", text).replace("-", " ").split()) if word]
    if not words:
        return set()
    return {"".join(words), "".join(words[1:] + words[:1]), "".join(words[-1:] + words[:-1])}


@lru_cache(maxsize=65_536)
def stored_keys(text: str) -> frozenset[str]:
    """The keys a stored name is indexed under: characters, pinyin readings, the folded text, its surname
    (lists repeat common names: each is worked out once)."""
    keys = written_keys(text or "")
    found = {reading for reading in _orders(keys) if reading}
    readings = sound_readings(keys)
    if len(readings) <= MAX_STORED_READINGS:
        found |= {reading.replace(" ", "") for reading in readings}
    if keys.characters:
        found.add(keys.characters)
    folded = _fold(text or "")
    if folded:
        found.add(folded)
    for structure in keys.structures:
        found |= {SURNAME + surname for surname in structure[0][:2] if surname}
    if not keys.characters:
        # A romanized name, under its readings and its letters again: characters searched meet these keys only
        # (王建华 must find "Wong Kin Wah", not 黄建华 written in characters).
        found |= {ROMANIZED + reading for reading in _orders(keys) if reading}
        found |= {LETTERS + letters for letters in _letters(text or "")}
    else:
        # A cell kept as written beside a romanization that does not read as its characters (王晓平（Wang Xiaobing）,
        # import warns of it) is found by that romanization too (an outside tester, rt42).
        for latin in _LATIN_RUN.findall(text or ""):
            found |= stored_keys(latin)
    return frozenset(key[:300] for key in found)


def query_keys(text: str) -> set[str]:
    """Every key a typed name could match: its characters, each pinyin reading of its spelling, the keys of
    its characters spelled in pinyin, Wade-Giles and Hong Kong romanization, and a surname typed alone."""
    keys = written_keys(text or "")
    found = set(stored_keys(text)) - {key for key in stored_keys(text) if key.startswith(SURNAME)}
    for structure in keys.structures:
        for combination in itertools.product(*structure):
            found.add("".join(combination))
            if len(found) >= MAX_QUERY_KEYS:
                return found
    if keys.characters:
        # Characters meet a romanized name that reads as they do, or that is spelt letter for letter as lists spell
        # them (in pinyin, Wade-Giles or a Hong Kong spelling). Not by every reading of those spellings: "Chang Ping"
        # (张兵 in Wade-Giles) reads as 张平 too and "Wong" as 黄 too, so 张兵 listed `Zhang Ping` and 王建华 every
        # `Huang Chien-hua` (outside testers, rt42 and rt43).
        own = _orders(keys) | {reading.replace(" ", "") for reading in sound_readings(keys)}
        found |= {ROMANIZED + reading for reading in own}
        for form in romanized_forms(keys.characters):
            found |= {LETTERS + letters for letters in _letters(form)}
    elif keys.reading_sure:
        # A name read one way only (pinyin) meets a list that spells that reading in Wade-Giles letter for letter, as
        # its characters do: `Chang Ping` reads as 张兵 among 60 readings, more than a stored name is indexed under,
        # and "Zhang Bing" missed it while 张兵 found it (an outside tester, rt43).
        for form in _wade_giles_forms(keys):
            found |= {LETTERS + letters for letters in _letters(form)}
    if not keys.characters and keys.romanization != "hk":
        # A name in pinyin meets a list that spells it as Hong Kong does: `Lo Keung` reads as more names than it is
        # indexed under, so "Lu Qiang" missed it while 卢强 found it (an outside tester, rt43).
        for form in _hong_kong_forms(keys):
            found |= {LETTERS + letters for letters in _letters(form)}
            if len(found) >= MAX_QUERY_KEYS:
                break
    found |= surname_keys(text)
    return found


def _wade_giles_forms(keys) -> list[str]:
    """A name read one way only, spelt in Wade-Giles (with its apostrophes) in each order it may be written."""
    from mingdan.names.romanize import pinyin_to_wade_giles

    forms = []
    for structure in keys.structures:
        surname = pinyin_to_wade_giles(structure[0][0]) if structure[0][0] else ""
        given = "-".join(pinyin_to_wade_giles(options[0]) for options in structure[1:])
        forms.append(" ".join(part for part in (surname, given) if part))
    return forms


def _hong_kong_forms(keys) -> list[str]:
    """A name read as one pinyin (its surname maybe two), spelt as Hong Kong lists spell it: its surname by the
    surname tables, each given syllable by the spellings that read as it first or second (names.tables)."""
    from mingdan.names.tables import pinyin_to_hk, surname_spellings

    forms = []
    for structure in keys.structures:
        # Only a name that reads as one pinyin, but for a surname of two readings (Lu: lu or lü): a spelling of
        # several readings per syllable (Chen Ping in Wade-Giles: zhen bing too) spelt again in Cantonese would meet
        # names no reader takes for it.
        if len(structure[0]) > 2 or any(len(options) != 1 for options in structure[1:]):
            continue
        heads = sorted({spelling for surname in structure[0] if surname
                        for spelling in surname_spellings().get(surname, ())})
        heads = heads if any(structure[0]) else [""]
        given = [pinyin_to_hk().get(options[0], ()) for options in structure[1:]]
        if not heads or not all(given):
            continue
        for head in heads:
            for tail in itertools.product(*given):
                forms.append(" ".join(part for part in (head, *tail) if part))
    return forms


def surname_keys(text: str) -> set[str]:
    """The surname keys of a query that is a surname alone (王, 歐陽, Wong, Au Yeung, Ch'en), else none."""
    from mingdan.names.keys import SURNAME_VARIANTS
    from mingdan.names.romanize import COMPOUND_SURNAMES, SURNAME_READINGS, pinyin_syllables, to_simplified
    from mingdan.names.tables import COMMON_SURNAMES, surname_romanizations

    cleaned = unicodedata.normalize("NFKC", text or "").strip()
    simplified = to_simplified(cleaned)
    if simplified in COMPOUND_SURNAMES:
        return {SURNAME + COMPOUND_SURNAMES[simplified]}
    # A surname of two forms (肖 and 萧, 闫 and 阎) is one surname whichever form the table lists.
    forms = {simplified, SURNAME_VARIANTS.get(simplified, simplified),
             *(short for short, standard in SURNAME_VARIANTS.items() if standard == simplified)}
    if len(simplified) == 1 and any(form in COMMON_SURNAMES or form in SURNAME_READINGS for form in forms):
        return {SURNAME + (SURNAME_READINGS.get(simplified) or "".join(pinyin_syllables(simplified)))}
    # Read as a name's letters are (Lyu and Lv are lü, as passports and keyboards write it: an outside tester, rt43).
    typed = " ".join(_fold(_plain(part)) for part in cleaned.replace("-", " ").split()).strip()
    readings = surname_romanizations().get(typed) or surname_romanizations().get(typed.replace(" ", ""))
    return {SURNAME + reading for reading in readings or ()}


def romanized_forms(characters: str) -> list[str]:
    """A name in characters as lists write it: pinyin, Wade-Giles, and its Hong Kong spellings (a few per
    syllable), so '王建华' finds a record written only 'Wong Kin Wah'."""
    import ToJyutping

    from mingdan.names.romanize import pinyin_name, split_surname, wade_giles_name
    from mingdan.names.tables import hk_spellings

    forms = [pinyin_name(characters), wade_giles_name(characters)]
    surname, given = split_surname(characters)
    syllables = []
    for part in (surname, given):
        jyutping = [j for _, j in ToJyutping.get_jyutping_list(part)] if part else []
        syllables.append([sorted(hk_spellings(j), key=len)[:4] if j else [] for j in jyutping])
    surname_options = ["".join(choice) for choice in itertools.product(*syllables[0])] if syllables[0] else [""]
    for head in surname_options[:4]:
        for tail in itertools.islice(itertools.product(*syllables[1]), 64):
            forms.append(" ".join(part.capitalize() for part in (head, *tail) if part))
    return forms


def _sealed(key: str, sensitivity: str) -> str:
    return key if sensitivity == "public" else active().seal(key)


#: Names indexed per transaction: other writers (an amendment, an import) wait for one batch at most.
INDEX_BATCH = 2000


def refresh_index(limit: int | None = None) -> int:
    """Index names not indexed yet (at most `limit`), a batch per transaction; returns how many names were read."""
    from django.db import connection, transaction
    from django.db.models import Max

    from .models import Name, NameKey

    added, seen = 0, 0
    while limit is None or added < limit:
        with transaction.atomic():
            if connection.vendor == "postgresql":  # SQLite's IMMEDIATE transaction already serialises indexers
                with connection.cursor() as cursor:
                    cursor.execute(f"LOCK TABLE {NameKey._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
            # Names only ever get larger ids and are indexed in id order, so everything above the
            # largest indexed id is new (a name with no keys at all is looked at again next time).
            last = max(NameKey.objects.aggregate(last=Max("name_id"))["last"] or 0, seen)
            pending = list(Name.objects.filter(pk__gt=last).order_by("pk")
                           .values_list("pk", "record_id", "text", "claim__sensitivity")[:INDEX_BATCH])
            if not pending:
                break
            NameKey.objects.bulk_create(
                [NameKey(record_id=record_id, name_id=pk, key=_sealed(key, sensitivity), sensitivity=sensitivity)
                 for pk, record_id, text, sensitivity in pending
                 for key in stored_keys(active().reveal(text) if is_sealed(text) else text)], batch_size=5000)
        added += len(pending)
        seen = pending[-1][0]
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


#: Names a search indexes itself; more are indexed by a background thread meanwhile.
INLINE = 500
_INDEXING = threading.Lock()


def ensure_indexed() -> None:
    """Index names added since the last search: a few now, many in a background thread.

    A search never waits for an import's write transaction (names it adds are not visible before
    it commits anyway), nor indexes a large list itself: what is skipped is indexed meanwhile.
    """
    from django.db import OperationalError, connection
    from django.db.models import Max

    from .models import Name, NameKey

    last = NameKey.objects.aggregate(last=Max("name_id"))["last"] or 0
    # Counted no further than needed: after a 50 MB import every search counted 644,883 pending names (8 ms each).
    pending = Name.objects.filter(pk__gt=last).order_by("pk")[:INLINE + 1].count()
    if not pending:
        return
    if pending > INLINE:
        from .case import opened_root
        from .import_lock import import_running

        if not import_running(opened_root()):  # an import job indexes its own names before it lets go
            _index_in_background()
        return
    if connection.vendor != "sqlite":
        refresh_index()
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        usual = cursor.fetchone()[0]
        cursor.execute("PRAGMA busy_timeout = 200")
    try:
        refresh_index(limit=INLINE)
    except OperationalError:
        pass  # the database is being written (an import): the next search indexes
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(usual)}")


def _index_in_background() -> None:
    """Index every pending name in a thread of its own (one at a time)."""
    from django.db import connections

    if not _INDEXING.acquire(blocking=False):
        return

    def work() -> None:
        try:
            refresh_index()
        finally:
            connections.close_all()
            _INDEXING.release()

    threading.Thread(target=work, name="mingdan-index", daemon=True).start()
def places_within(text: str) -> list[str] | None:
    """The places written in the case's events (public ones only: a sealed place never matches) that lie in
    the gazetteer entry the typed place reads as: "Beijing" finds 海淀区, 木樨地 and "Haidian District";
    None when the typed place is not in the gazetteer (the caller falls back to matching the text)."""
    from mingdan.places import load_gazetteer, parse_place, resolve_places

    from .case import opened_places_file
    from .models import Event

    gazetteer = load_gazetteer(*filter(None, [opened_places_file()]))
    typed = parse_place(text, gazetteer)
    if typed is None or not typed.ids:
        return None
    written = [place for place in Event.objects.filter(superseded_in__isnull=True, place_sensitivity="public")
               .exclude(place="")
               .values_list("place", flat=True).distinct() if not place.startswith("enc1:")]
    # The typed place is read beside the case's, as a release reads them: a name two places share ("Xuanwu": Beijing's
    # former 宣武区, Nanjing's 玄武区) is the one in the province most of the case's places are in, and where nothing
    # decides, every place of that name (an outside tester's "Xuanwu" fell back to matching the text, rt45).
    read = resolve_places([*written, text], gazetteer)
    typed = read.get(text) or typed
    wanted = {typed.entry_id} if typed.entry_id else set(typed.ids)
    kept = set(written)
    return [place for place, found in read.items() if place in kept and found and found.entry_id
            and wanted & gazetteer.entries[found.entry_id].lineage]
