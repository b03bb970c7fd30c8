"""Many people whom one Hong Kong spelling fits, in one city and on the same days, are not merged into one.

At 100,000 records of the blind generator, `Wu Kwan`, `Lee Fu`, `Cheung Kam` (a spelling dozens of
names in characters read as) linked with the same city and "killed on 3-4 June" to every one of
those names, and one person held 4,219 records of 1,823 people (docs/linkage.md).
"""

from __future__ import annotations

from collections import Counter

import pytest

from mingdan.demo import demo_lists
from mingdan.ingest.importer import import_file
from mingdan.linkage.run import link_case
from mingdan.simulate import SimulationSettings, simulate_case, write_case

#: Twelve people whose names in characters differ, and every one of which Hong Kong writes `Wong Wai`.
WONG_WAI = ("王伟", "黄伟", "王卫", "黄维", "汪威", "王威", "黄玮", "汪伟", "王维", "黄炜", "王慧", "黄蕙")


@pytest.fixture
def linked(case, tmp_path, write_rows):
    """A simulated case (enough records to train on), a mainland list of the twelve and a Hong Kong list
    of twelve `Wong Wai`, all killed in Beijing on 4 June 1989; linked."""
    write_case(simulate_case(SimulationSettings(seed=7, people=400)), tmp_path / "sim")
    for path, mapping in demo_lists(tmp_path / "sim"):
        import_file(case, path, mapping_path=mapping)
    mainland = [{"record_id": f"M{i:02d}", "name": name, "sex": "男", "place": "北京市", "event": "killed",
                 "event_date": "1989-06-04"} for i, name in enumerate(WONG_WAI)]
    hongkong = [{"record_id": f"H{i:02d}", "name": "Wong Wai", "place": "Peking", "event": "killed",
                 "event_date": "1989-06-04"} for i in range(len(WONG_WAI))]
    import_file(case, write_rows(mainland, "wong_mainland.csv"), source_name="wong mainland")
    import_file(case, write_rows(hongkong, "wong_hongkong.csv"), source_name="wong hongkong")
    link_case(case)
    from mingdan.store.models import Record

    return {(source, record_id): person for source, record_id, person in Record.objects.filter(
        source__name__startswith="wong ").values_list("source__name", "record_id", "person__person_id")}


@pytest.mark.slow
def test_a_spelling_many_names_share_does_not_merge_them(linked):
    people = Counter(linked.values())
    # The twelve names in characters are twelve people: one list does not name a person twice.
    assert len({linked[("wong mainland", f"M{i:02d}")] for i in range(len(WONG_WAI))}) == len(WONG_WAI)
    # No one holds more than one of them and one `Wong Wai`: the spelling fits any of the twelve.
    assert max(people.values()) <= 2, people.most_common(3)
    # `mingdan link explain` on a pair the score linked and the clustering kept apart says why.
    from mingdan.linkage.explain import explain_pair
    from mingdan.store.models import PairLink, Record

    mainland = Record.objects.filter(source__name="wong mainland")
    pair = PairLink.objects.filter(band="auto", record_a__in=mainland, record_b__in=mainland).first()
    assert pair is not None
    assert "one list names both" in explain_pair(pair.record_a, pair.record_b)["summary"]
