"""One list names a person once: two of its records under different names are two people.

A list is compiled by one hand, which does not enter a person twice under two names; when it does
enter someone twice (1-3% of the blind generator's lists' records), it writes the name the same
way, or in the same pinyin. So inside one would-be person, two records of one list whose names
share neither characters, nor a pinyin key, nor the whole set of readings are two people, and
clustering never joins them (run.cluster). Links chain: at 100,000 records of the blind generator
a Hong Kong spelling that many names share (`Wu Kwan`, `Lee Fu`) linked, with the same city and
"killed on 3-4 June", to 吴军 and to 胡坤 of the same mainland list, and through them to more,
until one cluster held 4,219 records of 1,823 people. A reviewer's "same" outranks this rule.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

def same_list_comparison():
    """Splink's comparison of the two records' lists: one list, or two.

    Trained as the other fields are: a list names a person twice now and then (1-3% of the blind
    generator's lists' records), so m of "one list" is small; u is the share of random pairs that
    come from one list (about a fifth with six lists). At 100,000 records of the blind generator,
    scored pairs of one list were one person 3-19% of the time where pairs of two lists with the
    same probability were 56-90%: namesakes of one list looked like one person.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(output_column_name="list", comparison_levels=[
        cll.NullLevel("source"),
        cll.CustomLevel("source_l = source_r", label_for_charts="one list names both"),
        cll.ElseLevel().configure(label_for_charts="two lists"),
    ], comparison_description="whether one list names both records")


#: The name keys two records of one list are compared by: equal on any one, the same name as a list writes it.
NAME_KEYS = ("characters_key", "pinyin_key", "readings_key")


def list_names(frame: "pa.Table") -> dict[int, tuple[str, tuple]]:
    """record -> (its list, its name keys), for the records that have a name."""
    columns = [frame[c].to_pylist() for c in ("unique_id", "source", *NAME_KEYS)]
    named = {}
    for uid, source, *keys in zip(*columns):
        if source is not None and any(keys):
            named[uid] = (source, tuple(keys))
    return named


def same_name(a: tuple, b: tuple) -> bool:
    """Whether two records of one list may be one person: they agree on characters, pinyin key or readings."""
    return any(x is not None and x == y for x, y in zip(a, b))


def conflicting(ours: dict[str, set[tuple]], theirs: dict[str, set[tuple]]) -> bool:
    """Whether joining two groups (list -> name keys of their records) puts two names of one list in one person."""
    if len(ours) > len(theirs):
        ours, theirs = theirs, ours
    for source, names in ours.items():
        other = theirs.get(source)
        if other and any(not same_name(a, b) for a in names for b in other):
            return True
    return False


def groups_with_two_names(label, ids, named: dict[int, tuple[str, tuple]]) -> set[int]:
    """Component labels holding two records of one list with different name keys (clustered with the rule)."""
    seen: dict[tuple[int, str], tuple] = {}
    flagged: set[int] = set()
    for component, uid in zip(label.tolist(), ids.tolist()):
        entry = named.get(uid)
        if entry is None:
            continue
        # Any difference flags the group; whether it is two names is decided link by link when it is rebuilt.
        if seen.setdefault((component, entry[0]), entry[1]) != entry[1]:
            flagged.add(component)
    return flagged
