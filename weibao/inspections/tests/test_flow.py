"""The inspection visit workflow (INS-2, INS-3) on the one core mechanism, and who may make
each move (PRM-1): refusals are coded, 403 for a missing capability, 409 for a wrong state,
and a refused move changes nothing — through the services and the web alike."""

import datetime as dt

import pytest

from weibao.accounts.choices import Role
from weibao.core.workflow import MoveRefused
from weibao.inspections import services
from weibao.inspections.choices import CheckOutcome, VisitKind, VisitState
from weibao.inspections.flow import INSPECTION_VISIT_FLOW
from weibao.inspections.models import InspectionVisit
from weibao.testing import factories as f
from weibao.testing.factories import PASSWORD

D = dt.date
pytestmark = [pytest.mark.django_db, pytest.mark.urls("weibao.inspections.tests.urls")]


@pytest.fixture
def visit(estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 9, 9, 30))
    services.generate_plan(estate.contract, on=D(2026, 3, 9), actor=estate.planner)
    return InspectionVisit.objects.get(
        site=estate.center, kind=VisitKind.CORE, planned_date=D(2026, 3, 9)
    )


def _user(estate, role):
    return f.UserFactory(provider=estate.customer.provider, roles=[role])


def test_moves_offered_follow_the_state_and_the_role(visit, estate):
    planner_moves = {m.verb for m in INSPECTION_VISIT_FLOW.available(visit, estate.planner)}
    engineer_moves = {m.verb for m in INSPECTION_VISIT_FLOW.available(visit, estate.engineer)}
    blocked = {m.verb: r.code for m, r in INSPECTION_VISIT_FLOW.blocked(visit, estate.engineer)}

    assert planner_moves == {"reschedule", "assign", "cancel"}
    assert engineer_moves == {"start"}
    assert blocked == {
        "reschedule": "permission_denied",
        "assign": "permission_denied",
        "cancel": "permission_denied",
    }


def test_a_move_from_the_wrong_state_is_refused_with_wrong_state_409(visit, estate):
    services.start_visit(visit, actor=estate.engineer)

    with pytest.raises(MoveRefused) as refused:
        services.start_visit(visit, actor=estate.engineer)

    assert (refused.value.code, refused.value.status) == ("wrong_state", 409)


@pytest.mark.parametrize(
    "role, may_plan",
    [
        (Role.MAINTENANCE_MANAGER, True),
        (Role.CENTER_HEAD, True),
        (Role.SERVICE_OFFICE_MANAGER, False),
        (Role.ACCOUNT_MANAGER, False),
        (Role.ENGINEER, False),
        (Role.SUPPORT_AGENT, False),
    ],
)
def test_only_planners_generate_plans_and_move_visits(visit, estate, role, may_plan):
    user = _user(estate, role)
    if may_plan:
        services.move_visit(visit, new_date=D(2026, 3, 12), reason="客户要求", actor=user)
        visit.refresh_from_db()
        assert visit.planned_date == D(2026, 3, 12)
        return
    with pytest.raises(MoveRefused) as refused:
        services.move_visit(visit, new_date=D(2026, 3, 12), reason="客户要求", actor=user)
    assert (refused.value.code, refused.value.status) == ("permission_denied", 403)
    with pytest.raises(Exception) as denied:
        services.generate_plan(estate.contract, on=D(2027, 1, 5), actor=user)
    assert getattr(denied.value, "status", None) == 403
    visit.refresh_from_db()
    assert visit.planned_date == D(2026, 3, 9)
    assert not InspectionVisit.objects.filter(contract_year=2).exists()


def test_an_engineer_runs_only_their_own_visit(visit, estate):
    other = _user(estate, Role.ENGINEER)
    services.start_visit(visit, actor=estate.engineer)
    check = visit.checks.first()

    with pytest.raises(MoveRefused) as refused:
        services.record_check(check, outcome=CheckOutcome.PASS, actor=other)

    assert (refused.value.code, refused.value.status) == ("not_your_visit", 403)
    check.refresh_from_db()
    assert check.outcome == CheckOutcome.PENDING


def test_planners_do_not_run_visits_engineers_do(visit, estate):
    with pytest.raises(MoveRefused) as refused:
        services.start_visit(visit, actor=estate.planner)

    assert refused.value.code == "permission_denied"
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


@pytest.mark.parametrize(
    "path, data",
    [
        ("move/", {"new_date": "2026-03-12", "reason": "客户要求"}),
        ("cancel/", {"reason": "客户停电"}),
        ("assign/", {"engineer": ""}),
    ],
)
def test_web_answers_403_to_an_engineer_planning_and_changes_nothing(
    client, visit, estate, path, data
):
    client.login(username=estate.engineer.username, password=PASSWORD)

    response = client.post(f"/inspections/visits/{visit.pk}/{path}", data)

    assert response.status_code == 403
    visit.refresh_from_db()
    assert (visit.state, visit.planned_date) == (VisitState.PLANNED, D(2026, 3, 9))


def test_web_answers_403_to_a_planner_starting_a_visit(client, visit, estate):
    client.login(username=estate.planner.username, password=PASSWORD)

    assert client.post(f"/inspections/visits/{visit.pk}/start/").status_code == 403
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


def test_web_generate_is_refused_to_an_engineer(client, estate, frozen_clock):
    frozen_clock(dt.datetime(2026, 3, 2, 9, 0))
    client.login(username=estate.engineer.username, password=PASSWORD)

    response = client.post("/inspections/generate/", {"contract": estate.contract.pk})

    assert response.status_code == 403
    assert not InspectionVisit.objects.exists()


def test_visit_page_offers_the_workflow_moves_only(client, visit, estate):
    client.login(username=estate.engineer.username, password=PASSWORD)
    page = client.get(f"/inspections/visits/{visit.pk}/").content.decode()
    assert 'data-testid="start-visit"' in page and 'data-testid="plan-actions"' not in page

    client.login(username=estate.planner.username, password=PASSWORD)
    page = client.get(f"/inspections/visits/{visit.pk}/").content.decode()
    assert 'data-testid="start-visit"' not in page
    assert 'data-testid="reschedule-form"' in page and 'data-testid="cancel-form"' in page


def test_a_refused_cancel_keeps_the_page_and_what_was_typed(client, visit, estate):
    client.login(username=estate.planner.username, password=PASSWORD)

    response = client.post(f"/inspections/visits/{visit.pk}/cancel/", {"reason": "   "})

    assert response.status_code == 400
    assert 'data-testid="cancel-form"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.state == VisitState.PLANNED


def test_a_refused_completion_keeps_the_summary_typed(client, visit, estate):
    services.start_visit(visit, actor=estate.engineer)
    client.login(username=estate.engineer.username, password=PASSWORD)

    response = client.post(
        f"/inspections/visits/{visit.pk}/complete/",
        {"summary": "运行正常，建议更换 2 号电池组", "config_changed": "on"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert "运行正常，建议更换 2 号电池组" in page and "个检查项未记录结果" in page
    visit.refresh_from_db()
    assert visit.state == VisitState.IN_PROGRESS
