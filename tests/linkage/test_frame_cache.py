"""The linkage frame kept between runs: sealed, reused only while what it was read from is unchanged."""

from __future__ import annotations

import pytest

from mingdan.demo import demo_lists
from mingdan.ingest.amend import amend
from mingdan.ingest.importer import import_file
from mingdan.linkage import frame as frame_module
from mingdan.linkage.frame import frame_table
from mingdan.linkage.frame_cache import KeptFrame, cache_path
from mingdan.linkage.run import link_case
from mingdan.simulate import SimulationSettings, simulate_case, write_case


@pytest.fixture
def linked(case, tmp_path):
    """A case with four simulated lists linked, and the fifth list waiting to be imported."""
    write_case(simulate_case(SimulationSettings(seed=9, people=300)), tmp_path / "sim")
    lists = demo_lists(tmp_path / "sim")
    for path, mapping in lists[:4]:
        import_file(case, path, mapping_path=mapping)
    link_case(case)
    return case, lists[4]


def rows(table) -> list[dict]:
    return sorted(table.to_pylist(), key=lambda row: row["unique_id"])


def reads_of_the_store(monkeypatch) -> list:
    """Record which records each frame_table call read (None: all of them)."""
    calls = []
    real = frame_module.frame_table

    def counting(*args, **options):
        calls.append(options.get("after"))
        return real(*args, **options)

    monkeypatch.setattr(frame_module, "frame_table", counting)
    return calls


def test_the_kept_frame_is_sealed_and_read_back_whole(linked):
    case, _ = linked
    path = cache_path(case)
    assert path.is_file()
    data = path.read_bytes()
    names = [row["name"] for row in frame_table().to_pylist() if row["name"]]
    assert len(names) > 300
    # Not one name (nor a derived pinyin key) is written in the clear.
    assert not any(name.encode("utf-8") in data for name in names if len(name) >= 2)
    assert not any(row["pinyin_key"].encode() in data for row in frame_table().to_pylist() if row["pinyin_key"])
    kept = KeptFrame(case)
    assert rows(kept.load()) == rows(frame_table())
    assert kept.known is not None  # the kept copy was used, not rebuilt


def test_an_incremental_run_reads_only_the_new_records(linked, monkeypatch):
    case, (path, mapping) = linked
    import_file(case, path, mapping_path=mapping)
    calls = reads_of_the_store(monkeypatch)
    kept = KeptFrame(case)
    loaded = kept.load()
    assert calls and all(after is not None for after in calls)
    assert rows(loaded) == rows(frame_table())
    result = link_case(case, incremental=True)
    assert result.records == loaded.num_rows
    # Run again with nothing new: nothing to score, nobody moves.
    from mingdan.store.models import Record

    before = dict(Record.objects.values_list("pk", "person__person_id"))
    again = link_case(case, incremental=True)
    assert again.pairs_scored == 0 and again.new_ids == 0
    assert dict(Record.objects.values_list("pk", "person__person_id")) == before


def test_an_amended_old_record_makes_the_kept_frame_stale(linked):
    from mingdan.store.models import Record

    case, _ = linked
    record = Record.objects.order_by("pk").first()
    amend(case, record, "age", "77", user="tester", reason="a test")
    kept = KeptFrame(case)
    loaded = kept.load()
    assert kept.known is None  # rebuilt from the store
    row = next(r for r in loaded.to_pylist() if r["unique_id"] == record.pk)
    assert row["age"] == 77
    assert rows(loaded) == rows(frame_table())


def test_a_new_version_of_a_list_makes_the_kept_frame_stale(linked, tmp_path):
    from mingdan.store.models import Source

    case, _ = linked
    first = tmp_path / "first.csv"
    first.write_text("record_id,name,age,event\nz1,李明,30,killed\n", "utf-8")
    import_file(case, first, source_name="Extra")
    link_case(case)
    kept = KeptFrame(case)
    kept.load()
    assert kept.known is not None
    second = tmp_path / "second.csv"
    second.write_text("record_id,name,age,event\nz2,王芳,40,detained\n", "utf-8")
    import_file(case, second, source_name="Extra")  # supersedes z1's claims: an old record changes
    assert Source.objects.filter(name="Extra").count() == 1
    kept = KeptFrame(case)
    loaded = kept.load()
    assert kept.known is None
    assert rows(loaded) == rows(frame_table())


def test_a_damaged_kept_frame_is_rebuilt_and_never_trusted(linked):
    case, _ = linked
    path = cache_path(case)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    kept = KeptFrame(case)
    assert rows(kept.load()) == rows(frame_table())
    assert kept.known is None
    assert not path.exists()
