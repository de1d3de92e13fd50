"""Starting the L1 emergency path tells the right people once: the 15-minute L1 notice to the
centre's head and the maintenance manager, each action's owner (or the next role up, ESC-1);
and replanning a ladder never stops an open fault from escalating (ESC-4)."""

import datetime as dt

import pytest

from weibao.accounts.models import RoleAssignment
from weibao.escalations.choices import StepKind
from weibao.escalations.runner import tick
from weibao.escalations.selectors import redirects_for
from weibao.notifications.choices import NotificationKind
from weibao.notifications.models import Notification
from weibao.tickets import services
from weibao.tickets.models import ResolutionCause

pytestmark = pytest.mark.django_db


def at(frozen_clock, ticket, minutes):
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=minutes))


def l1_notices(ticket):
    return Notification.objects.filter(kind=NotificationKind.L1_NOTICE, ref_id=str(ticket.pk))


def pending_repeats(ticket):
    return ticket.escalation_steps.filter(
        kind=StepKind.CONTINUED, fired_at__isnull=True, cancelled_at__isnull=True
    )


def test_an_l1_ticket_sends_exactly_one_l1_notice(desk, frozen_clock):
    # given a fault judged L1 when it is taken
    ticket = desk.open(level="L1")
    # then the centre's head and the maintenance manager are told once each
    rows = l1_notices(ticket)
    assert {n.recipient for n in rows} == {desk.head, desk.manager}
    assert len({n.dedupe_key for n in rows}) == 2  # one notice per role
    per_address = [(n.recipient_id, n.channel, n.address) for n in rows]
    assert len(per_address) == len(set(per_address))
    count = rows.count()
    # when the runner runs through the emergency's deadlines, nothing sends it again
    for minutes in (1, 15, 16, 121):
        at(frozen_clock, ticket, minutes)
        tick(deliver=False)
    assert l1_notices(ticket).count() == count


def test_upgrading_to_l1_sends_the_l1_notice_once(desk, frozen_clock):
    ticket = desk.open(level="L2")
    assert not l1_notices(ticket).exists()
    at(frozen_clock, ticket, 20)
    services.change_level(ticket, level="L1", reason="全网中断", actor=desk.manager)
    rows = l1_notices(ticket)
    assert {n.recipient for n in rows} == {desk.head, desk.manager}
    assert len({n.dedupe_key for n in rows}) == 2
    at(frozen_clock, ticket, 40)
    tick(deliver=False)
    assert l1_notices(ticket).count() == rows.count()


def test_an_action_whose_owner_role_is_empty_is_assigned_up_the_ladder(desk):
    # given nobody holds the subcenter expert role ("expert_remote", 1 hour)
    RoleAssignment.objects.filter(user=desk.expert).delete()
    ticket = desk.open(level="L1")
    # then its assignment goes to the maintenance manager, and the ticket says so
    assigned = Notification.objects.filter(
        kind=NotificationKind.EMERGENCY_ACTION,
        dedupe_key=f"ticket:{ticket.pk}:action:expert_remote:assigned",
    )
    assert {n.recipient for n in assigned} == {desk.manager}
    redirects = [r for r in redirects_for(ticket) if r.asked == "subcenter_expert"]
    assert [r.reached for r in redirects] == ["maintenance_manager"]


def test_reachable_owners_get_their_own_assignment(desk):
    ticket = desk.open(level="L1")
    assigned = Notification.objects.filter(
        kind=NotificationKind.EMERGENCY_ACTION,
        dedupe_key=f"ticket:{ticket.pk}:action:form_emergency_team:assigned",
    )
    assert {n.recipient for n in assigned} == {desk.office}
    assert not [r for r in redirects_for(ticket) if r.asked == "service_office_manager"]


def test_a_level_change_after_the_whole_ladder_keeps_repeating(desk, frozen_clock):
    # given an L3 fault (four-level contract) whose ladder fired completely at 60 minutes
    desk.contract.policy.level_scheme = 4
    desk.contract.policy.save()
    ticket = desk.open(level="L3")
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    assert pending_repeats(ticket).count() == 2
    # when it is downgraded to L4, whose only step (15 min) already fired
    at(frozen_clock, ticket, 70)
    services.change_level(ticket, level="L4", reason="影响范围小", actor=desk.manager)
    # then the repeats go on, from the change
    planned = {(s.target, s.after_minutes) for s in pending_repeats(ticket)}
    assert planned == {("maintenance_manager", 70 + 240), ("service_center_gm", 70 + 1440)}


def test_a_reopened_fault_whose_ladder_fired_keeps_repeating(desk, frozen_clock):
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    at(frozen_clock, ticket, 60)
    tick(deliver=False)
    services.resolve(ticket, cause=ResolutionCause.objects.get(code="power"), fix="恢复供电",
                     actor=desk.engineer)  # fmt: skip
    assert not pending_repeats(ticket).exists()
    at(frozen_clock, ticket, 90)
    services.move(ticket, "reopen", actor=desk.agent, note="又中断了")
    planned = {(s.target, s.after_minutes) for s in pending_repeats(ticket)}
    assert planned == {("maintenance_manager", 90 + 240), ("service_center_gm", 90 + 1440)}
