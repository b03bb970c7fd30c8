"""The accounting's categories and the events that put a record in each: one definition for every output.

The accounting, the estimates, the release's tables and the report all read this, so that a
category means the same thing wherever its number is printed. A death in custody is its own
category: it is not a killing in the crackdown that published "killed" figures speak of, and
counting it there silently would make the named count and those figures disagree.
"""

from __future__ import annotations

#: Events that put a record in each category named from events ("still imprisoned" is computed
#: from custody status instead). Someone who died in custody was detained first, so they are also
#: counted among the detained; they are never counted among the killed.
CATEGORY_EVENTS: dict[str, tuple[str, ...]] = {
    "killed": ("killed",),
    "died_in_custody": ("died_in_custody",),
    "detained": ("detained", "arrested", "tried", "sentenced"),
    "missing": ("disappeared",),
}

#: Every category of the accounting, in the order it is printed.
CATEGORIES: tuple[str, ...] = ("killed", "died_in_custody", "detained", "imprisoned", "missing")

#: Each category's name in the languages of the interface and the report.
CATEGORY_LABELS: dict[str, dict[str, str]] = {
    "killed": {"en": "Killed", "zh-hans": "遇难", "zh-hant": "遇難"},
    "died_in_custody": {"en": "Died in custody", "zh-hans": "羁押期间死亡", "zh-hant": "羈押期間死亡"},
    "detained": {"en": "Detained", "zh-hans": "被拘押", "zh-hant": "被拘押"},
    "imprisoned": {"en": "Still imprisoned", "zh-hans": "仍在狱中", "zh-hant": "仍在獄中"},
    "missing": {"en": "Missing", "zh-hans": "失踪", "zh-hant": "失蹤"},
}


#: Published metrics that speak about each category; the longest phrase the metric starts with decides.
METRIC_WORDS: dict[str, tuple[str, ...]] = {
    "killed": ("killed", "dead", "deaths", "died"),
    "died_in_custody": ("died in custody", "deaths in custody", "died_in_custody", "custody deaths"),
    "detained": ("detained", "arrested", "convicted", "sentenced", "jailed"),
    "imprisoned": ("still imprisoned", "imprisoned", "still held", "held"),
    "missing": ("missing", "disappeared"),
}


def category_of_metric(metric: str) -> str | None:
    """The category a count claim's metric speaks of ("killed (civilians)": killed), or None."""
    text = metric.strip().lower()
    # Longest phrase first: "still imprisoned" must not be read as "imprisoned" of another category.
    phrases = sorted(((w, c) for c, words in METRIC_WORDS.items() for w in words), key=lambda p: -len(p[0]))
    return next((category for word, category in phrases if text.startswith(word)), None)


def metric_is_category(metric: str, category: str) -> bool:
    """True when a metric says no more than its category's name ("killed", "died in custody"): no need to quote it."""
    return metric.strip().lower() in {category, category.replace("_", " "), CATEGORY_LABELS[category]["en"].lower()}


def category_of_event(event_type: str) -> str | None:
    """The category an event type puts a record in, or None."""
    return next((category for category, events in CATEGORY_EVENTS.items() if event_type in events), None)
