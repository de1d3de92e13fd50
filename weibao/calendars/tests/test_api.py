"""The calendar API: days with filters, and the two arithmetic endpoints."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_add_working_days(api):
    response = api.get("/api/calendar/add-working-days/", {"start": "2026-02-13", "n": 5})
    assert response.status_code == 200
    # Fri 13 Feb -> Sat 14 make-up (1), 15-23 off, 24 (2), 25 (3), 26 (4), 27 (5).
    assert response.json() == {"start": "2026-02-13", "n": 5, "result": "2026-02-27"}


def test_add_working_days_negative(api):
    response = api.get("/api/calendar/add-working-days/", {"start": "2026-10-08", "n": -1})
    assert response.json()["result"] == "2026-09-30"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-30", "n": 1}, "start"),
        ({"start": "yesterday", "n": 1}, "start"),
        ({"start": "2026-02-13", "n": "five"}, "n"),
        ({"start": "2026-02-13"}, "n"),
        ({"start": "2026-02-13", "n": 100000}, "n"),
    ],
)
def test_add_working_days_bad_input_is_400_with_the_field(api, params, field):
    response = api.get("/api/calendar/add-working-days/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["fields"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"start": "2027-01-04", "n": 1}, "start"), ({"start": "2026-12-20", "n": 30}, "n")],
)
def test_unknown_year_is_400_calendar_year_missing(api, params, field):
    response = api.get("/api/calendar/add-working-days/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "calendar_year_missing"
    assert "2027 年的工作日历尚未导入" in body["message"]
    assert body["fields"] == {field: [body["message"]]}


def test_working_days_between(api):
    response = api.get(
        "/api/calendar/working-days-between/", {"a": "2026-09-30", "b": "2026-10-10"}
    )
    assert response.status_code == 200
    # 8 Oct (1), 9 Oct (2), Sat 10 Oct make-up (3).
    assert response.json() == {"a": "2026-09-30", "b": "2026-10-10", "result": 3}
    back = api.get("/api/calendar/working-days-between/", {"a": "2026-10-10", "b": "2026-09-30"})
    assert back.json()["result"] == -3


def test_working_days_between_errors(api):
    response = api.get("/api/calendar/working-days-between/", {"a": "2026-09-30"})
    assert response.status_code == 400
    assert "b" in response.json()["fields"]
    response = api.get("/api/calendar/working-days-between/", {"a": "2026-09-30", "b": "2031-1-1"})
    assert response.status_code == 400
    response = api.get(
        "/api/calendar/working-days-between/", {"a": "2026-09-30", "b": "2031-01-01"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "calendar_year_missing"
    assert "b" in response.json()["fields"]


def test_days_filters_and_order(api):
    response = api.get(
        "/api/calendar/days/",
        {
            "year": 2026,
            "is_working_day": "false",
            "date_after": "2026-10-01",
            "date_before": "2026-10-11",
        },
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["date"] for r in results] == [f"2026-10-{d:02d}" for d in (1, 2, 3, 4, 5, 6, 7, 11)]
    assert results[0] == {
        "date": "2026-10-01",
        "is_working_day": False,
        "name": "国庆节",
        "source": "seed",
    }


def test_days_filter_by_source_and_year(api):
    response = api.get("/api/calendar/days/", {"year": 2026, "source": "manual"})
    assert response.json()["count"] == 0
    response = api.get("/api/calendar/days/", {"year": 2026, "search": "调休"})
    dates = [r["date"] for r in response.json()["results"]]
    assert dates == [
        "2026-01-04",
        "2026-02-14",
        "2026-02-28",
        "2026-05-09",
        "2026-09-20",
        "2026-10-10",
    ]


@pytest.mark.parametrize("year", ["99999999999999999999", "2026.5", "0", "两千"])
def test_days_filter_by_an_impossible_year_is_400_on_year(api, year):
    response = api.get("/api/calendar/days/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()["fields"]


def test_day_by_date(api):
    response = api.get("/api/calendar/days/2026-10-10/")
    assert response.status_code == 200
    assert response.json()["name"] == "调休上班"
    assert api.get("/api/calendar/days/2031-10-10/").status_code == 404


def test_days_are_read_only(api):
    response = api.post("/api/calendar/days/", {"date": "2026-10-12", "is_working_day": False})
    assert response.status_code == 405


def test_anonymous_is_refused():
    response = APIClient().get("/api/calendar/add-working-days/", {"start": "2026-02-13", "n": 5})
    assert response.status_code in (401, 403)
