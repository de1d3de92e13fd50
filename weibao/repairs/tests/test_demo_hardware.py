"""`load_hardware`: repairs, loans and sales in every state for the demo customer; loaded twice
it duplicates nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from weibao.accounts.models import User
from weibao.core import clock
from weibao.demo.build import load_demo
from weibao.demo.hardware import load_hardware
from weibao.repairs.choices import RepairStatus
from weibao.repairs.models import Repair
from weibao.spares.choices import LoanStatus, SaleStage
from weibao.spares.models import Loan, SaleOrder, StockMovement
from weibao.spares.selectors import loan_statements
from weibao.tenancy.models import Customer
from weibao.testing.shared import shared_data

pytestmark = pytest.mark.django_db


NOW = dt.datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _load():
    clock.set_now(NOW)
    try:
        load_demo()
        customer = Customer.objects.get(code="huadong")
        load_hardware(customer, {u.username: u for u in User.objects.all()})
    finally:
        clock.set_now(None)


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    """The demo world and its hardware once for the module (seconds), at the module's time;
    each test starts from it, undone after."""
    yield from shared_data(django_db_blocker, _load)


@pytest.fixture
def demo(_demo_loaded, db, frozen_clock):
    frozen_clock(NOW)
    customer = Customer.objects.get(code="huadong")
    users = {u.username: u for u in User.objects.all()}
    return customer, users


def test_demo_has_repairs_loans_and_sales_in_every_state(demo):
    customer, _users = demo
    repairs = Repair.objects.filter(customer=customer)
    assert set(repairs.values_list("status", flat=True)) == set(RepairStatus.values)
    late = repairs.filter(overdue_at__isnull=False)
    assert late.filter(loaner__isnull=False).exists() and late.filter(loaner__isnull=True).exists()
    billed = repairs.billable().get()  # through billing: lines, sent for the leader's approval
    assert billed.statements.get().state == "sent" and billed.statements.get().lines.count() == 3
    assert repairs.filter(in_warranty=True).exists()
    assert repairs.filter(previous__isnull=False, loaner__kind="trial_failed").exists()
    assert set(Loan.objects.values_list("status", flat=True)) == set(LoanStatus.values)
    assert set(Loan.objects.values_list("kind", flat=True)) == {
        "exchange",
        "repair_overdue",
        "trial_failed",
    }
    assert set(SaleOrder.objects.values_list("stage", flat=True)) == set(SaleStage.values)
    assert SaleOrder.objects.filter(origin="loan_conversion").exists()
    assert SaleOrder.objects.filter(ship_warned_at__isnull=False, ship_breached_at__isnull=True)
    assert SaleOrder.objects.filter(ship_breached_at__isnull=False).exists()
    # the damaged loan is billed like any out-of-scope work: sent for the leader's approval
    compensated = Loan.objects.get(status=LoanStatus.COMPENSATED)
    (statement,) = loan_statements([compensated], _users["manager"])[compensated.pk]
    assert statement.state == "sent" and statement.total == compensated.compensation_amount
    assert [c.code for c in statement.exclusion.causes.all()] == ["loan_damaged"]


def test_demo_hardware_twice_duplicates_nothing(demo):
    customer, users = demo
    counts = (
        Repair.objects.count(),
        Loan.objects.count(),
        SaleOrder.objects.count(),
        StockMovement.objects.count(),
    )
    load_hardware(customer, users)
    assert (
        Repair.objects.count(),
        Loan.objects.count(),
        SaleOrder.objects.count(),
        StockMovement.objects.count(),
    ) == counts
