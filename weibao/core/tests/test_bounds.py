"""Plausible dates through the API (issue 11): nothing before 2000-01-01 or more than ten
years on, and what already happened (an installation, a receipt, a shipment) not after today.
An implausible date answers 400 on its field and nothing is stored."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core import bounds
from weibao.repairs.models import Repair
from weibao.spares.tests.factories import make_hardware

pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.repairs.tests.urls")]
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def today(frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    return dt.date(2026, 10, 12)


@pytest.mark.parametrize("day", ["0001-01-01", "1999-12-31", "2026-10-13", "9999-12-31"])
def test_an_installation_date_before_2000_or_after_today_is_refused(api, world, today, day):
    api.force_authenticate(world.admin)
    answer = api.patch(f"/api/assets/{world.asset_a.pk}/", {"installed_on": day}, format="json")
    assert answer.status_code == 400 and answer.json()["fields"]["installed_on"]
    assert Asset.objects.get(pk=world.asset_a.pk).installed_on != dt.date.fromisoformat(day)


def test_an_installation_date_of_today_is_kept(api, world, today):
    api.force_authenticate(world.admin)
    answer = api.patch(f"/api/assets/{world.asset_a.pk}/", {"installed_on": "2026-10-12"})
    assert answer.status_code == 200, answer.json()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [("0001-01-01", "2026-12-31", "start_date"), ("2026-01-01", "9999-12-31", "end_date")],
)
def test_a_contract_period_out_of_range_is_refused(api, world, today, start, end, field):
    api.force_authenticate(world.admin)
    body = {"number": "WB-77", "title": "测试合同", "customer": world.customer_a.pk,
            "plan": "gold", "start_date": start, "end_date": end}  # fmt: skip
    answer = api.post("/api/contracts/", body, format="json")
    assert answer.status_code == 400 and answer.json()["fields"][field]
    assert not Contract.objects.filter(number="WB-77").exists()
    # Ten years on is still a plausible end.
    body["start_date"], body["end_date"] = "2026-01-01", str(bounds.latest_date())
    assert api.post("/api/contracts/", body, format="json").status_code == 201


@pytest.mark.parametrize("received", ["0001-01-01", "2026-10-13", "9999-12-31T10:00:00+08:00"])
def test_a_repair_received_before_2000_or_after_today_is_refused(api, today, received):
    hw = make_hardware()
    api.force_authenticate(hw.keeper)
    answer = api.post("/api/repairs/", {"serial_number": hw.asset.serial_number,
                                        "fault_description": "主控板无法启动",
                                        "received_at": received}, format="json")  # fmt: skip
    assert answer.status_code == 400 and answer.json()["fields"]["received_at"]
    assert not Repair.objects.exists()
