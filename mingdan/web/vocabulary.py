"""Every code the interface shows, in the reader's language: field names, kinds, events, sentences, statuses.

Each word is a message of the catalogs with its vocabulary as context (`pgettext`), so "unknown"
the claim kind and "unknown" the custody status may be translated differently. A value that is
not in a vocabulary is data and is shown as recorded.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.utils.translation import pgettext
from django.utils.translation import pgettext_lazy

from mingdan.dates import DateError, parse_duration

#: code -> its English name, the message the catalogs translate (the vocabulary is the message's context).
VOCABULARY: dict[str, dict[str, object]] = {
    "field": {
        "name": pgettext_lazy("field", "name"),
        "name_variants": pgettext_lazy("field", "other written forms"),
        "sex": pgettext_lazy("field", "sex"),
        "age": pgettext_lazy("field", "age"),
        "birth": pgettext_lazy("field", "birth"),
        "occupation": pgettext_lazy("field", "occupation"),
        "place": pgettext_lazy("field", "place"),
        "event": pgettext_lazy("field", "event"),
        "event_date": pgettext_lazy("field", "date of the event"),
        "facility": pgettext_lazy("field", "place of detention"),
        "sentence": pgettext_lazy("field", "sentence"),
        "harassment": pgettext_lazy("field", "kind of harassment"),
        "perpetrator": pgettext_lazy("field", "perpetrator"),
        "tied_to": pgettext_lazy("field", "tied to"),
        "duration": pgettext_lazy("field", "duration"),
        "relation": pgettext_lazy("field", "relation"),
        "relation_of": pgettext_lazy("field", "relation of"),
        "relation_cited": pgettext_lazy("field", "source of the relation"),
        "relation_withdrawn": pgettext_lazy("field", "relation withdrawn"),
        "consent_publish_name": pgettext_lazy("field", "consent to publish the name"),
        "risk": pgettext_lazy("field", "risk"),
        "notes": pgettext_lazy("field", "notes"),
    },
    "kind": {
        "exact": pgettext_lazy("kind", "exact"),
        "approximate": pgettext_lazy("kind", "approximate"),
        "uncertain": pgettext_lazy("kind", "uncertain"),
        "range": pgettext_lazy("kind", "range"),
        "unknown": pgettext_lazy("kind", "unknown"),
        "withheld": pgettext_lazy("kind", "withheld"),
        "not_collected": pgettext_lazy("kind", "not collected"),
        "refused": pgettext_lazy("kind", "refused"),
    },
    "verification": {
        "unverified": pgettext_lazy("verification", "unverified"),
        "corroborated": pgettext_lazy("verification", "corroborated"),
        "confirmed": pgettext_lazy("verification", "confirmed"),
        "contested": pgettext_lazy("verification", "contested"),
        "retracted": pgettext_lazy("verification", "retracted"),
    },
    "sensitivity": {
        "public": pgettext_lazy("sensitivity", "public"),
        "restricted": pgettext_lazy("sensitivity", "restricted"),
        "secret": pgettext_lazy("sensitivity", "secret"),
    },
    "event": {
        "killed": pgettext_lazy("event", "killed"),
        "injured": pgettext_lazy("event", "injured"),
        "detained": pgettext_lazy("event", "detained"),
        "arrested": pgettext_lazy("event", "arrested"),
        "tried": pgettext_lazy("event", "tried"),
        "sentenced": pgettext_lazy("event", "sentenced"),
        "commuted": pgettext_lazy("event", "commuted"),
        "reduced": pgettext_lazy("event", "sentence reduced"),
        "paroled": pgettext_lazy("event", "paroled"),
        "released": pgettext_lazy("event", "released"),
        "died_in_custody": pgettext_lazy("event", "died in custody"),
        "disappeared": pgettext_lazy("event", "disappeared"),
        "harassed": pgettext_lazy("event", "harassed"),
        "escaped": pgettext_lazy("event", "escaped"),
    },
    "status": {
        "held": pgettext_lazy("status", "held"),
        "released": pgettext_lazy("status", "released"),
        "deceased": pgettext_lazy("status", "deceased"),
        "unknown": pgettext_lazy("status", "unknown"),
        "not_detained": pgettext_lazy("status", "not detained"),
    },
    "category": {
        "killed": pgettext_lazy("category", "Killed"),
        "died_in_custody": pgettext_lazy("category", "Died in custody"),
        "detained": pgettext_lazy("category", "Detained"),
        "imprisoned": pgettext_lazy("category", "Still imprisoned"),
        "missing": pgettext_lazy("category", "Missing"),
    },
    "source kind": {
        "official": pgettext_lazy("source kind", "official statement"),
        "court": pgettext_lazy("source kind", "court document"),
        "ngo": pgettext_lazy("source kind", "NGO list"),
        "press": pgettext_lazy("source kind", "press report"),
        "family": pgettext_lazy("source kind", "family testimony"),
        "other": pgettext_lazy("source kind", "other"),
    },
    "band": {
        "auto": pgettext_lazy("band", "linked"),
        "review": pgettext_lazy("band", "to review"),
        "none": pgettext_lazy("band", "not linked"),
        # Scored at auto-link, and in two people: the clustering kept them apart (a list's rule, a death before).
        "apart": pgettext_lazy("band", "scored to link, kept apart"),
    },
    "decision": {
        "same": pgettext_lazy("decision", "same person"),
        "different": pgettext_lazy("decision", "different people"),
        "unsure": pgettext_lazy("decision", "unsure"),
    },
    "sex": {
        "male": pgettext_lazy("sex", "male"),
        "female": pgettext_lazy("sex", "female"),
    },
    "consent": {
        "granted": pgettext_lazy("consent", "granted"),
        "refused": pgettext_lazy("consent", "refused"),
        "withdrawn": pgettext_lazy("consent", "withdrawn"),
        "unknown": pgettext_lazy("consent", "unknown"),
    },
    "method": {
        "lcmcr": pgettext_lazy("method", "LCMCR"),
        "dga": pgettext_lazy("method", "DGA"),
        "loglinear": pgettext_lazy("method", "log-linear"),
    },
    "import status": {
        "imported": pgettext_lazy("import status", "imported"),
        "unchanged": pgettext_lazy("import status", "already imported"),
    },
    "audit": {
        "login": pgettext_lazy("audit", "login"),
        "login-failed": pgettext_lazy("audit", "failed login"),
        "login-refused": pgettext_lazy("audit", "refused login"),
        "logout": pgettext_lazy("audit", "logout"),
        "search": pgettext_lazy("audit", "search"),
        "search-json": pgettext_lazy("audit", "search (JSON)"),
        "read-restricted": pgettext_lazy("audit", "read restricted values"),
        "export": pgettext_lazy("audit", "export"),
        "import": pgettext_lazy("audit", "import"),
        "write": pgettext_lazy("audit", "entry or amendment"),
        "review-read": pgettext_lazy("audit", "read a pair to review"),
        "review-decide": pgettext_lazy("audit", "review decision"),
        "publish": pgettext_lazy("audit", "publish"),
        "publish-started": pgettext_lazy("audit", "publish started"),
        "totp-enabled": pgettext_lazy("audit", "second factor on"),
        "totp-disabled": pgettext_lazy("audit", "second factor off"),
        "totp-enable-refused": pgettext_lazy("audit", "second factor not turned on"),
        "totp-disable-refused": pgettext_lazy("audit", "second factor not turned off"),
        "import-started": pgettext_lazy("audit", "import started"),
        "read-withheld": pgettext_lazy("audit", "read a record with withheld values"),
        "user-disabled": pgettext_lazy("audit", "user disabled"),
        "user-enabled": pgettext_lazy("audit", "user enabled"),
        "user-password-reset": pgettext_lazy("audit", "password reset"),
        "user-role": pgettext_lazy("audit", "role changed"),
        "user-unlocked": pgettext_lazy("audit", "user unlocked"),
        "audit-restarted": pgettext_lazy("audit", "audit log restarted after a loss"),
    },
    "audit target": {
        "record": pgettext_lazy("audit target", "record"),
        "person": pgettext_lazy("audit target", "person"),
        "pair": pgettext_lazy("audit target", "pair"),
        "records": pgettext_lazy("audit target", "records"),
    },
    # How two records' fields compare (mingdan.linkage.explain.MEANINGS), as the review page says it.
    "meaning": {
        "same characters": pgettext_lazy("meaning", "same characters"),
        "same pinyin reading": pgettext_lazy("meaning", "same pinyin reading"),
        "same pinyin reading, other characters": pgettext_lazy("meaning", "same pinyin reading, other characters"),
        "same pinyin": pgettext_lazy("meaning", "same pinyin"),
        "same sound in another romanization": pgettext_lazy("meaning", "same sound in another romanization"),
        "close": pgettext_lazy("meaning", "close"),
        "different": pgettext_lazy("meaning", "different"),
        "missing on one side or both": pgettext_lazy("meaning", "missing on one side or both"),
        "same": pgettext_lazy("meaning", "same"),
        "missing": pgettext_lazy("meaning", "missing"),
        "within a year": pgettext_lazy("meaning", "within a year"),
        "within 5 years": pgettext_lazy("meaning", "within 5 years"),
        "further apart": pgettext_lazy("meaning", "further apart"),
        "same place": pgettext_lazy("meaning", "same place"),
        "different place": pgettext_lazy("meaning", "different place"),
        "same event, dates overlap": pgettext_lazy("meaning", "same event, dates overlap"),
        "same event, dates apart": pgettext_lazy("meaning", "same event, dates apart"),
        "different events": pgettext_lazy("meaning", "different events"),
        "one within the other": pgettext_lazy("meaning", "one within the other"),
        "same district": pgettext_lazy("meaning", "same district"),
        "same city": pgettext_lazy("meaning", "same city"),
        "different places": pgettext_lazy("meaning", "different places"),
        "missing, or only one known to the gazetteer": pgettext_lazy("meaning", "missing, or only one known to the gazetteer"),
        "same event, same dates": pgettext_lazy("meaning", "same event, same dates"),
        "same event, dates close": pgettext_lazy("meaning", "same event, dates close"),
        "one history, dates close": pgettext_lazy("meaning", "one history, dates close"),
        "one history (e.g. detained, then sentenced), dates apart or unknown": pgettext_lazy("meaning", "one history (e.g. detained, then sentenced), dates apart or unknown"),
        # The labels the linkage model itself gives its levels (linkage/model.py), which the review page shows.
        "same sound (another romanization)": pgettext_lazy("meaning", "same sound (another romanization)"),
        "same sound, a spelling many names share": pgettext_lazy("meaning", "same sound, a spelling many names share"),
        "one letter apart": pgettext_lazy("meaning", "one letter apart"),
        "same sex": pgettext_lazy("meaning", "same sex"),
        "same occupation": pgettext_lazy("meaning", "same occupation"),
        "same event or one history, dates apart or unknown": pgettext_lazy(
            "meaning", "same event or one history, dates apart or unknown"),
        "same event or one history, a date not given": pgettext_lazy(
            "meaning", "same event or one history, a date not given"),
        "same event or one history, dates apart": pgettext_lazy("meaning", "same event or one history, dates apart"),
        "same sentence": pgettext_lazy("meaning", "same sentence"),
        "different sentences": pgettext_lazy("meaning", "different sentences"),
        "one list names both": pgettext_lazy("meaning", "one list names both"),
        "two lists": pgettext_lazy("meaning", "two lists"),
        "how many records share it": pgettext_lazy("meaning", "how many records share it"),
        "two records at random being one person": pgettext_lazy("meaning", "two records at random being one person"),
        "weighed against the other candidates of the two lists (a list names a person once)": pgettext_lazy(
            "meaning", "weighed against the other candidates of the two lists (a list names a person once)"),
    },
    "linkage field": {
        "name": pgettext_lazy("linkage field", "name"),
        "sex": pgettext_lazy("linkage field", "sex"),
        "age": pgettext_lazy("linkage field", "age"),
        "place_key": pgettext_lazy("linkage field", "place"),
        "place": pgettext_lazy("linkage field", "place"),
        "event": pgettext_lazy("linkage field", "event"),
        "occupation": pgettext_lazy("linkage field", "occupation"),
        "sentence": pgettext_lazy("linkage field", "sentence"),
        "list": pgettext_lazy("linkage field", "list"),
        "one_to_one": pgettext_lazy("linkage field", "other candidates"),
        "prior": pgettext_lazy("linkage field", "prior"),
        "name frequency": pgettext_lazy("linkage field", "name frequency"),
        "event frequency": pgettext_lazy("linkage field", "event frequency"),
    },
    "licence": {
        "CC-BY-4.0": pgettext_lazy("licence", "Creative Commons Attribution 4.0"),
        "CC-BY-SA-4.0": pgettext_lazy("licence", "Creative Commons Attribution-ShareAlike 4.0"),
        "CC0-1.0": pgettext_lazy("licence", "Creative Commons Zero 1.0 (public domain dedication)"),
        "ODbL-1.0": pgettext_lazy("licence", "Open Data Commons Open Database License 1.0"),
        "ODC-By-1.0": pgettext_lazy("licence", "Open Data Commons Attribution License 1.0"),
        "PDDL-1.0": pgettext_lazy("licence", "Open Data Commons Public Domain Dedication and License 1.0"),
    },
    # What the person of one record is to another's (mingdan.store.models.RelationKind), read "mother of X".
    "relation": {
        "mother_of": pgettext_lazy("relation", "mother of"),
        "father_of": pgettext_lazy("relation", "father of"),
        "spouse_of": pgettext_lazy("relation", "spouse of"),
        "sibling_of": pgettext_lazy("relation", "sibling of"),
        "child_of": pgettext_lazy("relation", "child of"),
        "relative_of": pgettext_lazy("relation", "relative of"),
        "witness_for": pgettext_lazy("relation", "witness for"),
        "lawyer_for": pgettext_lazy("relation", "lawyer for"),
    },
    "harassment": {
        "surveillance": pgettext_lazy("harassment", "surveillance"),
        "house_arrest": pgettext_lazy("harassment", "house arrest"),
        "administrative_detention": pgettext_lazy("harassment", "administrative detention"),
        "criminal_detention": pgettext_lazy("harassment", "criminal detention"),
        "forced_travel": pgettext_lazy("harassment", "forced travel"),
        "travel_ban": pgettext_lazy("harassment", "travel ban"),
        "passport_refused": pgettext_lazy("harassment", "passport refused"),
        "loss_of_employment": pgettext_lazy("harassment", "loss of employment"),
        "loss_of_pension": pgettext_lazy("harassment", "loss of pension"),
        "threats": pgettext_lazy("harassment", "threats"),
        "police_visit": pgettext_lazy("harassment", "visit by police"),
        "eviction": pgettext_lazy("harassment", "eviction"),
        "pressure_on_relatives": pgettext_lazy("harassment", "pressure on relatives"),
        "communication_cut": pgettext_lazy("harassment", "communication cut"),
        "other": pgettext_lazy("harassment", "other"),
    },
    "tied_to": {
        "anniversary": pgettext_lazy("tied to", "an anniversary"),
        "visit": pgettext_lazy("tied to", "a visit"),
        "trial": pgettext_lazy("tied to", "a trial"),
        "other": pgettext_lazy("tied to", "another date"),
    },
    "language": {
        "en": pgettext_lazy("language", "English"),
        "zh-hans": pgettext_lazy("language", "Simplified Chinese"),
        "zh-hant": pgettext_lazy("language", "Traditional Chinese"),
    },
}


def _roles() -> dict:
    from .roles import ROLE_LABELS

    return ROLE_LABELS


VOCABULARY["role"] = _roles()
#: Fields whose normalized value is a code of a vocabulary: shown translated, with the source's words beside.
CODED_FIELDS = {"event": "event", "sex": "sex", "consent_publish_name": "consent", "harassment": "harassment",
                "tied_to": "tied_to", "relation": "relation"}


def word(value, vocabulary: str) -> str:
    """The value in the reader's language when it is a code of the vocabulary, else the value as recorded."""
    found = VOCABULARY.get(vocabulary, {}).get(value)
    return str(found) if found is not None else ("" if value is None else str(value))


def known(value, vocabulary: str) -> bool:
    """True when the value is a code of the vocabulary (and so is translated, not data)."""
    return value in VOCABULARY.get(vocabulary, {})


def duration(text: str | None) -> str:
    """An ISO duration as a reader says it: P12Y6M -> '12 years 6 months' / '12年6个月'."""
    if not text:
        return ""
    try:
        parsed = parse_duration(text)
    except DateError:
        return text
    parts = [ngettext("%(n)d year", "%(n)d years", parsed.years) % {"n": parsed.years}] if parsed.years else []
    if parsed.months:
        parts.append(ngettext("%(n)d month", "%(n)d months", parsed.months) % {"n": parsed.months})
    if parsed.days or not parts:
        parts.append(ngettext("%(n)d day", "%(n)d days", parsed.days) % {"n": parsed.days})
    joined = parts[0]
    for part in parts[1:]:
        joined = pgettext("duration", "%(first)s %(second)s") % {"first": joined, "second": part}
    return joined


def sentence(kind: str | None, term: str | None = None, reprieve: str | None = None) -> str:
    """A sentence as a court or a reader says it: 有期徒刑20年, 死刑缓期2年执行, 减刑1年, life imprisonment."""
    if kind == "fixed":
        return _("fixed term of %(duration)s") % {"duration": duration(term)} if term else _("fixed term")
    if kind == "death_reprieve":
        return _("death with a reprieve of %(duration)s") % {"duration": duration(reprieve or "P2Y")}
    if kind == "reduction":
        return _("reduced by %(duration)s") % {"duration": duration(term)}
    if kind == "life":
        return _("life imprisonment")
    if kind == "death":
        return _("death penalty")
    return duration(term) if term else ""


def sentence_value(normalized: str | None) -> str:
    """A stored sentence claim (P13Y, life, death, death-reprieve P2Y) as a reader says it."""
    text = (normalized or "").strip()
    head, _, rest = text.partition(" ")
    if head in ("life", "death"):
        return sentence(head)
    if head in ("death-reprieve", "death_reprieve"):
        return sentence("death_reprieve", reprieve=rest or None)
    return duration(text) if text.upper().startswith("P") else text


def flag(detail: dict) -> str:
    """A custody flag (mingdan.custody.compute.FLAG_TEXT's codes) in the reader's language, as safe HTML.

    The sources' names and dates inside it are data: they are marked translate="no".
    """
    from django.utils.html import escape, format_html
    from django.utils.safestring import mark_safe

    code = detail.get("code")
    data = lambda value: format_html('<span translate="no">{}</span>', value)  # noqa: E731
    if code == "overdue":
        text, values = _("expected release %(release)s passed %(days)s days before %(day)s with no confirmed release"), {
            "release": detail["expected_release"], "days": detail["days"], "day": detail["day"]}
    elif code == "unconfirmed":
        text, values = _("status not confirmed for more than %(years)s years before %(day)s (last event %(last)s)"), {
            "years": detail["years"], "day": detail["day"], "last": detail["last_event"]}
    elif code == "dates_disagree":
        text = _("sources disagree on the date of “%(event)s”: %(a)s (%(source_a)s) and %(b)s (%(source_b)s)")
        values = {"event": word(detail["event"], "event"), "a": detail["date_a"], "source_a": data(detail["source_a"]),
                  "b": detail["date_b"], "source_b": data(detail["source_b"])}
    elif code == "release_before_reduction":
        text = _("%(release)s on %(release_date)s (%(source_r)s) is dated before the reduction of %(reduction)s on "
                 "%(reduction_date)s (%(source_c)s); the reduction is not applied")
        values = {"release": word(detail["release"], "event"), "release_date": detail["release_date"],
                  "source_r": data(detail["release_source"]), "reduction": detail["reduction"],
                  "reduction_date": detail["reduction_date"], "source_c": data(detail["reduction_source"])}
    else:
        return escape(str(detail))
    return mark_safe(escape(text) % {key: value if key.startswith("source") else escape(value)  # noqa: S308
                                     for key, value in values.items()})


def figure(claim) -> str:
    """A count claim's figure as a reader says it: '727', '400–800', 'at least 8' / '至少8' (a model or its dict)."""
    get = claim.get if isinstance(claim, dict) else (lambda key: getattr(claim, key))
    best, low, high = get("best"), get("minimum"), get("maximum")
    if best is not None:
        return f"{best:,}"
    if low is not None and high is not None:
        return f"{low:,}–{high:,}"
    if low is not None:
        return _("at least %(n)s") % {"n": f"{low:,}"}
    return _("at most %(n)s") % {"n": f"{high:,}"} if high is not None else ""


def claims_range(span: dict) -> str:
    """The span of a category's published claims: '80–241', '3', '≥ 3' when one gives only a minimum (never '3'),
    '≤ 525' when one gives only a maximum; '—' with no claim."""
    from mingdan.publish.account import range_text

    return range_text(span, "—", unbounded=_("open at both ends"))


def metric(text: str | None) -> str:
    """A count claim's metric in the reader's language: its category, with the source's own words beside it
    when they say more ('Killed (as written: “killed (civilians)”)'); a metric of no category is data."""
    from django.utils.html import format_html

    from mingdan.store.categories import category_of_metric, metric_is_category

    written = format_html('<span translate="no">{}</span>', text or "")
    category = category_of_metric(text or "")
    if category is None:
        return written
    label = word(category, "category")
    if metric_is_category(text, category):
        return format_html("{}", label)
    before, _middle, after = _("as written: “%(metric)s”").partition("%(metric)s")
    return format_html('{} <span class="written">({}{}{})</span>', label, before, written, after)


_SEASON_WORDS = {"21": pgettext_lazy("season", "spring"), "22": pgettext_lazy("season", "summer"),
                 "23": pgettext_lazy("season", "autumn"), "24": pgettext_lazy("season", "winter")}
_EDTF_POINT = re.compile(r"^(?P<body>-?[0-9X]{4}(?:-[0-9X]{2}(?:-[0-9X]{2})?)?)(?P<mark>[~?%]?)$")


def date_words(edtf: str | None) -> str:
    """An EDTF date as a reader says it: ISO days stay, 1989-22 is 'summer 1989', ~ 'about', ? 'uncertain'."""
    if not edtf:
        return ""
    if "/" in edtf:
        start, _sep, end = edtf.partition("/")
        if start in ("", ".."):
            return _("by %(date)s") % {"date": date_words(end)}
        if end in ("", ".."):
            return _("from %(date)s") % {"date": date_words(start)}
        return f"{date_words(start)} – {date_words(end)}"
    match = _EDTF_POINT.match(edtf)
    if match is None:
        return edtf  # a form this function does not know is shown as recorded, never guessed at
    body, mark = match["body"], match["mark"]
    year, _sep, rest = body.partition("-")
    if rest in _SEASON_WORDS:
        body = _("%(season)s %(year)s") % {"season": _SEASON_WORDS[rest], "year": year}
    elif not rest and year.endswith("X"):
        body = _("the %(decade)ss") % {"decade": year.replace("X", "0")} if year.count("X") == 1 else body
    if mark == "~":
        return _("about %(date)s") % {"date": body}
    if mark == "?":
        return _("%(date)s (uncertain)") % {"date": body}
    if mark == "%":
        return _("about %(date)s (uncertain)") % {"date": body}
    return body
