"""A mapping's values and date formats combine (values first, then the formats in order, then the forms
mingdan reads itself); the date options are checked when the mapping is read."""

from __future__ import annotations

import pytest

from mingdan.ingest.importer import import_file
from mingdan.ingest.mapping import load_mapping
from mingdan.ingest.problems import ImportFailed
from mingdan.store.models import Claim

pytestmark = pytest.mark.usefixtures("import_path")

ROWS = "id,name,when\n1,王伟,六四\n2,李娜,04/06/1989\n3,张强,1989-06\n4,赵敏,June 1989\n5,刘洋,4.6.1989\n6,周杰,?\n"


def test_values_then_formats_in_order_then_the_written_forms(case, tmp_path):
    (tmp_path / "l.csv").write_text(ROWS, "utf-8")
    (tmp_path / "m.yaml").write_text(
        "source: {name: S}\ncolumns:\n  id: record_id\n  name: name\n"
        "  when: {field: event_date, values: {六四: 1989-06-04}, date_format: ['%d/%m/%Y', '%d.%m.%Y']}\n"
        "constants: {event: killed}\n", "utf-8")
    import_file(case, tmp_path / "l.csv", mapping_path=tmp_path / "m.yaml")
    read = {c.record.record_id: (c.value, c.normalized, c.kind) for c in Claim.objects.filter(field="event_date")}
    assert read == {"1": ("六四", "1989-06-04", "exact"), "2": ("04/06/1989", "1989-06-04", "exact"),
                    "3": ("1989-06", "1989-06", "exact"), "4": ("June 1989", "1989-06", "exact"),
                    "5": ("4.6.1989", "1989-06-04", "exact"), "6": ("?", "", "unknown")}


def _mapping_problems(tmp_path, column: str) -> list[str]:
    path = tmp_path / "m.yaml"
    path.write_text(f"source: {{name: S}}\ncolumns:\n  id: record_id\n  name: name\n  when: {column}\n", "utf-8")
    with pytest.raises(ImportFailed) as caught:
        load_mapping(path)
    return [f"{p.column}: {p.reason}" for p in caught.value.problems]


@pytest.mark.parametrize("column, problem", [
    ("{field: event_date, date_format: '%d/%m/%y'}", "columns.when.date_format: %y reads two-digit years; give two_digit_years_from"),
    ("{field: event_date, date_format: '%Q'}", "columns.when.date_format: '%Q' is not a strptime format"),
    ("{field: event_date, date_format: 'day'}", "columns.when.date_format: 'day' has no day, month or year directive"),
    ("{field: event_date, date_format: [1, 2]}", "columns.when.date_format: must be a strptime format or a list of them"),
    ("{field: event_date, date_order: ydm}", "columns.when.date_order: 'ydm' is not one of ymd, dmy, mdy"),
    ("{field: event_date, default_year: '1989'}", "columns.when.default_year: must be a year from 1 to 9999, not '1989'"),
    ("{field: event_date, two_digit_years_from: 89}", "columns.when.two_digit_years_from: must be a year from 1000 to 9900, not 89"),
    ("{field: event_date, era: showa}", "columns.when.era: 'showa' is not one of minguo"),
    ("{field: place, default_year: 1989}", "columns.when.default_year: default_year applies only to birth and event_date"),
    ("{field: event_date, years_from: '1700'}", "columns.when.years_from: must be a year from 1 to 9999, not '1700'"),
    ("{field: event_date, allow_future: later}", "columns.when.allow_future: must be true or false, not 'later'"),
    ("{field: place, allow_future: true}", "columns.when.allow_future: allow_future applies only to birth and event_date"),
    ("{field: event_date, reduced_as: new_sentence}", "columns.when.reduced_as: reduced_as applies only to sentence"),
    ("{field: sentence, reduced_as: both}", "columns.when.reduced_as: 'both' is not one of reduction, new_sentence"),
])
def test_date_options_are_checked_when_the_mapping_is_read(tmp_path, column, problem):
    assert problem in "\n".join(_mapping_problems(tmp_path, column))
