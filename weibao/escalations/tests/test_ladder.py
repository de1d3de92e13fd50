"""ESC-1: the ladder fires each step once, to the people holding the role for the customer."""

import datetime as dt

import pytest

from weibao.core import clock
from weibao.escalations.runner import tick
from weibao.notifications.models import Notification
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db


def at(frozen_clock, ticket, minutes):
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=minutes))


def test_l1_ladder_reaches_each_role_at_15_30_45_60_minutes_once(desk, frozen_clock):
    ticket = desk.open(level="L1")
    expected = {15: [desk.engineer], 30: desk.team, 45: [desk.account], 60: [desk.gm]}
    for minutes, people in expected.items():
        at(frozen_clock, ticket, minutes)
        assert tick(deliver=False).steps == 1
        assert tick(deliver=False).steps == 0  # running the tick twice fires nothing more
        step = ticket.escalation_steps.get(after_minutes=minutes)
        assert step.fired_at == clock.now()
        mails = Notification.objects.filter(dedupe_key=f"step:{step.pk}")
        assert {n.recipient for n in mails} == set(people)


def test_acknowledging_does_not_stop_the_ladder_but_resolving_does(desk, frozen_clock):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    at(frozen_clock, ticket, 16)
    assert tick(deliver=False).steps == 1
    services.resolve(ticket, cause=ResolutionCause.objects.get(code="power"), fix="恢复供电",
                     actor=desk.engineer)  # fmt: skip
    at(frozen_clock, ticket, 120)
    assert tick(deliver=False).steps == 0
    assert ticket.escalation_steps.filter(cancelled_at__isnull=False).count() == 2


def test_assigned_engineer_gets_the_field_engineer_step(desk, frozen_clock):
    from weibao.accounts.choices import Role
    from weibao.fieldservice.services import visits
    from weibao.testing import factories as f

    other = f.UserFactory(email="li@example.cn", provider=desk.engineer.provider,
                          roles=[Role.ENGINEER])  # fmt: skip
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.agent)
    services.move(ticket, "go_onsite", actor=desk.agent)
    visits.dispatch(ticket, engineer=other, actor=desk.manager)  # the one dispatch path
    at(frozen_clock, ticket, 15)
    tick(deliver=False)
    step = ticket.escalation_steps.get(after_minutes=15)
    assert [n.recipient for n in Notification.objects.filter(dedupe_key=f"step:{step.pk}")] == [
        other
    ]


def test_overdue_emergency_action_tells_its_owner_and_the_manager(desk, frozen_clock):
    ticket = desk.open(level="L1")
    from weibao.escalations.services import complete_action

    complete_action(ticket, "notify_leadership", actor=desk.agent)
    at(frozen_clock, ticket, 31)
    counts = tick(deliver=False)
    assert counts.actions == 2  # dispatch (immediate) and the emergency team (30 min)
    overdue = ticket.emergency_actions.filter(overdue_at__isnull=False)
    assert set(overdue.values_list("code", flat=True)) == {
        "dispatch_engineer",
        "form_emergency_team",
    }
    team_action = overdue.get(code="form_emergency_team")
    notified = Notification.objects.filter(dedupe_key=f"action:{team_action.pk}:overdue")
    assert {n.recipient for n in notified} == {desk.office, desk.manager}


def test_emergency_actions_are_assigned_to_their_owners_when_l1_opens(desk):
    ticket = desk.open(level="L1")
    action = ticket.emergency_actions.get(code="expert_remote")
    assigned = Notification.objects.filter(
        dedupe_key=f"ticket:{ticket.pk}:action:expert_remote:assigned"
    )
    assert [n.recipient for n in assigned] == [desk.expert]
    assert action.due_at == ticket.reported_at + dt.timedelta(hours=1)
