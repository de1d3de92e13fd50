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
from weibao.emergency.models import Drill
from weibao.inspections.models import InspectionVisit
from weibao.library.models import CoveragePeriod
from weibao.reporting.models import AnalysisReport
from weibao.spares.models import Loan, SaleOrder

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
