"""Plausible dates on the remaining user-entered date fields (issue 11): a loan's dates, a
sale's shipment, an inspection visit's planned date, a library coverage period, a drill and a
report period refuse a date before 2000-01-01 or more than ten years on (and what already
happened — a return, a shipment, a drill held — after today), naming the field, through model
validation that forms, the admin and model serializers run."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from weibao.core import bounds
from weibao.core.errors import DomainError
from weibao.emergency.models import Drill
from weibao.inspections.models import InspectionVisit
from weibao.library.models import CoveragePeriod
from weibao.library.services import coverage
from weibao.reporting.models import AnalysisReport
from weibao.spares.choices import LoanStatus
from weibao.spares.models import Loan, SaleOrder
from weibao.spares.services.loans import lend_exchange, return_loan
from weibao.spares.tests.factories import make_hardware

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
TODAY = dt.date(2026, 10, 12)
FIELDS = [
    (Loan, "start_date", False),
    (Loan, "end_date", False),
    (Loan, "returned_on", True),
    (SaleOrder, "shipped_on", True),
    (InspectionVisit, "planned_date", False),
    (CoveragePeriod, "expiry_date", False),
    (Drill, "held_on", True),
    (AnalysisReport, "period_start", False),
]


@pytest.fixture
def today(frozen_clock):
    frozen_clock(dt.datetime(2026, 10, 12, 9, 0, tzinfo=SH))
    return TODAY


def _errors(model, field, value):
    try:
        model(**{field: value}).full_clean()
    except ValidationError as exc:
        return exc.message_dict.get(field, [])
    return []


@pytest.mark.parametrize(("model", "field", "happened"), FIELDS)
@pytest.mark.parametrize("value", [dt.date(1, 1, 1), dt.date(1999, 12, 31), dt.date(9999, 12, 31)])
def test_an_implausible_date_is_refused_on_its_field(today, model, field, happened, value):
    assert _errors(model, field, value)


@pytest.mark.parametrize(("model", "field", "happened"), FIELDS)
def test_a_plausible_date_is_accepted_and_tomorrow_only_where_planned(
    today, model, field, happened
):
    assert _errors(model, field, TODAY) == []
    assert _errors(model, field, dt.date(2000, 1, 1)) == []
    tomorrow_errors = _errors(model, field, TODAY + dt.timedelta(days=1))
    if happened:
        assert tomorrow_errors == ["日期不能晚于今天。"]
    else:
        assert tomorrow_errors == []
        assert _errors(model, field, bounds.latest_date()) == []
        assert _errors(model, field, bounds.latest_date() + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"faulty_received_on": dt.date(1, 1, 1)}, "faulty_received_on"),
        ({"end_date": dt.date(9999, 12, 31)}, "end_date"),
    ],
)
def test_a_loan_with_an_implausible_date_is_refused_and_not_lent(frozen_clock, changes, field):
    frozen_clock(dt.datetime(2026, 1, 10, 9, 0, tzinfo=SH))
    hw = make_hardware()
    hw.stock(hw.board, "MB-1")
    values = {"customer": hw.customer, "part_type": hw.board, "site": hw.site,
              "faulty_serial_number": "BAD-001", "faulty_received_on": dt.date(2026, 1, 10),
              "actor": hw.keeper, **changes}  # fmt: skip
    with pytest.raises(DomainError) as error:
        lend_exchange(**values)
    assert error.value.field == field
    assert not Loan.objects.exists()


def test_a_loan_returned_on_an_implausible_date_stays_out(frozen_clock):
    frozen_clock(dt.datetime(2026, 1, 10, 9, 0, tzinfo=SH))
    hw = make_hardware()
    hw.stock(hw.board, "MB-1")
    loan = lend_exchange(customer=hw.customer, part_type=hw.board, site=hw.site,
                         faulty_serial_number="BAD-001", faulty_received_on=dt.date(2026, 1, 10),
                         actor=hw.keeper)  # fmt: skip
    with pytest.raises(DomainError) as error:
        return_loan(loan, returned_on=dt.date(1, 1, 1), actor=hw.keeper)
    assert error.value.field == "returned_on"
    loan.refresh_from_db()
    assert loan.returned_on is None and loan.status == LoanStatus.OUT


@pytest.mark.parametrize(
    ("start", "expiry", "field"),
    [
        (dt.date(1, 1, 1), dt.date(2026, 9, 30), "start_date"),
        (dt.date(2025, 10, 1), dt.date(9999, 12, 31), "expiry_date"),
    ],
)
def test_a_library_coverage_out_of_range_is_refused(world, today, start, expiry, field):
    world.provider_user.is_superuser = True
    world.provider_user.save(update_fields=["is_superuser"])
    with pytest.raises(DomainError) as error:
        coverage.register_coverage(
            customer=world.customer_a, vendor="华为技术", covers="核心交换机原厂保修",
            start_date=start, expiry_date=expiry, contract_number="HW-2025-88",
            reminder_days="60,30,7", actor=world.provider_user,
        )  # fmt: skip
    assert error.value.field == field
    assert not CoveragePeriod.objects.exists()
