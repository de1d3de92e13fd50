"""Loans and sales as API resources: the exchange quota answers `quota_exceeded` for the 11th
unless accepted as billable; a sale walks its flow; warranty lookups; customers read only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weibao.accounts.choices import Role
from weibao.spares.models import Loan
from weibao.spares.selectors import on_hand
from weibao.testing import factories as f

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def keeper_api(api, hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH))
    api.force_authenticate(hw.keeper)
    return api


def exchange(api, hw, n, **extra):
    return api.post(
        "/api/spare-loans/",
        {
            "site": hw.site.pk,
            "part_number": "FSU-MB-01",
            "faulty_serial_number": f"BAD-{n}",
            "faulty_received_on": "2026-03-02",
            **extra,
        },
        format="json",
    )


def test_eleventh_exchange_answers_quota_exceeded_then_billable_by_choice(keeper_api, hw):
    hw.stock(hw.board, *(f"MB-{n}" for n in range(12)))
    for n in range(10):
        assert exchange(keeper_api, hw, n).status_code == 201
    refused = exchange(keeper_api, hw, 10)
    assert (refused.status_code, refused.json()["code"]) == (400, "quota_exceeded")
    assert Loan.objects.count() == 10
    billed = exchange(keeper_api, hw, 10, billable_ok=True)
    assert billed.status_code == 201 and billed.json()["billable"] is True


def test_loan_resource_extend_and_limits(keeper_api, hw, frozen_clock):
    hw.stock(hw.board, "MB-1")
    loan = exchange(keeper_api, hw, 1).json()
    assert (loan["end_date"], loan["period_limit"], loan["latest_end"]) == (
        "2026-06-02",
        "2026-06-02",
        "2026-09-02",
    )
    url = f"/api/spare-loans/{loan['id']}"
    # Beyond the agreed 3 months the maintenance manager extends (PRM-1), not the keeper.
    keeper_only = keeper_api.post(f"{url}/extend/", {"new_end": "2026-09-02"}, format="json")
    assert (keeper_only.status_code, keeper_only.json()["code"]) == (403, "permission_denied")
    manager = f.UserFactory(provider=hw.provider, roles=[Role.MAINTENANCE_MANAGER])
    keeper_api.force_authenticate(manager)
    ok = keeper_api.post(f"{url}/extend/", {"new_end": "2026-09-02"}, format="json")
    assert ok.status_code == 200 and len(ok.json()["extensions"]) == 1
    too_long = keeper_api.post(f"{url}/extend/", {"new_end": "2026-09-03"}, format="json")
    assert too_long.json()["code"] == "loan_total_exceeded"
    keeper_api.force_authenticate(hw.keeper)
    frozen_clock(dt.datetime(2026, 4, 1, 9, 0, tzinfo=SH))  # returned on the day it came back
    back = keeper_api.post(f"{url}/return/", {"returned_on": "2026-04-01"}, format="json")
    assert back.json()["status"] == "returned"


def test_sale_walks_its_flow_and_answers_warranty(keeper_api, hw):
    order = keeper_api.post(
        "/api/spare-sales/",
        {"customer": hw.customer.pk, "request_text": "电源模块 1 块"},
        format="json",
    ).json()
    url = f"/api/spare-sales/{order['id']}"
    steps = [
        (
            "quote",
            {
                "proposal": "电源",
                "lines": [{"part_number": "PSU-48V", "quantity": 1, "unit_price": "860.00"}],
            },
        ),
        ("agree", {}),
        ("sign", {"contract_number": "XS-9", "signed_on": "2026-03-02"}),
        ("prepay", {"prepaid_on": "2026-03-02", "amount": "430"}),
        (
            "ship",
            {
                "shipped_on": "2026-03-02",
                "serials": [{"part_number": "PSU-48V", "serial_number": "P-1"}],
            },
        ),
        ("deliver", {"delivered_on": "2026-03-02", "signed_by": "孔工"}),
    ]
    for verb, body in steps:
        response = keeper_api.post(f"{url}/{verb}/", body, format="json")
        assert response.status_code == 200, (verb, response.json())
    sale = response.json()
    assert (sale["stage"], sale["ship_by"], sale["total"]) == ("delivered", "2026-06-02", "860.00")
    assert sale["items"] == [
        {"part_number": "PSU-48V", "serial_number": "P-1", "warranty_until": "2027-03-01"}
    ]
    warranty = keeper_api.get("/api/spare-sales/warranty/?serial_number=P-1&on=2027-03-02")
    assert warranty.json()["covered"] is False
    assert keeper_api.get("/api/spare-sales/warranty/?serial_number=P-1").json()["covered"]


def test_a_return_or_shipment_dated_tomorrow_is_refused_on_the_field(keeper_api, hw):
    hw.stock(hw.board, "MB-1")
    loan = exchange(keeper_api, hw, 1).json()
    url = f"/api/spare-loans/{loan['id']}"
    back = keeper_api.post(f"{url}/return/", {"returned_on": "2026-03-03"}, format="json")
    assert back.status_code == 400
    assert back.json()["fields"]["returned_on"] == ["日期不能晚于今天。"]
    still = keeper_api.get(f"{url}/").json()
    assert (still["status"], still["returned_on"]) == ("out", None)
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0

    hw.stock(hw.psu, "P-1")
    order = keeper_api.post(
        "/api/spare-sales/",
        {"customer": hw.customer.pk, "request_text": "电源模块 1 块"},
        format="json",
    ).json()
    url = f"/api/spare-sales/{order['id']}"
    line = {"part_number": "PSU-48V", "quantity": 1, "unit_price": "860.00"}
    keeper_api.post(f"{url}/quote/", {"proposal": "电源", "lines": [line]}, format="json")
    keeper_api.post(f"{url}/agree/", {}, format="json")
    signed = {"contract_number": "XS-9", "signed_on": "2026-03-02"}
    keeper_api.post(f"{url}/sign/", signed, format="json")
    keeper_api.post(f"{url}/prepay/", {"prepaid_on": "2026-03-02", "amount": "430"}, format="json")
    serials = [{"part_number": "PSU-48V", "serial_number": "P-1"}]
    ship = keeper_api.post(
        f"{url}/ship/", {"shipped_on": "2026-03-03", "serials": serials}, format="json"
    )
    assert ship.status_code == 400
    assert ship.json()["fields"]["shipped_on"] == ["日期不能晚于今天。"]
    sale = keeper_api.get(f"{url}/").json()
    assert (sale["stage"], sale["shipped_on"], sale["items"]) == ("prepaid", None, [])
    assert on_hand(part_type_id=hw.psu.pk, location_id=hw.shelf.pk) == 1


def test_customer_reads_own_loans_and_pool_but_cannot_lend(api, keeper_api, hw):
    hw.stock(hw.board, "MB-1")
    exchange(keeper_api, hw, 1)
    api.force_authenticate(hw.customer_user)
    assert len(api.get("/api/spare-loans/").json()["results"]) == 1
    pools = api.get("/api/spare-pools/").json()["results"]
    assert [p["tier"] for p in pools] == [1]  # their own pool only
    assert exchange(api, hw, 2).status_code == 403


def test_receive_and_move_parts_through_the_api(keeper_api, hw):
    part = keeper_api.post(
        "/api/spare-parts/",
        {"part_number": "PSU-48V", "serial_number": "X1", "location": hw.shelf.pk},
        format="json",
    )
    assert part.status_code == 201
    moved = keeper_api.post(
        f"/api/spare-parts/{part.json()['id']}/move/", {"kind": "scrap"}, format="json"
    )
    assert moved.json()["state"] == "scrapped"
    again = keeper_api.post(
        f"/api/spare-parts/{part.json()['id']}/move/", {"kind": "scrap"}, format="json"
    )
    assert (again.status_code, again.json()["code"]) == (400, "out_of_stock")
    ledger = keeper_api.get("/api/stock-movements/").json()["results"]
    assert [m["kind"] for m in ledger] == ["scrap", "receive"]
    pool = keeper_api.get(f"/api/spare-pools/{hw.pool.pk}/").json()
    assert pool["stock"] == []
