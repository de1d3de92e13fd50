"""The inspections API (issue 10 #7): plans, generation, visits with their moves, the
checklist and completion — the same services as the screens, the same refusals."""

import datetime as dt

import pytest

from weibao.inspections.choices import CheckOutcome, VisitKind, VisitState
from weibao.inspections.models import InspectionVisit
from weibao.tickets.models import Ticket

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


@pytest.fixture
def planned(api, estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 9, 9, 30))
    api.force_authenticate(estate.planner)
    response = api.post(
        "/api/inspection-plans/generate/", {"contract": estate.contract.pk}, format="json"
    )
    assert response.status_code == 201, response.content
    assert len(response.json()["created"]) == 19
    return estate


def _visit(estate):
    return InspectionVisit.objects.get(
        site=estate.center, kind=VisitKind.CORE, planned_date=D(2026, 3, 9)
    )


def test_plan_lists_the_year_with_usage_and_moves(api, planned):
    body = api.get(f"/api/inspection-plans/?contract={planned.contract.pk}").json()

    assert body["contract_year"] == 1 and body["usage"]["planned"] == 19
    first = body["visits"][0]
    assert {m["verb"] for m in first["moves"]["allowed"]} == {"reschedule", "assign", "cancel"}


def test_engineer_runs_a_visit_through_the_api(api, planned):
    visit = _visit(planned)
    api.force_authenticate(planned.engineer)

    started = api.post(f"/api/inspection-visits/{visit.pk}/start/")
    checks = api.get(f"/api/inspection-visits/{visit.pk}/checklist/").json()
    early = api.post(f"/api/inspection-visits/{visit.pk}/complete/", {}, format="json")
    failed = checks[0]
    api.post(
        f"/api/inspection-checks/{failed['id']}/record/",
        {"outcome": "fail", "note": "告警未处理", "level": "L3"},
        format="json",
    )
    for check in checks[1:]:
        response = api.post(
            f"/api/inspection-checks/{check['id']}/record/", {"outcome": "pass"}, format="json"
        )
        assert response.status_code == 200
    done = api.post(
        f"/api/inspection-visits/{visit.pk}/complete/", {"summary": "运行正常"}, format="json"
    )

    assert started.status_code == 200 and started.json()["state"] == "in_progress"
    assert early.status_code == 400 and early.json()["code"] == "checks_pending"
    assert done.status_code == 200 and done.json()["state"] == "done"
    assert Ticket.objects.get().site == planned.center
    visit.refresh_from_db()
    assert visit.checks.filter(outcome=CheckOutcome.PENDING).count() == 0


def test_wrong_state_answers_409(api, planned):
    visit = _visit(planned)
    api.force_authenticate(planned.engineer)
    api.post(f"/api/inspection-visits/{visit.pk}/start/")

    response = api.post(f"/api/inspection-visits/{visit.pk}/start/")

    assert response.status_code == 409 and response.json()["code"] == "wrong_state"


@pytest.mark.parametrize(
    "path, body",
    [
        ("reschedule/", {"new_date": "2026-03-12", "reason": "客户要求"}),
        ("cancel/", {"reason": "客户停电"}),
    ],
)
def test_engineer_may_not_plan_via_the_api(api, planned, path, body):
    visit = _visit(planned)
    api.force_authenticate(planned.engineer)

    response = api.post(f"/api/inspection-visits/{visit.pk}/{path}", body, format="json")

    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    visit.refresh_from_db()
    assert (visit.state, visit.planned_date) == (VisitState.PLANNED, D(2026, 3, 9))


def test_engineer_may_not_generate_and_planner_may_not_start(api, planned):
    api.force_authenticate(planned.engineer)
    response = api.post(
        "/api/inspection-plans/generate/",
        {"contract": planned.contract.pk, "on": "2027-01-05"},
        format="json",
    )
    assert response.status_code == 403
    assert response.json()["capability"] == "inspection.plan"

    api.force_authenticate(planned.planner)
    visit = _visit(planned)
    assert api.post(f"/api/inspection-visits/{visit.pk}/start/").status_code == 403
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


def test_planner_reschedules_and_assigns(api, planned):
    visit = _visit(planned)

    moved = api.post(
        f"/api/inspection-visits/{visit.pk}/reschedule/",
        {"new_date": "2026-03-12", "reason": "客户要求"},
        format="json",
    )
    assigned = api.post(
        f"/api/inspection-visits/{visit.pk}/assign/",
        {"engineer": planned.engineer.pk},
        format="json",
    )
    empty = api.post(
        f"/api/inspection-visits/{visit.pk}/reschedule/",
        {"new_date": "2026-03-13", "reason": " "},
        format="json",
    )

    assert moved.json()["planned_date"] == "2026-03-12"
    assert assigned.json()["engineer"] == planned.engineer.pk
    assert empty.status_code == 400 and empty.json()["code"] == "reason_required"


def test_another_customers_visit_answers_404(api, planned, world):
    visit = _visit(planned)
    api.force_authenticate(world.user_b)

    assert api.get(f"/api/inspection-visits/{visit.pk}/").status_code == 404
    assert api.post(f"/api/inspection-visits/{visit.pk}/start/").status_code == 404
