"""The review page says what each comparison level means as the run's own model labels it."""

from __future__ import annotations

import html
from pathlib import Path

from mingdan.demo import demo_lists
from mingdan.ingest.importer import import_file
from mingdan.linkage.explain import level_meanings
from mingdan.linkage.run import link_case

from .conftest import PASSWORD

DEMO = Path(__file__).resolve().parents[2] / "examples" / "demo"


def test_each_compared_field_is_explained_with_the_label_of_its_level_in_the_run(case, client):
    from mingdan.names.script import classify_name
    from mingdan.store.models import Name, PairLink
    from mingdan.web.accounts import add_user
    from mingdan.web.case import use

    for path, mapping in demo_lists(DEMO):
        import_file(case, path, mapping_path=mapping)
    link_case(case)
    use(case)
    add_user("editor", "editor", PASSWORD)
    assert client.post("/login", {"username": "editor", "password": PASSWORD}, secure=True).status_code == 302
    pairs = list(PairLink.objects.filter(band="review").select_related("run").order_by("id")[:12])
    assert pairs, "the demo's run has pairs to review"
    seen_levels = set()
    for pair in pairs:
        page = html.unescape(client.get(f"/review/{pair.record_a_id}/{pair.record_b_id}", secure=True)
                             .content.decode())
        labels = level_meanings(pair.run.settings)
        level = pair.weights["name"]["level"]
        seen_levels.add(level)
        assert labels["name"][level] in page
        in_characters = [any(classify_name(text)[0] in ("hans", "hant", "hani") for text in
                             Name.objects.filter(record_id=pk).values_list("text", flat=True))
                         for pk in (pair.record_a_id, pair.record_b_id)]
        if not all(in_characters):  # one side has no characters: never "same characters"
            assert labels["name"][level] != "same characters"
    assert len(seen_levels) > 1, seen_levels  # the check covered more than one level
