"""A hop (one leg of a repair's route, RMA-2) through the API: the shipping date is optional
(the leg is recorded without it), a date that contradicts another is refused on its field."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def keeper(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    api = APIClient(raise_request_exception=False)
    api.force_authenticate(hw.keeper)
    repair = api.post(
        "/api/repairs/",
        {"asset": hw.asset.pk, "fault_description": "主控板无法启动", "received_at": "2026-09-15"},
        format="json",
    ).json()
    return api, f"/api/repairs/{repair['id']}/hops/"


@pytest.mark.parametrize(
    "body",
    [
        {"leg": "office_to_center", "tracking_number": "SF-NODATE"},
        {
            "leg": "office_to_center",
            "tracking_number": "SF-NODATE",
            "shipped_on": None,
            "arrived_on": "2026-09-20",
        },
    ],
)
def test_a_hop_without_its_shipping_date_is_recorded(keeper, body):
    api, url = keeper
    response = api.post(url, body, format="json")
    assert response.status_code == 200, response.content[:300]
    (hop,) = [h for h in response.json()["hops"] if h["tracking_number"] == "SF-NODATE"]
    assert (hop["leg"], hop["shipped_on"]) == ("office_to_center", None)


def test_arrival_before_shipping_is_refused_on_the_arrival_date(keeper):
    api, url = keeper
    response = api.post(
        url,
        {"leg": "office_to_center", "shipped_on": "2026-09-20", "arrived_on": "2026-09-18"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], list(body["fields"])) == ("invalid", ["arrived_on"])
