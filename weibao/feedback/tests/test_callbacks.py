"""Callback and satisfaction (OTH-6): the agent's callback, the customer's portal survey; not
satisfied reopens the ticket with the reason, satisfied closes it."""

import datetime as dt

import pytest

from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.feedback import selectors, services
from weibao.feedback.choices import CallbackMethod
from weibao.notifications.models import Notification
from weibao.tickets.choices import Stage
from weibao.tickets.models import ResolutionCause, Ticket

pytestmark = pytest.mark.django_db


def test_unsatisfied_survey_reopens_the_ticket_with_the_reason(resolved, client_user, desk):
    services.answer_survey(
        resolved, score=4, satisfied=False, comment="数据又不刷新了", actor=client_user
    )

    ticket = Ticket.objects.get(pk=resolved.pk)
    assert ticket.stage == Stage.PHONE and ticket.reopen_count == 1
    reopen = next(e for e in history_for(ticket) if e.changes.get("verb") == "reopen")
    assert "数据又不刷新了" in reopen.message and reopen.actor == client_user
    assert Notification.objects.filter(recipient=desk.account, kind="callback_unsatisfied")


def test_satisfied_with_a_score_of_two_is_refused_at_the_score(resolved, client_user):
    with pytest.raises(DomainError) as refused:
        services.answer_survey(resolved, score=2, comment="响应太慢", actor=client_user)
    assert (refused.value.code, refused.value.field) == ("score_contradicts_satisfied", "score")
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED
    record = services.answer_survey(
        resolved, score=2, satisfied=False, comment="响应太慢", actor=client_user
    )
    assert record.callback.satisfied is False and record.callback.score == 2
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.PHONE


def test_satisfied_survey_closes_the_ticket(resolved, client_user):
    record = services.answer_survey(resolved, score=5, comment="很好", actor=client_user)

    ticket = Ticket.objects.get(pk=resolved.pk)
    assert ticket.stage == Stage.CLOSED and ticket.closed_at is not None
    assert record.method == CallbackMethod.PORTAL_SURVEY and record.respondent == "钱值班员"
    assert record.callback.by == client_user and record.callback.score == 5


def test_unsatisfied_survey_asks_for_the_reason(resolved, client_user):
    with pytest.raises(DomainError) as refused:
        services.answer_survey(resolved, score=1, satisfied=False, actor=client_user)
    assert refused.value.field == "comment"
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED


def test_only_the_tickets_customer_answers_once(resolved, client_user, world, desk):
    with pytest.raises(DomainError):
        services.answer_survey(resolved, score=5, actor=world.user_b)
    with pytest.raises(DomainError):
        services.answer_survey(resolved, score=5, actor=desk.agent)
    with pytest.raises(DomainError) as refused:
        services.answer_survey(resolved, score=9, actor=client_user)
    assert refused.value.field == "score"


def test_survey_waits_until_answered_and_again_after_the_next_resolution(
    resolved, client_user, desk, frozen_clock
):
    from weibao.core import clock
    from weibao.tickets import services as tickets

    assert list(selectors.awaiting_feedback(client_user)) == [resolved]
    services.answer_survey(resolved, score=3, satisfied=False, comment="没修好", actor=client_user)
    assert list(selectors.awaiting_feedback(client_user)) == []
    frozen_clock(clock.now() + dt.timedelta(hours=2))
    cause = ResolutionCause.objects.get(code="equipment_fault")
    tickets.resolve(resolved, cause=cause, fix="更换采集模块", actor=desk.engineer)
    assert list(selectors.awaiting_feedback(client_user)) == [resolved]


def test_agent_callback_records_method_and_respondent_and_closes(resolved, desk):
    record = services.record_agent_callback(
        resolved, method=CallbackMethod.PHONE, respondent="孔工", satisfied=True, score=5,
        note="客户确认恢复", actor=desk.agent,
    )  # fmt: skip
    assert (record.method, record.respondent, record.callback.by) == ("phone", "孔工", desk.agent)
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.CLOSED


def test_agent_low_score_contradicting_satisfied_is_refused_then_reopens(resolved, desk):
    with pytest.raises(DomainError) as refused:
        services.record_agent_callback(resolved, method="phone", respondent="孔工",
                                       satisfied=True, score=2, actor=desk.agent)  # fmt: skip
    assert (refused.value.code, refused.value.field) == ("score_contradicts_satisfied", "score")
    with pytest.raises(DomainError) as refused:
        services.record_agent_callback(resolved, method="phone", respondent="孔工",
                                       satisfied=False, score=2, actor=desk.agent)  # fmt: skip
    assert refused.value.field == "note"
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.RESOLVED
    services.record_agent_callback(resolved, method="phone", respondent="孔工", satisfied=False,
                                   score=2, note="等待时间太长", actor=desk.agent)  # fmt: skip
    assert Ticket.objects.get(pk=resolved.pk).stage == Stage.PHONE


def test_the_agent_cannot_record_a_portal_survey(resolved, desk):
    with pytest.raises(DomainError) as refused:
        services.record_agent_callback(resolved, method="portal_survey", respondent="x",
                                       satisfied=True, score=5, actor=desk.agent)  # fmt: skip
    assert refused.value.field == "method"
