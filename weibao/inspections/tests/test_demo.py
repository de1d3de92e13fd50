"""The demo's inspections and emergency data: built once, not duplicated on a second run."""

import datetime as dt

import pytest

from weibao.accounts.models import User
from weibao.demo.build import load_demo
from weibao.demo.inspections import load_inspections
from weibao.emergency.models import Drill
from weibao.inspections.choices import VisitState
from weibao.inspections.models import InspectionVisit
from weibao.tenancy.models import Customer

pytestmark = pytest.mark.django_db


def test_demo_has_a_year_of_plans_done_visits_and_a_drill(frozen_clock):
    frozen_clock(dt.datetime(2026, 11, 25, 10, 0))
    load_demo()
    customer = Customer.objects.get(code="huadong")
    users = {u.username: u for u in User.objects.all()}

    load_inspections(customer, users)
    counts = (InspectionVisit.objects.count(), Drill.objects.count())
    load_inspections(customer, users)

    assert (InspectionVisit.objects.count(), Drill.objects.count()) == counts
    visits = InspectionVisit.objects.filter(contract__number="WB-2025-001")
    assert {v.contract_year for v in visits} == {2}  # 2026-07-01 … 2027-06-30
    done = visits.filter(state=VisitState.DONE)
    assert done.count() >= 5
    assert all(v.checks.exclude(outcome="pending").exists() for v in done)
    assert visits.filter(state=VisitState.IN_PROGRESS).count() == 1
    assert visits.filter(checks__ticket__isnull=False).count() == 1
    assert visits.filter(provisional=True).exists()  # 2027 is not in the calendar yet
    assert Drill.objects.get().site.code == "MC-01"
