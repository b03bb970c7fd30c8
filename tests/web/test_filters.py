"""A filter the search cannot read is refused with 400 naming it (it was ignored, returning every record); a year
or a month is a documented form of a date filter and the page shows the days it applied."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "parameter"), [
    ({"from": "2020-13-45"}, "from"), ({"from": "\x00"}, "from"), ({"to": "1989/06/04"}, "to"),
    ({"from": "89"}, "from"), ({"to": "1989-02-30"}, "to"), ({"from": "1990", "to": "1989"}, "from"),
    ({"status": "died_in_custody"}, "status"), ({"linked": "yes"}, "linked")])
def test_a_filter_that_cannot_be_read_is_refused_naming_it(client, web_case, login, params, parameter):
    login("viewer")
    page = client.get("/records", params, secure=True)
    assert page.status_code == 400 and f"“{parameter}”" in page.content.decode()
    answer = client.get("/api/records", params, secure=True)
    assert answer.status_code == 400 and answer.json()["parameter"] == parameter
    assert f"“{parameter}”" in answer.json()["error"]
    export = client.get("/export/records.csv", params, secure=True)
    assert export.status_code == 400 and f"“{parameter}”" in export.content.decode()


@pytest.mark.django_db
def test_a_year_or_a_month_is_the_days_it_stands_for(client, web_case, login):
    login("viewer")

    def found(**params):
        answer = client.get("/api/records", params, secure=True).json()
        return {r["record_id"] for r in answer["results"]}, answer["dates"]

    assert found(**{"from": "1970", "to": "1980"}) == (set(), {"from": "1970-01-01", "to": "1980-12-31"})
    assert found(**{"from": "1989", "to": "1989"})[0] == {"A1", "A2", "B1"}
    assert found(**{"from": "1989-06", "to": "1989-06"}) == ({"A1", "A2", "B1"}, {"from": "1989-06-01", "to": "1989-06-30"})
    assert found(**{"to": "1989-05"})[0] == set()
    assert found()[1] is None
    page = client.get("/records", {"from": "1989", "to": "1989-06"}, secure=True).content.decode()
    assert "Events dated from 1989-01-01 to 1989-06-30." in page
