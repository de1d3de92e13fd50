"""The support flow (TKT-2): allowed moves, coded refusals, events with actor/time/note."""

import pytest

from weibao.contracts.policy import default_policy
from weibao.contracts.services import write_policy
from weibao.core.errors import DomainError
from weibao.core.models import ChangeLog
from weibao.core.workflow import MoveRefused
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db


def resolve(ticket, actor):
    cause = ResolutionCause.objects.get(code="software_fault")
    return services.resolve(ticket, cause=cause, fix="重启采集服务", actor=actor)


def test_phone_then_remote_needs_recorded_consent(desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    with pytest.raises(MoveRefused) as error:
        services.move(ticket, "go_remote", actor=desk.engineer)
    assert error.value.code == "consent_required"
    ticket.refresh_from_db()
    assert ticket.stage == "phone_support"

    services.record_consent(ticket, by="孔工", method="phone", actor=desk.engineer)
    ticket = services.move(ticket, "go_remote", actor=desk.engineer, note="登录服务器排查")
    assert ticket.stage == "remote_support"
    assert ticket.clocks.get(kind="remote_response").state == "running"


def test_move_from_the_wrong_stage_is_refused_with_a_code(desk):
    ticket = desk.open(level="L2")
    with pytest.raises(MoveRefused) as error:
        services.move(ticket, "expert_onsite", actor=desk.engineer)
    assert (error.value.code, error.value.status) == ("wrong_state", 409)


def test_l3_onsite_only_when_the_contract_allows(desk):
    policy = default_policy()
    write_policy(desk.contract, type(policy)(**{**policy.__dict__, "onsite_for_l3": False}))
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    with pytest.raises(MoveRefused) as error:
        services.move(ticket, "go_onsite", actor=desk.engineer)
    assert error.value.code == "onsite_not_covered"


def test_onsite_starts_response_and_arrival_clocks_from_the_customers_confirmation(desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    ticket = services.move(ticket, "go_onsite", actor=desk.engineer)
    clocks = {c.kind: c for c in ticket.clocks.all()}
    assert clocks["onsite_response"].budget_minutes == 12 * 60
    # 30 km → 5 h by 表 14; the later of 12 h and 5 h binds
    assert clocks["onsite_arrival"].budget_minutes == 12 * 60
    assert clocks["onsite_arrival"].started_at == ticket.onsite_confirmed_at


def test_every_move_is_an_event_with_actor_and_note(desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer, note="已回电")
    event = ChangeLog.objects.filter(kind="ticket.stage").latest("id")
    assert event.actor == desk.engineer
    assert event.changes["verb"] == "start_phone"
    assert event.changes["note"] == "已回电"
    assert "已受理 → 电话支持" in event.message


def test_close_needs_a_satisfied_callback_and_unsatisfied_reopens(desk):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    resolve(ticket, desk.engineer)
    with pytest.raises(MoveRefused) as error:
        services.move(ticket, "close", actor=desk.agent)
    assert error.value.code == "callback_required"

    services.record_callback(ticket, satisfied=False, score=2, note="仍有端局无数据",
                             actor=desk.agent)  # fmt: skip
    ticket.refresh_from_db()
    assert (ticket.stage, ticket.reopen_count) == ("phone_support", 1)

    resolve(ticket, desk.engineer)
    services.record_callback(ticket, satisfied=True, score=5, actor=desk.agent)
    ticket.refresh_from_db()
    assert ticket.stage == "closed"
    assert ticket.closed_at is not None


def test_l1_cannot_close_before_aftercare_is_done_or_waived(desk):
    from weibao.escalations import services as escalations

    ticket = desk.open(level="L1")
    resolve(ticket, desk.engineer)
    services.record_callback(ticket, satisfied=True, score=4, actor=desk.agent)
    ticket.refresh_from_db()
    assert ticket.stage == "resolved"  # callback recorded, but aftercare stands in the way
    with pytest.raises(MoveRefused) as error:
        services.move(ticket, "close", actor=desk.agent)
    assert error.value.code == "aftercare_pending"

    escalations.complete_action(ticket, "onsite_observation", actor=desk.engineer, note="2 天")
    escalations.complete_action(ticket, "signed_service_report", actor=desk.engineer)
    escalations.complete_action(ticket, "root_cause_analysis", actor=desk.agent)
    with pytest.raises(DomainError):
        escalations.waive_action(ticket, "leadership_debrief", actor=desk.manager, reason=" ")
    escalations.waive_action(ticket, "leadership_debrief", actor=desk.manager,
                             reason="客户领导书面确认无需汇报")  # fmt: skip
    ticket = services.move(ticket, "close", actor=desk.agent)
    assert ticket.stage == "closed"


def test_refused_move_answers_400_with_its_code_in_the_api(api, desk):
    ticket = desk.open(level="L2")
    api.force_authenticate(desk.engineer)
    api.post(f"/api/tickets/{ticket.pk}/move/", {"action": "start_phone"}, format="json")
    response = api.post(f"/api/tickets/{ticket.pk}/move/", {"action": "go_remote"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "consent_required"
    response = api.post(
        f"/api/tickets/{ticket.pk}/consent/", {"by": "孔工", "method": "phone"}, format="json"
    )
    assert response.json()["remote_consent_by"] == "孔工"
    response = api.post(f"/api/tickets/{ticket.pk}/move/", {"action": "go_remote"}, format="json")
    assert response.status_code == 200
    assert response.json()["stage"] == "remote_support"
