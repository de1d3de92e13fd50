"""SPS-1, SPS-2: the sales flow with quote revisions, the ship deadline warned and breached by
the one scheduler, delivery into the customer's own pool, and the warranty boundary."""

import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from weibao.core import due
from weibao.core.errors import DomainError
from weibao.core.workflow import MoveRefused
from weibao.notifications.models import Notification
from weibao.repairs.services import register_repair
from weibao.spares.choices import QuoteDecision, SaleStage
from weibao.spares.flow import SALE_FLOW
from weibao.spares.selectors import on_hand, warranty_for
from weibao.spares.services import inventory, sales
from weibao.spares.tasks import SHIP_WARNING_DAYS, breach_ship_deadlines, warn_ship_deadlines
from weibao.spares.terms import add_months, warranty_last_day

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def prepaid(hw, frozen_clock):
    frozen_clock(at(2026, 2, 2, 9, 0))
    order = sales.request_sale(customer=hw.customer, request_text="建立客户备件库：主控板 2 块")
    sales.propose_quote(order, proposal="主控板 2 块", lines=[(hw.board, 2, "3200")])
    sales.reject_quote(order, note="价格偏高")
    sales.propose_quote(order, proposal="主控板 2 块（优惠）", lines=[(hw.board, 2, "3000")])
    sales.agree_quote(order)
    frozen_clock(at(2026, 2, 10, 9, 0))  # signed and prepaid on the days they happened
    sales.sign_sale_contract(order, contract_number="XS-2026-01", signed_on=D(2026, 2, 5))
    return sales.record_prepayment(order, prepaid_on=D(2026, 2, 10), amount=Decimal("1800"))


def test_quote_revisions_are_kept_and_prepayment_sets_the_ship_deadline(prepaid):
    quotes = list(prepaid.quotes.order_by("revision"))
    assert [(q.revision, q.decision) for q in quotes] == [
        (1, QuoteDecision.REJECTED),
        (2, QuoteDecision.AGREED),
    ]
    assert quotes[0].decision_note == "价格偏高"
    assert prepaid.total == Decimal("6000.00")
    assert (prepaid.stage, prepaid.ship_by) == (SaleStage.PREPAID, D(2026, 5, 10))


def test_moves_out_of_order_are_refused(hw, frozen_clock):
    frozen_clock(at(2026, 2, 2, 9, 0))
    order = sales.request_sale(customer=hw.customer, request_text="电源模块")
    with pytest.raises(MoveRefused):
        sales.record_prepayment(order, prepaid_on=D(2026, 2, 3), amount=Decimal(1))
    assert [m.verb for m in SALE_FLOW.available(order)] == ["quote", "cancel"]


def test_ship_deadline_is_warned_before_and_breached_after_exactly_once(hw, prepaid):
    warn_day = prepaid.ship_by - dt.timedelta(days=SHIP_WARNING_DAYS)  # 04-26
    assert due.drain(warn_ship_deadlines, now=at(2026, 4, 25, 9, 0), batch=10) == 0
    assert due.drain(warn_ship_deadlines, now=at(*warn_day.timetuple()[:3], 9), batch=10) == 1
    assert due.drain(warn_ship_deadlines, now=at(2026, 4, 27, 9, 0), batch=10) == 0
    assert due.drain(breach_ship_deadlines, now=at(2026, 5, 10, 23, 0), batch=10) == 0
    assert due.drain(breach_ship_deadlines, now=at(2026, 5, 11, 0, 5), batch=10) == 1
    assert due.drain(breach_ship_deadlines, now=at(2026, 5, 12, 0, 5), batch=10) == 0
    prepaid.refresh_from_db()
    assert prepaid.ship_warned_at and prepaid.ship_breached_at
    kinds = Notification.objects.filter(recipient=hw.keeper, kind="sale_ship")
    assert kinds.count() == 2


def test_shipping_and_signed_delivery_fill_the_customers_pool(hw, prepaid, frozen_clock):
    hw.stock(hw.board, "MB-S1")
    frozen_clock(at(2026, 3, 1, 9, 0))
    with pytest.raises(DomainError):
        sales.ship_sale(prepaid, shipped_on=D(2026, 3, 1), serials=[(hw.board, "MB-S1")])
    shipped = sales.ship_sale(
        prepaid,
        shipped_on=D(2026, 3, 1),
        serials=[(hw.board, "MB-S1"), (hw.board, "NEW-7")],
        tracking_number="SF200",
    )
    assert shipped.stage == SaleStage.SHIPPED and shipped.ship_breached_at is None
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0

    frozen_clock(at(2026, 3, 3, 9, 0))
    delivered = sales.deliver_sale(shipped, delivered_on=D(2026, 3, 3), signed_by="孔工")
    items = list(delivered.items.select_related("part"))
    assert {i.warranty_until for i in items} == {D(2027, 3, 2)}
    assert {(i.part.owner, i.part.pool_id, i.part.state) for i in items} == {
        ("customer", hw.own.pk, "in_stock"),
    }
    shelf = inventory.default_location(hw.own)
    assert on_hand(part_type_id=hw.board.pk, location_id=shelf.pk) == 2


def test_shipping_after_the_deadline_records_the_breach(hw, prepaid, frozen_clock):
    frozen_clock(at(2026, 5, 20, 9, 0))
    late = sales.ship_sale(
        prepaid, shipped_on=D(2026, 5, 20), serials=[(hw.board, "N1"), (hw.board, "N2")]
    )
    assert late.ship_breached_at is not None


@pytest.mark.parametrize(
    ("delivered", "last_day"),
    [
        # 2026-03-01 is day 1 of the warranty; 365 days later, 2027-02-28, is its last day.
        (D(2026, 3, 1), D(2027, 2, 28)),
        # Across 2028-02-29 the year has 366 days.
        (D(2027, 3, 1), D(2028, 2, 29)),
        # A delivery on 29 February is covered through 28 February of the next year.
        (D(2028, 2, 29), D(2029, 2, 28)),
        (D(2026, 7, 15), D(2027, 7, 14)),
    ],
)
def test_warranty_last_day(delivered, last_day):
    assert warranty_last_day(delivered, 12) == last_day


def test_add_months_clamps_to_the_end_of_a_short_month():
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


@pytest.mark.parametrize(
    ("received", "covered"),
    [(D(2027, 2, 28), True), (D(2027, 3, 1), False)],  # day 365 in, day 366 out
)
def test_part_in_for_repair_shows_whether_it_is_in_warranty(hw, frozen_clock, received, covered):
    frozen_clock(at(2026, 2, 2, 9, 0))
    order = sales.request_sale(customer=hw.customer, request_text="电源模块 1 块")
    sales.propose_quote(order, proposal="电源", lines=[(hw.psu, 1, "860")])
    sales.agree_quote(order)
    frozen_clock(at(2026, 2, 4, 9, 0))
    sales.sign_sale_contract(order, contract_number="XS-2", signed_on=D(2026, 2, 3))
    sales.record_prepayment(order, prepaid_on=D(2026, 2, 4), amount=Decimal("860"))
    frozen_clock(at(2026, 3, 1, 9, 0))
    sales.ship_sale(order, shipped_on=D(2026, 2, 27), serials=[(hw.psu, "PSU-77")])
    sales.deliver_sale(order, delivered_on=D(2026, 3, 1), signed_by="孔工")

    warranty = warranty_for("psu-77", on=received, customer_id=hw.customer.pk)
    assert (warranty.until, warranty.covered) == (D(2027, 2, 28), covered)

    # Registered for repair in 2026 (calendar data): the repair shows the warranty it had.
    frozen_clock(at(2026, 10, 9, 9, 0))
    repair = register_repair(
        serial_number="PSU-77", fault_description="无输出", received_on=D(2026, 10, 9)
    )
    assert (repair.customer, repair.in_warranty, repair.warranty_until) == (
        hw.customer,
        True,
        D(2027, 2, 28),
    )


def test_sale_list_searches_counts_and_exports(client, hw, frozen_clock):
    frozen_clock(at(2026, 2, 2, 9, 0))
    boards = sales.request_sale(customer=hw.customer, request_text="主控板 2 块")
    power = sales.request_sale(customer=hw.customer, request_text="电源模块 1 块")
    client.force_login(hw.keeper)
    page = client.get("/spares/sales/?q=电源").content.decode()
    assert "共 1 条" in page and power.number in page and boards.number not in page
    page = client.get("/spares/sales/?sort=number").content.decode()
    assert page.index(boards.number) < page.index(power.number)
    export = client.get("/spares/sales/?sort=-number&format=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        power.number,
        boards.number,
    ]


def test_the_api_exports_the_sales_with_the_lists_search(api, hw, frozen_clock):
    frozen_clock(at(2026, 2, 2, 9, 0))
    sales.request_sale(customer=hw.customer, request_text="主控板 2 块")
    power = sales.request_sale(customer=hw.customer, request_text="电源模块 1 块")
    api.force_authenticate(hw.keeper)
    answer = api.get("/api/spare-sales/export/", {"search": "电源"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "销售单" and [r[0] for r in rows[1:]] == [power.number]
