"""A reader who does not read every level sees each pair scored again from the values it may read, every other value
exactly as if it were not recorded: the review page of a pair whose record holds a hidden value reads like that of a
pair whose record never held it (it said "Match probability withheld" and marked the hidden fields), and the queue is
ordered by these scores, not by the run's."""

from __future__ import annotations

import re

import pytest

ROWS = "record_id,name,sex,age,event,event_date,place\n"


def _import(case, tmp_path, name: str, text: str, mapping: str | None = None) -> None:
    from mingdan.ingest.importer import import_file

    path = tmp_path / f"{name}.csv"
    path.write_text(ROWS + text, "utf-8")
    if mapping is None:
        import_file(case, path, source_name=name)
        return
    spec = tmp_path / f"{name}.yaml"
    spec.write_text(f"source: {{name: {name}}}\ncolumns:\n  record_id: record_id\n  name: name\n" + mapping, "utf-8")
    import_file(case, path, mapping_path=spec)


@pytest.fixture
def twins(web_case, tmp_path):
    """Pairs of twin records, one of each pair holding a value some roles may not read, the other not; a real run
    that stores every pair it scores (review threshold near 0), each put in the review band for the queue's tests."""
    from mingdan.linkage.run import link_case
    from mingdan.store.models import LinkRun, PairLink, Record

    case = web_case["case"]
    # Q: its only event is harassed (families: hidden below editor); N: no event at all.
    _import(case, tmp_path, "Held", "Q1,司马青云,female,40,harassed,2019-06-01,Beijing\n"
                                    "N1,司马白云,female,40,,,\n")
    # S: a secret sex (hidden from every role but admins); T: no sex recorded.
    _import(case, tmp_path, "Sexed", "S1,欧阳晓峰,male,41,detained,1990-01-05,Beijing\n"
                                     "T1,欧阳晓雨,,41,detained,1990-01-05,Beijing\n",
            mapping="  sex: {field: sex, sensitivity: secret}\n  age: age\n  event: event\n"
                    "  event_date: event_date\n  place: place\n")
    _import(case, tmp_path, "Twins", "Q2,司马青云,female,40,detained,1989-06-05,Beijing\n"
                                     "N2,司马白云,female,40,detained,1989-06-05,Beijing\n"
                                     "S2,欧阳晓峰,male,41,detained,1990-01-05,Beijing\n"
                                     "T2,欧阳晓雨,male,41,detained,1990-01-05,Beijing\n")
    case.set_setting("linkage", "review", "0.000000001")
    link_case(case)
    run = LinkRun.objects.order_by("-id").first()
    assert "place_lineage" in str(run.settings)
    ids = {r.record_id: r.pk for r in Record.objects.all()}
    for left, right in (("Q1", "Q2"), ("N1", "N2"), ("S1", "S2"), ("T1", "T2")):
        assert PairLink.objects.filter(run=run, record_a_id=min(ids[left], ids[right]),
                                       record_b_id=max(ids[left], ids[right])).exists(), (left, right)
    PairLink.objects.filter(run=run).update(band="review")
    return ids


def _link(ids: dict, left: str, right: str):
    """The pair's link of the latest run."""
    from mingdan.store.models import PairLink

    return PairLink.objects.filter(record_a_id=min(ids[left], ids[right]),
                                   record_b_id=max(ids[left], ids[right])).latest("run_id")


def _score(client, a: int, b: int) -> tuple[str, list[str], dict[str, str]]:
    """The probability, the weights column of a pair's review page and each field's weight by the field's name."""
    page = client.get(f"/review/{a}/{b}", secure=True).content.decode()
    # Nothing in the score says that a value is hidden (every claim row says "nothing you may read" alike).
    assert "Match probability withheld" not in page and '<em class="withheld">withheld</em>' not in page
    probability = re.search(r"Match probability ([0-9.]+)", page).group(1)
    by_field = dict(re.findall(r'<tr><td>([^<]*)</td>.*?<td class="num">([^<]*)</td>', page))
    return probability, re.findall(r'<td class="num">([^<]*)</td>', page), by_field


def _age_weight(score: tuple) -> float:
    return float(score[2]["age"])


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "hidden", "plain"), [("reviewer", "Q", "N"), ("editor", "S", "T"),
                                                       ("reviewer", "S", "T")])
def test_a_pair_with_a_hidden_value_scores_as_if_the_value_were_not_recorded(twins, login, role, hidden, plain):
    client = login(role)
    with_hidden = _score(client, twins[f"{hidden}1"], twins[f"{hidden}2"])
    # The plain pair is shown the run's own score (Splink's), the other one scored again from the reader's values
    # (linkage/reader_scores.py): the two agree to every printed digit, weights included.
    without = _score(client, twins[f"{plain}1"], twins[f"{plain}2"])
    assert without[0] == f"{_link(twins, plain + '1', plain + '2').match_probability:.3f}"
    assert with_hidden == without
    everything = _score(login("admin"), twins[f"{hidden}1"], twins[f"{hidden}2"])
    assert with_hidden != everything, "the hidden value weighs in the run's score; the reader's leaves it out"


@pytest.mark.django_db
def test_the_run_stores_reader_scores_only_where_a_view_hides_an_input(twins):
    from mingdan.store.models import LinkRun, ReaderScore

    run = LinkRun.objects.order_by("-id").first()
    assert run.marks and run.marks["claim"] > 0
    names = {pk: key for key, pk in twins.items()}

    def stored(level: str, families: bool) -> set[str]:
        rows = ReaderScore.objects.filter(run=run, level=level, families=families)
        return {"".join(sorted(names[pk] for pk in (row.record_a_id, row.record_b_id))) for row in rows}

    # The harassed event (Q1) is hidden from every reader without families; the secret sex (S1) below secret.
    assert {"Q1Q2", "S1S2"} <= stored("restricted", False)
    assert not {"N1N2", "T1T2"} & stored("restricted", False)
    assert "Q1Q2" in stored("secret", False) and "S1S2" not in stored("secret", False)
    assert "S1S2" in stored("restricted", True) and "Q1Q2" not in stored("restricted", True)
    assert not ReaderScore.objects.filter(run=run, level="secret", families=True).exists()


@pytest.mark.django_db
def test_the_views_hidden_records_read_at_once_are_each_views_own(twins):
    # The run reads every view's hidden records in one pass (hidden_by_view); each must be what the view's own
    # reading finds: the harassed event hidden without families, the secret sex below secret.
    from mingdan.linkage.reader_scores import VIEWS, hidden_by_view, hidden_records

    found = hidden_by_view(VIEWS)
    assert [hidden_records(view) for view in VIEWS] == found
    assert {twins["Q1"], twins["S1"]} <= found[0] and twins["S1"] not in found[-1]


@pytest.mark.django_db
def test_a_reader_of_every_value_sees_the_runs_score(twins, login):
    client = login("admin")
    assert _score(client, twins["Q1"], twins["Q2"])[0] == f"{_link(twins, 'Q1', 'Q2').match_probability:.3f}"
    editor = login("editor")  # reads the harassed event, which weighs against the pair: not as if absent
    assert _score(editor, twins["Q1"], twins["Q2"]) != _score(editor, twins["N1"], twins["N2"])


@pytest.mark.django_db
def test_a_record_changed_after_the_run_is_scored_from_its_values_now_for_every_reader(twins, login, web_case):
    from mingdan.ingest.amend import amend
    from mingdan.store.models import Record

    before = _score(login("reviewer"), twins["T1"], twins["T2"])
    amend(web_case["case"], Record.objects.get(pk=twins["T2"]), "age", "75", "tester", "typed again")
    after = _score(login("reviewer"), twins["T1"], twins["T2"])
    # 41 against 75 now weighs against the pair.
    assert _age_weight(after) < 0 < _age_weight(before) and float(after[0]) < float(before[0]), (before, after)
    # A reader of every value is shown the pair as it is now too: the run's score read the age before it was typed
    # again, and beside the values now it would say they agree (an outside tester saw "0.62 same sex" beside two sexes).
    assert _score(login("admin"), twins["T1"], twins["T2"]) == after


@pytest.mark.django_db
def test_the_queue_follows_the_readers_scores_not_the_runs(twins, login):
    from mingdan.store.lens import Lens
    from mingdan.store.models import LinkRun, PairLink
    from mingdan.web import scores

    run = LinkRun.objects.order_by("-id").first()
    links = list(PairLink.objects.filter(run=run))
    reviewer = Lens(("public", "restricted"), families=False)
    shown = scores.run_scores(run, [(link.record_a_id, link.record_b_id) for link in links], reviewer)

    def as_shown(link) -> float:
        found = shown.get((min(link.record_a_id, link.record_b_id), max(link.record_a_id, link.record_b_id)))
        return found.probability if found else link.match_probability

    expected = min(links, key=lambda link: (abs(as_shown(link) - 0.5), link.pk))
    hidden = [_link(twins, "Q1", "Q2"), _link(twins, "S1", "S2")]
    pages = []
    for stored in ((0.5, 0.3), (0.9, 0.5)):  # the run's scores of these pairs rest on the hidden values too
        for link, probability in zip(hidden, stored):
            PairLink.objects.filter(pk=link.pk).update(match_probability=probability)
        page = login("reviewer").get("/review", secure=True).content.decode()
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
    assert pages[0] == pages[1]
    assert f'action="/review/{expected.record_a_id}/{expected.record_b_id}/decide"' in pages[0]
    # A reader of every value is given the most uncertain pair by the run's scores.
    admin = login("admin").get("/review", secure=True).content.decode()
    first = min(links, key=lambda link: (abs(PairLink.objects.get(pk=link.pk).match_probability - 0.5), link.pk))
    assert f'action="/review/{first.record_a_id}/{first.record_b_id}/decide"' in admin


@pytest.mark.django_db
@pytest.mark.parametrize("values", ["all", "public"])
def test_a_case_linked_on_public_values_groups_as_if_hidden_values_were_absent(web_case, tmp_path, values):
    """Which records make one person is linkage's conclusion over every value: a hidden harassed event can keep two
    records apart for a viewer who sees neither why nor that it exists. A high-risk case links on public values."""
    from mingdan.linkage.run import link_case
    from mingdan.store.models import LinkRun, PairLink, Record

    case = web_case["case"]
    _import(case, tmp_path, "Held", "Q1,司马青云,female,40,harassed,2019-06-01,Beijing\nN1,司马白云,female,40,,,\n")
    _import(case, tmp_path, "Twins", "Q2,司马青云,female,40,detained,1989-06-05,Beijing\n"
                                     "N2,司马白云,female,40,detained,1989-06-05,Beijing\n")
    if values == "public":
        case.set_setting("linkage", "values", "public")
    link_case(case)
    run = LinkRun.objects.order_by("-id").first()
    ids = {r.record_id: r for r in Record.objects.all()}

    def score(left: str, right: str) -> float | None:
        a, b = sorted((ids[left].pk, ids[right].pk))
        link = PairLink.objects.filter(run=run, record_a_id=a, record_b_id=b).first()
        return round(link.match_probability, 6) if link else None

    same = score("Q1", "Q2") == score("N1", "N2")
    assert same is (values == "public")
    if values == "public":
        grouped = {key: Record.objects.get(pk=ids[key].pk).person_id for key in ("Q1", "Q2", "N1", "N2")}
        assert (grouped["Q1"] == grouped["Q2"]) is (grouped["N1"] == grouped["N2"])


def test_an_unknown_linkage_values_setting_is_refused(case):
    from mingdan.linkage.frame import linkage_view

    case.set_setting("linkage", "values", "restricted")
    with pytest.raises(ValueError, match='choose "all"'):
        linkage_view(case)


@pytest.mark.django_db
def test_a_record_page_lists_its_links_with_the_readers_scores(twins, login):
    from mingdan.store.models import PairLink

    reviewer = login("reviewer")
    shown = {}
    for key in ("Q", "N"):
        page = reviewer.get(f"/records/{twins[key + '1']}", secure=True).content.decode()
        found = re.search(r"Twins:" + key + r"2</a></td><td>([0-9.]+)</td>", page)
        assert found, page[-2000:]
        shown[key] = found.group(1)
    assert shown["Q"] == shown["N"] == _score(reviewer, twins["N1"], twins["N2"])[0]
    link = PairLink.objects.get(record_a_id=min(twins["Q1"], twins["Q2"]), record_b_id=max(twins["Q1"], twins["Q2"]))
    PairLink.objects.filter(pk=link.pk).update(match_probability=0.123)
    assert f"Twins:Q2</a></td><td>{shown['Q']}</td>" in reviewer.get(f"/records/{twins['Q1']}", secure=True).content.decode()
    assert "Twins:Q2</a></td><td>0.123</td>" in login("admin").get(f"/records/{twins['Q1']}", secure=True).content.decode()


@pytest.mark.django_db
def test_a_pair_scored_by_two_runs_is_listed_once_with_the_latest_score(twins, login, web_case):
    from mingdan.linkage.run import link_case
    from mingdan.store.models import LinkRun, PairLink

    link_case(web_case["case"])
    latest = LinkRun.objects.order_by("-id").first()
    a, b = sorted((twins["N1"], twins["N2"]))
    assert PairLink.objects.filter(record_a_id=a, record_b_id=b).count() == 2
    page = login("reviewer").get(f"/records/{twins['N1']}", secure=True).content.decode()
    assert page.count("Twins:N2</a>") == 1
    newest = PairLink.objects.get(run=latest, record_a_id=a, record_b_id=b)
    assert f"Twins:N2</a></td><td>{newest.match_probability:.3f}</td>" in page


@pytest.mark.django_db
def test_a_run_without_stored_reader_scores_withholds_what_rests_on_a_hidden_value(twins, login):
    from mingdan.store.models import LinkRun

    LinkRun.objects.update(marks={})  # as a run made before reader scores were stored
    reviewer = login("reviewer")
    page = reviewer.get(f"/records/{twins['Q1']}", secure=True).content.decode()
    assert "Twins:Q2</a>" not in page  # rests on the harassed event the reviewer may not read: left out whole
    assert "Twins:N2</a>" in reviewer.get(f"/records/{twins['N1']}", secure=True).content.decode()
    review = reviewer.get(f"/review/{twins['Q1']}/{twins['Q2']}", secure=True).content.decode()
    assert "Match probability withheld" in review


@pytest.mark.django_db
def test_a_hidden_sentence_scores_as_if_it_were_not_recorded(web_case, tmp_path, login):
    """Sentences are compared (an outside tester saw a secret sentence's "2.41 same sentence" on a reviewer's page)."""
    from mingdan.linkage.run import link_case
    from mingdan.store.models import Record

    case = web_case["case"]
    header = "record_id,name,sex,age,event,event_date,place,sentence\n"
    for name, text, sentence in (("Held", "SH1,上官明远,male,30,sentenced,1990-03-01,Beijing,P13Y\n"
                                          "SP1,上官明近,male,30,sentenced,1990-03-01,Beijing,\n", "secret"),
                                 ("Open", "SH2,上官明远,male,30,sentenced,1990-03-01,Beijing,P13Y\n"
                                          "SP2,上官明近,male,30,sentenced,1990-03-01,Beijing,P13Y\n", "public")):
        (tmp_path / f"{name}.csv").write_text(header + text, "utf-8")
        (tmp_path / f"{name}.yaml").write_text(
            f"source: {{name: {name}}}\ncolumns:\n  record_id: record_id\n  name: name\n  sex: sex\n  age: age\n"
            f"  event: event\n  event_date: event_date\n  place: place\n"
            f"  sentence: {{field: sentence, sensitivity: {sentence}}}\n", "utf-8")
        from mingdan.ingest.importer import import_file

        import_file(case, tmp_path / f"{name}.csv", mapping_path=tmp_path / f"{name}.yaml")
    case.set_setting("linkage", "review", "0.000000001")
    link_case(case)
    ids = {r.record_id: r.pk for r in Record.objects.filter(source__name__in=("Held", "Open"))}
    for role in ("reviewer", "editor"):
        client = login(role)
        assert _score(client, ids["SH1"], ids["SH2"]) == _score(client, ids["SP1"], ids["SP2"])
    assert _score(login("admin"), ids["SH1"], ids["SH2"]) != _score(login("admin"), ids["SP1"], ids["SP2"])


@pytest.mark.django_db
def test_the_band_beside_a_score_is_that_of_the_score_shown(twins, login):
    from mingdan.web.vocabulary import word

    link = _link(twins, "Q1", "Q2")
    assert link.band == "review"  # the fixture put every pair in the review band, whatever its score
    page = login("reviewer").get(f"/records/{twins['Q1']}", secure=True).content.decode()
    row = re.search(r"Twins:Q2</a></td><td>([0-9.]+)</td><td>([^<]*)</td>", page)
    shown = float(row.group(1))
    expected = "auto" if shown >= link.run.auto_link else "review" if shown >= link.run.review else "none"
    assert row.group(2) == word(expected, "band") and expected == "auto"


@pytest.mark.django_db
def test_a_record_page_lists_a_stored_pair_whatever_the_runs_band(twins, login):
    """The run's band may rest on a rival's hidden value (its score weighed against the rivals): the record page lists
    every stored pair, so whether a row is there cannot tell that value (an outside tester read a secret sex)."""
    from mingdan.store.models import PairLink

    pair = PairLink.objects.filter(record_a_id=min(twins["N1"], twins["N2"]), record_b_id=max(twins["N1"], twins["N2"]))
    for band in ("review", "none"):
        pair.update(band=band)
        for role in ("reviewer", "admin"):
            assert "Twins:N2</a>" in login(role).get(f"/records/{twins['N1']}", secure=True).content.decode(), (band, role)


def test_a_namesakes_hidden_value_does_not_move_a_readers_score_through_the_names_frequency(case, tmp_path):
    """Two names in the same shape: one in list A, twice in list B (B1 and a namesake C). C's sex is secret: male
    for the first name (C may be B1 entered twice: the name is one person's there), female for the second (two
    people: the name is more common). The run weighs A~B1 differently for the two; a reader who may not read C's
    sex sees the two pairs alike (an outside tester read C's secret through A~B1's weight)."""
    from mingdan.demo import demo_lists
    from mingdan.ingest.importer import import_file
    from mingdan.linkage.run import link_case
    from mingdan.simulate import SimulationSettings, simulate_case, write_case
    from mingdan.store.lens import Lens
    from mingdan.store.models import LinkRun, Record
    from mingdan.web.scores import forget, run_scores

    # Enough records to train (a small case uses priors, which weigh no frequencies).
    write_case(simulate_case(SimulationSettings(seed=4, people=200)), tmp_path / "sim")
    for path, mapping in demo_lists(tmp_path / "sim"):
        import_file(case, path, mapping_path=mapping)
    _import(case, tmp_path, "ListA", "XA,闻人青松,male,40,detained,1989-06-10,Beijing\n"
                                     "YA,公冶明远,male,40,detained,1989-06-10,Beijing\n")
    _import(case, tmp_path, "ListB", "XB,闻人青松,male,40,detained,1989-06-10,Beijing\n"
                                     "YB,公冶明远,male,40,detained,1989-06-10,Beijing\n")
    _import(case, tmp_path, "ListBSecret", "XC,闻人青松,male,40,detained,1989-06-10,Beijing\n"
                                           "YC,公冶明远,female,40,detained,1989-06-10,Beijing\n",
            mapping="  sex: {field: sex, sensitivity: secret}\n  age: age\n  event: event\n"
                    "  event_date: event_date\n  place: place\n")
    # One list: C is the namesake of B1 within B (a list's records of a name are counted together).
    from mingdan.store.models import Source

    Record.objects.filter(source__name="ListBSecret").update(source=Source.objects.get(name="ListB"))
    case.set_setting("linkage", "review", "0.000000001")
    link_case(case)
    forget()
    run = LinkRun.objects.order_by("-id").first()
    ids = {r.record_id: r.pk for r in Record.objects.filter(record_id__in=("XA", "XB", "YA", "YB"))}
    x = (min(ids["XA"], ids["XB"]), max(ids["XA"], ids["XB"]))
    y = (min(ids["YA"], ids["YB"]), max(ids["YA"], ids["YB"]))
    from mingdan.store.models import PairLink

    own = {(min(a, b), max(a, b)): p for a, b, p in
           PairLink.objects.filter(run=run).values_list("record_a_id", "record_b_id", "match_probability")}
    assert abs(own[x] - own[y]) > 1e-3, (own[x], own[y])  # the run read C's sex: the test can tell
    viewer = Lens(("public", "restricted"), families=False)
    shown = run_scores(run, [x, y], viewer)
    seen = {pair: (shown[pair].probability if pair in shown else own[pair]) for pair in (x, y)}
    assert seen[x] == pytest.approx(seen[y], abs=1e-9), seen
