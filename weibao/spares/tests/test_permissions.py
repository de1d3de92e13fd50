"""PRM-1 in spares: stock moves, loans and shipping are the spare keeper's, long extensions
the maintenance manager's, quotes and prepayments the account manager's or the keeper's, and
the catalog price is configuration. Any other role is refused with 403 — through the API and
the web alike — and nothing changes. A move from the wrong state answers 409 `wrong_state`."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from weibao.accounts.choices import Role
from weibao.spares.models import Loan, PartType, SaleOrder, SaleQuote, SparePart
from weibao.spares.services import loans, sales
from weibao.testing import factories as f

pytestmark = pytest.mark.urls("weibao.repairs.tests.urls")
SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def staff(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0, tzinfo=SH))

    def person(role):
        return f.UserFactory(provider=hw.provider, roles=[role])

    return {
        "engineer": person(Role.ENGINEER),
        "account": person(Role.ACCOUNT_MANAGER),
        "manager": person(Role.MAINTENANCE_MANAGER),
        "admin": f.UserFactory(provider=hw.provider, is_superuser=True),
    }


def _order(hw):
    return sales.request_sale(customer=hw.customer, request_text="电源 1 块", actor=hw.keeper)


def _quoted(hw):
    order = _order(hw)
    sales.propose_quote(order, proposal="电源", lines=[(hw.psu, 1, "860")], actor=hw.keeper)
    return order


def _contracted(hw):
    order = _quoted(hw)
    sales.agree_quote(order, actor=hw.keeper)
    return sales.sign_sale_contract(
        order, contract_number="XS-1", signed_on=dt.date(2026, 3, 2), actor=hw.keeper
    )


def _loan(hw):
    hw.stock(hw.board, "MB-1")
    return loans.lend_exchange(
        customer=hw.customer,
        site=hw.site,
        part_type=hw.board,
        faulty_serial_number="BAD-1",
        faulty_received_on=dt.date(2026, 3, 2),
        actor=hw.keeper,
    )


def test_engineer_and_keeper_cannot_set_the_catalog_price(api, client, hw, staff):
    url = f"/api/spare-part-types/{hw.board.pk}/"
    for user in (staff["engineer"], hw.keeper):
        api.force_authenticate(user)
        refused = api.patch(url, {"catalog_price": "0.01"}, format="json")
        assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
        assert refused.json()["capability"] == "config.edit"
        client.force_login(user)
        assert client.get(f"/spares/part-types/{hw.board.pk}/").status_code == 403
        posted = client.post(
            f"/spares/part-types/{hw.board.pk}/",
            {"part_number": "FSU-MB-01", "name": "x", "catalog_price": "0.01"},
        )
        assert posted.status_code == 403
    hw.board.refresh_from_db()
    assert hw.board.catalog_price == Decimal("3200.00")

    api.force_authenticate(staff["admin"])
    assert api.patch(url, {"catalog_price": "3100"}, format="json").status_code == 200
    client.force_login(staff["admin"])
    response = client.post(
        f"/spares/part-types/{hw.board.pk}/",
        {"part_number": "FSU-MB-01", "name": "FSU 主控板", "catalog_price": "3000"},
    )
    assert response.status_code == 302
    hw.board.refresh_from_db()
    assert hw.board.catalog_price == Decimal("3000.00")


def test_engineer_cannot_quote_a_sale_or_record_a_prepayment(api, client, hw, staff):
    order, contracted = _order(hw), _contracted(hw)
    engineer = staff["engineer"]
    api.force_authenticate(engineer)
    quote = {
        "proposal": "x",
        "lines": [{"part_number": "PSU-48V", "quantity": 1, "unit_price": "1"}],
    }
    refused = api.post(f"/api/spare-sales/{order.pk}/quote/", quote, format="json")
    assert (refused.status_code, refused.json()["code"]) == (403, "permission_denied")
    empty = api.post(f"/api/spare-sales/{order.pk}/quote/", {}, format="json")
    assert empty.status_code == 403  # refused before the body is read: no validation leaks
    prepay = {"prepaid_on": "2026-03-02", "amount": "100"}
    assert api.post(f"/api/spare-sales/{contracted.pk}/prepay/", prepay).status_code == 403
    assert (
        api.post("/api/spare-sales/", {"customer": hw.customer.pk, "request_text": "x"}).status_code
        == 403
    )

    client.force_login(engineer)
    web = client.post(
        f"/spares/sales/{order.pk}/quote/", {"quote-proposal": "x", "quote-lines": "PSU-48V 1 1"}
    )
    assert web.status_code == 403
    web = client.post(
        f"/spares/sales/{contracted.pk}/prepay/",
        {"prepay-prepaid_on": "2026-03-02", "prepay-amount": "100"},
    )
    assert web.status_code == 403
    assert not SaleQuote.objects.filter(order=order).exists()
    contracted.refresh_from_db()
    assert (contracted.stage, contracted.prepaid_on) == ("contracted", None)
    assert SaleOrder.objects.count() == 2

    page = client.get(f"/spares/sales/{order.pk}/").content.decode()
    assert 'data-move="quote"' not in page and "sale.quote" in page  # blocked, with why


def test_account_manager_quotes_and_takes_the_prepayment_but_does_not_ship(api, hw, staff):
    order = _contracted(hw)
    api.force_authenticate(staff["account"])
    prepaid = api.post(
        f"/api/spare-sales/{order.pk}/prepay/",
        {"prepaid_on": "2026-03-02", "amount": "430"},
        format="json",
    )
    assert prepaid.status_code == 200
    moves = prepaid.json()["moves"]
    assert [m["verb"] for m in moves["allowed"]] == ["cancel"]
    assert {m["verb"]: m["code"] for m in moves["blocked"]} == {"ship": "permission_denied"}
    ship = {
        "shipped_on": "2026-03-03",
        "serials": [{"part_number": "PSU-48V", "serial_number": "P-1"}],
    }
    assert api.post(f"/api/spare-sales/{order.pk}/ship/", ship, format="json").status_code == 403
    order.refresh_from_db()
    assert (order.stage, order.shipped_on) == ("prepaid", None)


def test_wrong_stage_is_409_wrong_state_and_the_web_keeps_what_was_typed(api, client, hw):
    order = _order(hw)
    api.force_authenticate(hw.keeper)
    refused = api.post(
        f"/api/spare-sales/{order.pk}/prepay/",
        {"prepaid_on": "2026-03-02", "amount": "100"},
        format="json",
    )
    assert (refused.status_code, refused.json()["code"]) == (409, "wrong_state")

    client.force_login(hw.keeper)
    page = client.post(
        f"/spares/sales/{order.pk}/quote/",
        {"quote-proposal": "两块电源的方案", "quote-lines": "NO-SUCH 1 1"},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert "两块电源的方案" in text and "NO-SUCH 1 1" in text and "备件编码不存在" in text
    web = client.post(
        f"/spares/sales/{order.pk}/ship/",
        {"ship-shipped_on": "2026-03-02", "ship-serials": "PSU-48V P-1"},
    )
    assert web.status_code == 409 and "不能" in web.content.decode()


def test_stock_moves_and_loans_are_the_keepers(api, client, hw, staff):
    engineer = staff["engineer"]
    api.force_authenticate(engineer)
    receive = {"part_number": "PSU-48V", "serial_number": "X1", "location": hw.shelf.pk}
    assert api.post("/api/spare-parts/", receive, format="json").status_code == 403
    lend = {
        "site": hw.site.pk,
        "part_number": "FSU-MB-01",
        "faulty_serial_number": "B",
        "faulty_received_on": "2026-03-02",
    }
    hw.stock(hw.board, "MB-9")
    assert api.post("/api/spare-loans/", lend, format="json").status_code == 403
    client.force_login(engineer)
    web = client.post(
        "/spares/stock/receive/",
        {"part_type": hw.psu.pk, "serial_number": "X2", "location": hw.shelf.pk},
    )
    assert web.status_code == 403
    part = SparePart.objects.get(serial_number="MB-9")
    web = client.post("/spares/stock/move/", {"part": part.pk, "kind": "scrap"})
    assert web.status_code == 403
    assert api.post(f"/api/spare-parts/{part.pk}/move/", {"kind": "scrap"}).status_code == 403
    part.refresh_from_db()
    assert part.state == "in_stock"
    assert not SparePart.objects.filter(serial_number__in=["X1", "X2"]).exists()
    assert not Loan.objects.exists()

    client.force_login(hw.keeper)
    assert client.post("/spares/stock/move/", {"part": part.pk, "kind": "scrap"}).status_code == 302
    part.refresh_from_db()
    assert part.state == "scrapped"


def test_a_duplicate_receipt_keeps_what_was_typed(client, hw):
    hw.stock(hw.psu, "P-1")
    client.force_login(hw.keeper)
    page = client.post(
        "/spares/stock/receive/",
        {"part_type": hw.psu.pk, "serial_number": "P-1", "location": hw.shelf.pk},
    )
    assert page.status_code == 200
    text = page.content.decode()
    assert 'value="P-1"' in text and "已存在" in text


def test_an_extension_beyond_three_months_is_the_maintenance_managers(api, client, hw, staff):
    loan = _loan(hw)  # 2026-03-02 → 2026-06-02 (3 months), at most 2026-09-02
    client.force_login(hw.keeper)
    response = client.post(
        f"/spares/loans/{loan.pk}/extend/", {"new_end": "2026-07-02", "reason": "新板卡未到货"}
    )
    assert response.status_code == 403
    api.force_authenticate(staff["engineer"])
    refused = api.post(f"/api/spare-loans/{loan.pk}/extend/", {"new_end": "2026-05-02"})
    assert (refused.status_code, refused.json()["capability"]) == (403, "spares.operate")
    loan.refresh_from_db()
    assert (loan.end_date, loan.extensions.count()) == (dt.date(2026, 6, 2), 0)

    client.force_login(staff["manager"])
    response = client.post(
        f"/spares/loans/{loan.pk}/extend/", {"new_end": "2026-07-02", "reason": "新板卡未到货"}
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.end_date == dt.date(2026, 7, 2)


def test_loan_page_and_answer_list_the_moves_from_the_workflow(api, client, hw):
    loan = _loan(hw)
    api.force_authenticate(hw.keeper)
    moves = api.get(f"/api/spare-loans/{loan.pk}/").json()["moves"]
    assert [m["verb"] for m in moves["allowed"]] == ["deliver", "extend", "return", "compensate"]
    client.force_login(hw.keeper)
    client.post(f"/spares/loans/{loan.pk}/deliver/")
    page = client.get(f"/spares/loans/{loan.pk}/").content.decode()
    assert 'data-move="deliver"' not in page and 'data-move="return"' in page
    again = client.post(f"/spares/loans/{loan.pk}/deliver/")
    assert again.status_code == 200 and "已送达" in again.content.decode()
    client.post(f"/spares/loans/{loan.pk}/return/", {"returned_on": "2026-03-10"})
    closed = client.post(f"/spares/loans/{loan.pk}/compensate/", {"note": "进水"})
    assert closed.status_code == 409 and "不能" in closed.content.decode()


def test_a_part_type_in_use_is_not_deleted_and_only_by_an_administrator(api, client, hw, staff):
    hw.stock(hw.psu, "P-1")
    client.force_login(hw.keeper)
    assert client.post(f"/spares/part-types/{hw.board.pk}/delete/").status_code == 403
    api.force_authenticate(staff["admin"])
    in_use = api.delete(f"/api/spare-part-types/{hw.psu.pk}/")
    assert (in_use.status_code, in_use.json()["code"]) == (400, "in_use")
    client.force_login(staff["admin"])
    assert client.post(f"/spares/part-types/{hw.board.pk}/delete/").status_code == 302
    assert list(PartType.objects.values_list("part_number", flat=True)) == ["PSU-48V"]
