"""Relations between records and the details of harassment: imported as claims, refused clearly, superseded."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.problems import ImportFailed
from mingdan.ingest.vocab import parse_harassment, parse_harassment_duration, parse_relation, parse_tied_to
from mingdan.store.crypto import is_sealed, reveal
from mingdan.store.models import Claim, Event, HarassmentEvent, Record, Relation

# Each test runs with the rows validated in this process and by the import worker process.
pytestmark = pytest.mark.usefixtures("import_path")

HEADER = ["record_id", "name", "event", "event_date", "place", "harassment", "perpetrator", "tied_to",
          "duration", "relation", "relation_of"]
VICTIM = {"record_id": "7", "name": "王一", "event": "killed", "event_date": "1989-06-04"}
MOTHER = {"record_id": "12", "name": "张母", "event": "harassed", "event_date": "2019-05-28/2019-06-06",
          "harassment": "被旅游", "perpetrator": "北京市国保", "tied_to": "六四", "duration": "10天",
          "relation": "母亲", "relation_of": "7"}


def relations(**filters) -> list[tuple[str, str, str, str | None]]:
    return [(r.record.record_id, r.other.record_id, reveal(r.kind) if is_sealed(r.kind) else r.kind,
             r.superseded_in and r.superseded_in.version)
            for r in Relation.objects.filter(**filters).order_by("id")]


def test_a_relation_and_the_harassment_of_a_relative_are_imported(case, write_rows):
    result = import_file(case, write_rows([VICTIM, MOTHER], header=HEADER), source_name="S")
    assert relations() == [("12", "7", "mother_of", None)]
    relation = Relation.objects.get()
    assert relation.sensitivity == "restricted" and is_sealed(relation.kind)
    claim = relation.claim
    assert (claim.field, claim.row, claim.column, claim.sensitivity) == ("relation", 3, "relation", "restricted")
    assert reveal(claim.value) == "母亲" and reveal(claim.normalized) == "mother_of"
    of = Claim.objects.get(field="relation_of")
    assert reveal(of.normalized) == "S:7" and of.sensitivity == "restricted"
    event = Event.objects.get(event_type="harassed")
    assert (event.date_edtf, str(event.date_earliest), str(event.date_latest)) == (
        "2019-05-28/2019-06-06", "2019-05-28", "2019-06-06")
    details = HarassmentEvent.objects.get(event=event)
    assert (details.kind, details.perpetrator, details.tied_to, details.duration) == (
        "forced_travel", "北京市国保", "anniversary", "P10D")
    assert (details.kind_sensitivity, details.perpetrator_sensitivity) == ("public", "public")
    stated = dict(Claim.objects.filter(event=event).values_list("field", "normalized"))
    assert stated["harassment"] == "forced_travel" and stated["duration"] == "P10D"
    assert result.claims == Claim.objects.count()


def test_relation_of_may_name_a_later_row_an_earlier_import_or_another_source(case, write_rows):
    import_file(case, write_rows([VICTIM], name="other.csv", header=HEADER), source_name="Other: list")
    rows = [{**MOTHER, "relation_of": "20"}, {"record_id": "20", "name": "李四", "event": "detained"},
            {"record_id": "21", "name": "李五", "relation": "spouse of", "relation_of": "Other: list:7"}]
    import_file(case, write_rows(rows, header=HEADER), source_name="S")
    assert relations() == [("12", "20", "mother_of", None), ("21", "7", "spouse_of", None)]
    assert reveal(Claim.objects.filter(field="relation_of").order_by("id").last().normalized) == "Other: list:7"
    later = [{"record_id": "30", "name": "赵六", "relation": "witness_for", "relation_of": "12"}]
    import_file(case, write_rows(later, name="later.csv", header=HEADER), source_name="S", supersede=False)
    assert relations(record__record_id="30") == [("30", "12", "witness_for", None)]


@pytest.mark.parametrize(("change", "column", "reason"), [
    ({"relation_of": "99"}, "relation_of", "relation_of '99' names no record"),
    ({"relation_of": "Nowhere:7"}, "relation_of", "names no record"),
    ({"relation_of": "12"}, "relation_of", "this row's own record"),
    ({"relation_of": ""}, "relation_of", "relation is given without relation_of"),
    ({"relation": ""}, "relation", "relation_of is given without relation"),
    ({"relation": "舅舅"}, "relation", "expected one of: mother_of, father_of, spouse_of"),
    ({"harassment": "被喝茶了"}, "harassment", "expected one of: surveillance, house_arrest"),
    ({"tied_to": "生日"}, "tied_to", "expected one of: anniversary, visit, trial, other"),
    ({"duration": "很久"}, "duration", "duration '很久' is not a duration"),
    ({"duration": "P1X"}, "duration", "is not a duration"),
    # An interval and a duration that disagree: neither may silently win.
    ({"duration": "P15D"}, "duration", "duration P15D from 2019-05-28 ends 2019-06-11, but the interval"),
    ({"event_date": "2019-05-28/..", "duration": "10天"}, "duration", "open interval '2019-05-28/..'"),
    ({"event_date": "../2019-06-06", "duration": "10天"}, "duration", "open interval"),
    ({"event": "detained"}, "harassment", "belong to 'harassed' rows"),
    ({"event": "killed", "harassment": "", "tied_to": "", "duration": ""}, "perpetrator", "row's event is 'killed'"),
])
def test_bad_relations_and_harassment_are_refused_and_nothing_is_written(case, write_rows, change, column, reason):
    path = write_rows([VICTIM, {**MOTHER, **change}], header=HEADER)
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, source_name="S")
    messages = [str(problem) for problem in failed.value.problems]
    assert any(message.startswith(f"{path}:3:{column}: ") and reason in message for message in messages), messages
    assert not Record.objects.exists() and not Relation.objects.exists() and not Claim.objects.exists()


def test_reimporting_duplicates_nothing_and_a_new_version_supersedes(case, write_rows):
    spouse = {"record_id": "13", "name": "王妻", "relation": "妻子", "relation_of": "7"}
    path = write_rows([VICTIM, MOTHER, spouse], name="v1.csv", header=HEADER)
    import_file(case, path, source_name="S")
    assert import_file(case, path, source_name="S").status == "already imported"
    assert Relation.objects.count() == 2 and HarassmentEvent.objects.count() == 1
    # Version 2 no longer says the spouse is tied to record 7, nor that the mother was sent travelling.
    changed = [VICTIM, {**MOTHER, "harassment": "软禁", "duration": "", "tied_to": "", "perpetrator": ""},
               {**spouse, "relation": "", "relation_of": ""}]
    import_file(case, write_rows(changed, name="v2.csv", header=HEADER), source_name="S")
    assert relations() == [("12", "7", "mother_of", 2), ("13", "7", "spouse_of", 2), ("12", "7", "mother_of", None)]
    current = HarassmentEvent.objects.filter(event__superseded_in__isnull=True)
    assert [(h.kind, h.duration) for h in current] == [("house_arrest", "")]
    old = HarassmentEvent.objects.get(event__superseded_in__isnull=False)
    assert (old.kind, old.duration) == ("forced_travel", "P10D")  # kept, never overwritten
    relation_claims = Claim.objects.filter(field="relation").order_by("id")
    assert [c.superseded_in_id is None for c in relation_claims] == [False, False, True]
    assert relation_claims[2].supersedes_id == relation_claims[0].id


def test_a_mapping_sets_sensitivities_and_a_sealed_event_seals_the_harassment(case, write_rows, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("""
source: {name: M}
columns:
  编号: record_id
  姓名: name
  事件: {field: event, sensitivity: restricted, values: {骚扰: harassed}}
  类别: harassment
  执行者: {field: perpetrator, sensitivity: secret}
  关系: {field: relation, sensitivity: public}
  关系人: {field: relation_of, sensitivity: public}
  期限: duration
""", encoding="utf-8")
    rows = [{"编号": "1", "姓名": "王一", "事件": "", "类别": "", "执行者": "", "关系": "", "关系人": "", "期限": ""},
            {"编号": "2", "姓名": "王母", "事件": "骚扰", "类别": "监控", "执行者": "派出所", "关系": "mother of",
             "关系人": "1", "期限": "3个月"}]
    header = list(rows[0])
    import_file(case, write_rows(rows, header=header), mapping_path=mapping)
    relation = Relation.objects.get()
    assert relation.sensitivity == "public" and relation.kind == "mother_of"
    details = HarassmentEvent.objects.get()
    assert (details.kind_sensitivity, details.perpetrator_sensitivity) == ("restricted", "secret")
    assert all(is_sealed(text) for text in (details.kind, details.perpetrator, details.duration))
    assert (reveal(details.kind), reveal(details.perpetrator), reveal(details.duration)) == ("surveillance", "派出所", "P3M")
    # The claims of a sealed event's details are sealed too: a public one would tell what the event is.
    assert set(Claim.objects.filter(field__in=["harassment", "duration"]).values_list("sensitivity", flat=True)) == {"restricted"}


@pytest.mark.parametrize(("text", "code"), [
    ("mother of", "mother_of"), ("Mother_of", "mother_of"), ("母親", "mother_of"), ("父亲", "father_of"),
    ("丈夫", "spouse_of"), ("配偶", "spouse_of"), ("姐妹", "sibling_of"), ("女儿", "child_of"), ("子女", "child_of"),
    ("亲属", "relative_of"), ("证人", "witness_for"), ("律师", "lawyer_for"), ("lawyer for", "lawyer_for"),
])
def test_relation_words(text, code):
    assert parse_relation(text) == code


@pytest.mark.parametrize(("text", "code"), [
    ("监视", "surveillance"), ("软禁", "house_arrest"), ("行政拘留", "administrative_detention"),
    ("刑事拘留", "criminal_detention"), ("被旅游", "forced_travel"), ("禁止出境", "travel_ban"),
    ("拒发护照", "passport_refused"), ("被开除", "loss_of_employment"), ("停发退休金", "loss_of_pension"),
    ("威胁", "threats"), ("警察上门", "police_visit"), ("visit by police", "police_visit"), ("强拆", "eviction"),
    ("株连", "pressure_on_relatives"), ("断电话", "communication_cut"), ("House arrest", "house_arrest"),
])
def test_harassment_words(text, code):
    assert parse_harassment(text) == code


@pytest.mark.parametrize(("text", "iso"), [
    ("P15D", "P15D"), ("15天", "P15D"), ("10日", "P10D"), ("3个月", "P3M"), ("15 days", "P15D"),
    ("十五天", "P15D"), ("1年6个月", "P1Y6M"), ("2 weeks", "P14D"), ("1 year and 2 months", "P1Y2M"),
])
def test_durations(text, iso):
    assert parse_harassment_duration(text) == iso


def test_tied_to_words():
    assert [parse_tied_to(t) for t in ("六四", "周年", "敏感日", "审判", "开庭", "visit")] == [
        "anniversary", "anniversary", "anniversary", "trial", "trial", "visit"]


def test_a_relation_naming_no_record_is_told_with_the_other_problems_at_once(case, write_rows):
    # Row 3 has a bad duration; row 4 names a record that exists nowhere; row 5 names row 6, whose date is bad.
    rows = [VICTIM, {**MOTHER, "duration": "很久"}, {**MOTHER, "record_id": "13", "relation_of": "99"},
            {**MOTHER, "record_id": "14", "relation_of": "15"},
            {"record_id": "15", "name": "赵六", "event": "killed", "event_date": "1989-13-45"}]
    path = write_rows(rows, header=HEADER)
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, source_name="S")
    messages = [str(problem) for problem in failed.value.problems]
    assert any(m.startswith(f"{path}:3:duration: ") for m in messages), messages
    assert any(m.startswith(f"{path}:6:event_date: ") for m in messages), messages
    assert any(m.startswith(f"{path}:4:relation_of: relation_of '99' names no record") for m in messages), messages
    assert not any(":5:" in m for m in messages), messages  # record 15 is in the file, its row to be corrected
    assert not Record.objects.exists() and not Relation.objects.exists()


def test_every_problem_of_a_row_is_told_at_once_its_relation_among_them(case, write_rows):
    # Row 3: a harassment word not in the vocabulary and a relation_of naming nothing (red team rt17 02).
    # Row 4: a duration the interval disagrees with, and the same relation_of. Row 5: an event word not in the
    # vocabulary (its harassment is then not also told as belonging to no event) and a date that is no date.
    rows = [VICTIM, {**MOTHER, "harassment": "喝茶", "relation_of": "Victims:V9"},
            {**MOTHER, "record_id": "13", "duration": "P15D", "relation_of": "Victims:V9"},
            {**MOTHER, "record_id": "13", "event": "骚扰", "event_date": "2019-13-45", "relation": "",
             "relation_of": ""}]
    path = write_rows(rows, header=[*HEADER, "sex"])
    with pytest.raises(ImportFailed) as failed:
        import_file(case, path, source_name="S")
    told = [(p.row, p.column, p.reason.split(";")[0]) for p in failed.value.problems]
    assert [(row, column) for row, column, _ in told] == [
        (3, "harassment"), (3, "relation_of"), (4, "duration"), (4, "relation_of"), (5, "event"), (5, "event_date")], told
    assert told[1][2] == "relation_of 'Victims:V9' names no record: it is neither a record id of this file or of " \
                         "'S' already imported, nor SOURCE:RECORD of a record of another source in the case"
    assert not Record.objects.exists() and not Relation.objects.exists()


def test_a_contradiction_is_told_beside_another_problem_of_its_row(case, write_rows):
    rows = [{**VICTIM, "sex": "male"}, {**VICTIM, "sex": "female", "event_date": "1989-13-45"}]
    with pytest.raises(ImportFailed) as failed:
        import_file(case, write_rows(rows, header=[*HEADER, "sex"]), source_name="S")
    assert [(p.row, p.column) for p in failed.value.problems] == [(3, "event_date"), (3, "sex")]


def test_with_skip_invalid_a_refused_rows_relation_is_told_among_its_problems(case, write_rows):
    rows = [VICTIM, {**MOTHER, "harassment": "喝茶", "relation_of": "Victims:V9"}, {**MOTHER, "record_id": "13"}]
    path = write_rows(rows, header=HEADER)
    result = import_file(case, path, source_name="S", skip_invalid=True)
    assert (result.rows_imported, result.rows_rejected) == (2, 1)
    assert relations() == [("13", "7", "mother_of", None)]
    rejected = (path.parent / f"{path.stem}.rejected.csv").read_text("utf-8")
    assert "harassment: harassment '喝茶' is not in the vocabulary" in rejected
    assert "relation_of: relation_of 'Victims:V9' names no record" in rejected


def test_an_interval_and_a_duration_that_agree_are_both_kept(case, write_rows):
    rows = [VICTIM, MOTHER, {**MOTHER, "record_id": "13", "event_date": "2019-06", "duration": "P10D"},
            {**MOTHER, "record_id": "14", "event_date": "/2019-06-06", "duration": "P10D"}]
    import_file(case, write_rows(rows, header=HEADER), source_name="S")
    kept = sorted(HarassmentEvent.objects.values_list("event__date_edtf", "duration"))
    assert kept == [("/2019-06-06", "P10D"), ("2019-05-28/2019-06-06", "P10D"), ("2019-06", "P10D")]


def test_a_secret_duration_seals_the_kind_with_it(case, write_rows, tmp_path):
    # The details keep one level for kind, tied-to and duration: a secret duration must not be readable
    # at the event's public level through them.
    mapping = tmp_path / "map.yaml"
    mapping.write_text("source: {name: M}\ncolumns:\n  record_id: record_id\n  name: name\n  event: event\n"
                       "  harassment: harassment\n  duration: {field: duration, sensitivity: secret}\n", "utf-8")
    rows = [{"record_id": "1", "name": "王母", "event": "harassed", "harassment": "软禁", "duration": "P15D"}]
    import_file(case, write_rows(rows, header=list(rows[0])), mapping_path=mapping)
    details = HarassmentEvent.objects.get()
    assert details.kind_sensitivity == "secret" and details.event.type_sensitivity == "public"
    assert is_sealed(details.duration) and reveal(details.duration) == "P15D" and reveal(details.kind) == "house_arrest"


def test_a_secret_duration_makes_the_claims_of_kind_and_tied_to_secret(case, write_rows, tmp_path):
    # What is derived from a secret value is at least as protected as it: the kind's and tied-to's claims too.
    mapping = tmp_path / "map.yaml"
    mapping.write_text("source: {name: M}\ncolumns:\n  record_id: record_id\n  name: name\n  event: event\n"
                       "  harassment: harassment\n  tied_to: tied_to\n  perpetrator: perpetrator\n"
                       "  duration: {field: duration, sensitivity: secret}\n", "utf-8")
    rows = [{"record_id": "1", "name": "王母", "event": "harassed", "harassment": "软禁", "tied_to": "六四",
             "perpetrator": "国保", "duration": "P15D"}]
    import_file(case, write_rows(rows, header=list(rows[0])), mapping_path=mapping)
    levels = dict(Claim.objects.filter(event__isnull=False).values_list("field", "sensitivity"))
    assert levels == {"event": "public", "harassment": "secret", "tied_to": "secret", "duration": "secret",
                      "perpetrator": "public"}
    assert is_sealed(Claim.objects.get(field="harassment").normalized)
