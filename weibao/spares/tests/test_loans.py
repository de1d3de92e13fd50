"""SPX-1..5 and CAT-4: exchange loans against the quota, their 3/6-month limits, automatic
conversion into a sale, compensation of a damaged part; ownership never moves on exchange."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from weibao.contracts.models import EntitlementUsage
from weibao.contracts.services import QuotaExceeded
from weibao.core import due
from weibao.core.errors import DomainError
from weibao.notifications.models import Notification
from weibao.spares.choices import LoanStatus, PartState, SaleOrigin, SaleStage
from weibao.spares.models import Loan, SaleOrder
from weibao.spares.selectors import on_hand
from weibao.spares.services import inventory
from weibao.spares.services.loans import (
    compensate_loan,
    extend_loan,
    lend_exchange,
    return_loan,
)
from weibao.spares.tasks import convert_loans_past_limit, remind_loan_ends

SH = ZoneInfo("Asia/Shanghai")
D = dt.date


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SH)


@pytest.fixture
def today(frozen_clock):
    frozen_clock(at(2026, 1, 10, 9, 0))
    return D(2026, 1, 10)


def lend(hw, n=1, **extra):
    values = {
        "customer": hw.customer,
        "part_type": hw.board,
        "site": hw.site,
        "faulty_serial_number": f"BAD-{n:03d}",
        "faulty_received_on": D(2026, 1, 10),
        "actor": hw.keeper,
        **extra,
    }
    return lend_exchange(**values)


def test_exchange_lends_a_provider_part_that_stays_the_providers(hw, today):
    [spare] = hw.stock(hw.board, "MB-1")
    loan = lend(hw, deliver_by=at(2026, 1, 10, 18, 0))
    assert loan.number.startswith("LN260110-")
    assert (loan.end_date, loan.latest_end) == (D(2026, 4, 10), D(2026, 7, 10))
    spare.refresh_from_db()
    # SPX-1: the provider's spare stays the provider's while the customer uses it.
    assert (spare.owner, spare.pool, spare.state) == ("provider", hw.pool, PartState.ON_LOAN)
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 0
    usage = EntitlementUsage.objects.get(contract=hw.contract)
    assert (usage.used, usage.billable) == (1, 0)


def test_customers_own_pool_comes_first(hw, today):
    hw.stock(hw.board, "MB-1")
    hw.stock(hw.board, "OWN-1", location=inventory.default_location(hw.own))
    with pytest.raises(DomainError) as error:
        lend(hw)
    assert error.value.code == "own_spare_available"
    own = inventory.issue_own_spare(hw.customer, hw.board, note="更换端局 FSU 主控板")
    assert (own.serial_number, own.state, own.owner) == ("OWN-1", PartState.INSTALLED, "customer")
    assert lend(hw).part.serial_number == "MB-1"


def test_faulty_part_must_be_received_first_and_period_is_at_most_three_months(hw, today):
    hw.stock(hw.board, "MB-1")
    with pytest.raises(DomainError) as error:
        lend(hw, faulty_received_on=D(2026, 1, 11))
    assert error.value.code == "faulty_part_first"
    with pytest.raises(DomainError) as error:
        lend(hw, end_date=D(2026, 4, 11))
    assert error.value.code == "loan_too_long"
    assert not Loan.objects.exists()


def test_eleventh_exchange_is_refused_or_billed_by_explicit_choice(hw, today):
    hw.stock(hw.board, *(f"MB-{n}" for n in range(12)))
    for n in range(10):
        lend(hw, n)

    with pytest.raises(QuotaExceeded) as error:
        lend(hw, 10)
    assert "已用完（10/10 次" in error.value.message
    assert Loan.objects.count() == 10
    usage = EntitlementUsage.objects.get(contract=hw.contract)
    assert (usage.used, usage.billable) == (10, 0)

    billed = lend(hw, 10, billable_ok=True)
    assert billed.billable
    usage.refresh_from_db()
    assert (usage.used, usage.billable) == (10, 1)


def test_no_stock_refuses_and_counts_nothing(hw, today):
    with pytest.raises(inventory.OutOfStock):
        lend(hw)
    assert not EntitlementUsage.objects.filter(used__gt=0).exists()


def test_extension_up_to_six_months_then_converts_into_a_sale(hw, today):
    [spare] = hw.stock(hw.board, "MB-1")
    loan = lend(hw)
    extend_loan(loan, new_end=D(2026, 6, 10), reason="新板卡未到货")
    loan = extend_loan(loan, new_end=D(2026, 7, 10), reason="再次延期")  # 6 months in total
    with pytest.raises(DomainError) as error:
        extend_loan(loan, new_end=D(2026, 7, 11))
    assert error.value.code == "loan_total_exceeded"
    assert "自动转为备件销售" in error.value.message

    # The last allowed day passes without the part back: the next day it is a sale.
    assert due.drain(convert_loans_past_limit, now=at(2026, 7, 10, 23, 0), batch=50) == 0
    assert due.drain(convert_loans_past_limit, now=at(2026, 7, 11, 0, 30), batch=50) == 1
    assert due.drain(convert_loans_past_limit, now=at(2026, 7, 12, 0, 30), batch=50) == 0

    loan.refresh_from_db()
    sale = SaleOrder.objects.get()
    assert (loan.status, loan.converted_on, loan.sale) == (
        LoanStatus.CONVERTED,
        D(2026, 7, 11),
        sale,
    )
    assert (sale.origin, sale.stage, sale.total) == (
        SaleOrigin.LOAN_CONVERSION,
        SaleStage.DELIVERED,
        Decimal("3200.00"),
    )
    [item] = sale.items.all()
    assert (item.serial_number, item.warranty_until) == ("MB-1", D(2027, 7, 10))
    spare.refresh_from_db()
    assert (spare.owner, spare.pool) == ("customer", hw.own)  # a sale passes ownership
    notice = Notification.objects.get(kind="loan_converted", recipient=hw.customer_user)
    assert sale.number in notice.body


def test_reminder_on_the_end_date_and_again_after_an_extension(hw, today):
    hw.stock(hw.board, "MB-1")
    loan = lend(hw, end_date=D(2026, 2, 10))
    assert due.drain(remind_loan_ends, now=at(2026, 2, 9, 9, 0), batch=10) == 0
    assert due.drain(remind_loan_ends, now=at(2026, 2, 10, 9, 0), batch=10) == 1
    assert due.drain(remind_loan_ends, now=at(2026, 2, 11, 9, 0), batch=10) == 0
    extend_loan(loan, new_end=D(2026, 3, 10))
    assert due.drain(remind_loan_ends, now=at(2026, 3, 10, 9, 0), batch=10) == 1
    assert Notification.objects.filter(kind="loan_due", recipient=hw.customer_user).count() == 2


def test_returned_part_goes_back_into_stock(hw, today, frozen_clock):
    hw.stock(hw.board, "MB-1")
    loan = lend(hw)
    frozen_clock(at(2026, 2, 1, 9, 0))
    loan = return_loan(loan, returned_on=D(2026, 2, 1))
    assert loan.status == LoanStatus.RETURNED
    assert on_hand(part_type_id=hw.board.pk, location_id=hw.shelf.pk) == 1
    with pytest.raises(DomainError):
        extend_loan(loan, new_end=D(2026, 3, 1))


def test_damaged_part_is_compensated_and_ownership_passes(hw, today):
    [spare] = hw.stock(hw.board, "MB-1")
    loan = compensate_loan(lend(hw), note="进水损坏", actor=hw.keeper)
    assert (loan.status, loan.compensation_amount) == (LoanStatus.COMPENSATED, Decimal("3200.00"))
    spare.refresh_from_db()
    assert (spare.owner, spare.pool) == ("customer", hw.own)

    hw.stock(hw.board, "MB-2")
    agreed = compensate_loan(lend(hw, 2), price=Decimal("2500"), actor=hw.keeper)
    assert agreed.compensation_amount == Decimal("2500")


def test_loan_list_searches_sorts_counts_and_exports_only_what_the_user_sees(client, hw, today):
    import io

    from openpyxl import load_workbook

    from weibao.testing import factories as f

    hw.stock(hw.board, "MB-1", "MB-2")
    first, second = lend(hw, 1), lend(hw, 2)
    return_loan(first, actor=hw.keeper)
    client.force_login(hw.keeper)
    page = client.get("/spares/loans/", {"sort": "-number"}).content.decode()
    table = page[page.index('data-testid="loan-list"') :]
    assert "共 2 条" in page and table.index(second.number) < table.index(first.number)
    page = client.get("/spares/loans/", {"q": "BAD-002"}).content.decode()
    table = page[page.index('data-testid="loan-list"') :]
    assert "共 1 条" in page and first.number not in table
    export = client.get("/spares/loans/", {"status": "returned", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "借用单" and [r[0] for r in rows[1:]] == [first.number]
    assert rows[1][-1] == "已归还"
    client.force_login(hw.customer_user)
    export = client.get("/spares/loans/", {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert sorted(r[0] for r in rows[1:]) == sorted([first.number, second.number])
    client.force_login(f.CustomerUserFactory())  # another customer's user
    export = client.get("/spares/loans/", {"format": "xlsx"})
    assert (
        list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))[1:] == []
    )


def test_the_api_exports_the_loans_with_the_lists_filters(hw, today):
    import io

    from openpyxl import load_workbook
    from rest_framework.test import APIClient

    hw.stock(hw.board, "MB-1", "MB-2")
    first, second = lend(hw, 1), lend(hw, 2)
    return_loan(first, actor=hw.keeper)
    api = APIClient()
    api.force_authenticate(hw.keeper)
    answer = api.get("/api/spare-loans/export/", {"status": "out"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "借用单" and [r[0] for r in rows[1:]] == [second.number]
    answer = api.get("/api/spare-loans/export/", {"search": "BAD-001"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [first.number]
