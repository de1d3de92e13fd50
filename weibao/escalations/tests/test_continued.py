"""ESC-4: a fault still open after the last ladder step keeps escalating on the contract's
cadence (default every 4 hours to the maintenance manager, daily to the general manager)
until it is resolved — each repeat sent once, however often the runner runs."""

import datetime as dt

import pytest

from weibao.escalations.choices import EscalationEvent, StepKind
from weibao.escalations.runner import tick
from weibao.notifications.models import Notification
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db


def at(frozen_clock, ticket, minutes):
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=minutes))


def repeats(ticket):
    return ticket.escalation_steps.filter(kind=StepKind.CONTINUED)


def told(step):
    return {n.recipient for n in Notification.objects.filter(dedupe_key=f"step:{step.pk}")}


def test_open_fault_repeats_every_4_hours_to_the_manager_and_daily_to_the_gm(desk, frozen_clock):
    # given an L2 fault whose ladder ends at 60 minutes (account manager)
    ticket = desk.open(level="L2")
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    # then the repeats are planned from the last step
    planned = {(s.target, s.after_minutes) for s in repeats(ticket)}
    assert planned == {("maintenance_manager", 60 + 240), ("service_center_gm", 60 + 1440)}

    expected = [  # (minutes, who hears at that moment)
        (300, {desk.manager}), (540, {desk.manager}), (780, {desk.manager}),
        (1020, {desk.manager}), (1260, {desk.manager}), (1500, {desk.manager, desk.gm}),
    ]  # fmt: skip
    for minutes, people in expected:
        at(frozen_clock, ticket, minutes)
        tick(deliver=False)
        assert tick(deliver=False).steps == 0  # twice fires nothing more
        fired = repeats(ticket).filter(fired_at__isnull=False, after_minutes=minutes)
        assert set().union(*(told(s) for s in fired)) == people
    assert repeats(ticket).filter(fired_at__isnull=True).count() == 2  # the next two
    events = ticket_events(ticket, EscalationEvent.CONTINUED)
    assert len(events) == 7 and "仍未解决" in events[0]


def ticket_events(ticket, kind):
    from weibao.core.selectors import history_for

    return [e.message for e in history_for(ticket) if e.kind == kind]


def test_resolving_stops_the_repeats(desk, frozen_clock):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    services.resolve(ticket, cause=ResolutionCause.objects.get(code="power"), fix="恢复供电",
                     actor=desk.engineer)  # fmt: skip
    at(frozen_clock, ticket, 3000)
    assert tick(deliver=False).steps == 0
    assert not repeats(ticket).filter(fired_at__isnull=False).exists()


def test_the_contract_sets_the_cadence(desk, frozen_clock):
    desk.contract.policy.continued_escalation_manager_minutes = 60
    desk.contract.policy.continued_escalation_gm_minutes = 180
    desk.contract.policy.save()
    ticket = desk.open(level="L2")
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    planned = {(s.target, s.after_minutes, s.repeat_minutes) for s in repeats(ticket)}
    assert planned == {("maintenance_manager", 120, 60), ("service_center_gm", 240, 180)}


def test_a_runner_down_for_a_day_sends_one_reminder_not_six(desk, frozen_clock):
    ticket = desk.open(level="L2")
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    at(frozen_clock, ticket, 60 + 24 * 60 + 10)  # a day later
    tick(deliver=False)
    fired = repeats(ticket).filter(fired_at__isnull=False, target="maintenance_manager")
    assert fired.count() == 1
    [next_one] = repeats(ticket).filter(fired_at__isnull=True, target="maintenance_manager")
    assert next_one.due_at > ticket.reported_at + dt.timedelta(minutes=60 + 24 * 60 + 10)
