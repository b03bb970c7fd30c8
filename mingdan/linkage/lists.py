"""One list names a person once: two of its records under different names are two people.

A list is compiled by one hand, which does not enter a person twice under two names; when it does
enter someone twice (1-3% of the blind generator's lists' records), it writes the name the same
way. So inside one would-be person, two records of one list whose names differ in characters (or,
where one is romanized, share neither a pinyin key nor the whole set of readings) are two people, and
clustering never joins them (clustering.cluster). Links chain: at 100,000 records of the blind generator
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


#: Records of one list one person may hold: a list that names someone again does so once, not three times
#: (twelve `Wong Wai` of one Hong Kong list, all killed in Beijing on 4 June, are not one person).
MOST_PER_LIST = 2
#: The name keys two records of one list are compared by: equal on any one, the same name as a list writes it.
NAME_KEYS = ("characters_key", "pinyin_key", "readings_key")


def list_names(frame: "pa.Table") -> dict[int, tuple[str, tuple]]:
    """record -> (its list, its name keys), for the records that have a name.

    A name one list holds more than MOST_PER_LIST times is that many people (frequencies.TF_COMPARED
    counts them so too): such a record gets keys of its own, which no other record of its list shares.
    """
    from collections import Counter

    columns = [frame[c].to_pylist() for c in ("unique_id", "source", *NAME_KEYS)]
    named = {uid: (source, tuple(keys)) for uid, source, *keys in zip(*columns) if source is not None and any(keys)}
    held = Counter(named.values())
    return {uid: entry if held[entry] <= MOST_PER_LIST else (entry[0], (f"#{uid}", None, None))
            for uid, entry in named.items()}


def alike_pairs(frame: "pa.Table", scored: "pa.Table") -> set[tuple[int, int]]:
    """(a, b), a < b, of the scored pairs (all at least the review threshold) whose records one list names: a list's
    repeat of one person, written anew, often scores below auto-link (the list weighs against it), yet it is one."""
    left, right = scored["unique_id_l"].to_numpy(), scored["unique_id_r"].to_numpy()
    source_of = list_codes(frame)
    one = source_of(left) == source_of(right)
    return {(int(min(a, b)), int(max(a, b))) for a, b in zip(left[one], right[one])}


def list_codes(frame: "pa.Table"):
    """A function from record ids (an array) to a code of each record's list (equal codes, one list)."""
    import pyarrow.compute as pc

    rows = row_finder(frame)
    source = pc.dictionary_encode(frame["source"]).combine_chunks().indices.to_numpy(zero_copy_only=False)
    return lambda uids: source[rows(uids)]


def row_finder(frame: "pa.Table"):
    """A function from record ids (an array, each in the frame) to their rows in the frame."""
    import numpy as np

    ids = frame["unique_id"].to_numpy()
    order = np.argsort(ids)
    return lambda uids: order[np.searchsorted(ids, uids, sorter=order)]


def same_name(a: tuple, b: tuple) -> bool:
    """Whether two records of one list may be one person: the same characters where both are in characters
    (王伟 and 王卫 of one list are two people, though they read alike), else the same pinyin key or readings."""
    if a[0] is not None and b[0] is not None:
        return a[0] == b[0]
    return any(x is not None and x == y for x, y in zip(a[1:], b[1:]))


def conflicting(ours: dict[str, list[tuple]], theirs: dict[str, list[tuple]], direct: set[tuple[int, int]]) -> bool:
    """Whether joining two groups (list -> (record, name keys) of their records) would make one person of two
    records of one list that differ in name, or whose own pair is not in `direct` (a list's repeat of one person
    is seen in the pair itself, never only through a third record), or of more than MOST_PER_LIST of its records."""
    if len(ours) > len(theirs):
        ours, theirs = theirs, ours
    for source, mine in ours.items():
        other = theirs.get(source)
        if not other:
            continue
        if len(mine) + len(other) > MOST_PER_LIST:
            return True
        for a, keys_a in mine:
            for b, keys_b in other:
                if not same_name(keys_a, keys_b) or (min(a, b), max(a, b)) not in direct:
                    return True
    return False


def groups_with_two_names(label, ids, named: dict[int, tuple[str, tuple]]) -> set[int]:
    """Component labels holding two records of one list (clustered with the rule, link by link)."""
    held: set[tuple[int, str]] = set()
    flagged: set[int] = set()
    for component, uid in zip(label.tolist(), ids.tolist()):
        entry = named.get(uid)
        if entry is None:
            continue
        key = (component, entry[0])
        if key in held:
            flagged.add(component)
        held.add(key)
    return flagged
