"""The queue's urgency key stored on the ticket stays right through every change of its
clocks and ladder: started, met, paused and resumed, breached, the level changed up and down,
resolved, reopened and closed — and a ticket saved from a stale copy does not put back an old
key. "Right" is what the clocks and steps say now, and where the ticket sorts in the queue."""

import datetime as dt

import pytest

from weibao.core import clock
from weibao.escalations.runner import tick
from weibao.sla import urgency
from weibao.tickets import queue, services
from weibao.tickets.models import ResolutionCause, Ticket

pytestmark = pytest.mark.django_db


def later(frozen_clock, **delta):
    return frozen_clock(clock.now() + dt.timedelta(**delta))


def expected(ticket) -> tuple:
    """(next_due, next_step, sort key) computed from the ticket's clocks and steps now."""
    dues = [
        c.due_at for c in ticket.clocks.all() if c.state in ("running", "breached") and c.due_at
    ]
    steps = [
        s.due_at for s in ticket.escalation_steps.all() if not s.fired_at and not s.cancelled_at
    ]
    due, step = min(dues, default=None), min(steps, default=None)
    if due is not None and due < clock.now():
        key = due - urgency.BREACHED_SHIFT
    else:
        key = min(due or urgency.FAR_FUTURE, step or urgency.FAR_FUTURE)
    return due, step, key


def stored(ticket) -> tuple:
    row = queue.with_urgency(Ticket.objects.filter(pk=ticket.pk)).get()
    return row.next_due, row.next_step, row.urgent_at


def test_the_key_follows_met_paused_resumed_and_breached_clocks(desk, frozen_clock):
    ticket = desk.open(level="L2")
    due, step, key = stored(ticket)
    assert (due, step, key) == expected(ticket)
    assert due == ticket.reported_at + dt.timedelta(hours=2)  # 表 11 L2 phone response
    assert key == min(due, step)

    services.pause(ticket, reason="等待客户开门", actor=desk.engineer)
    assert stored(ticket) == expected(ticket)
    assert stored(ticket)[0] is None  # a paused clock has no deadline
    later(frozen_clock, hours=1)
    services.resume(ticket, actor=desk.engineer)
    assert stored(ticket) == expected(ticket)
    assert stored(ticket)[0] == due + dt.timedelta(hours=1)  # pushed by the paused hour

    later(frozen_clock, hours=3)  # the deadline passes; before the runner records it …
    assert stored(ticket) == expected(ticket)
    assert stored(ticket)[2] < urgency.BREACHED_BEFORE  # … the queue already sorts it breached
    assert tick().breaches == 1
    row = Ticket.objects.get(pk=ticket.pk)
    assert row.urgency_at == row.next_due - urgency.BREACHED_SHIFT  # stored as a breach
    assert stored(ticket) == expected(ticket)

    services.respond(ticket, actor=desk.engineer)  # met late: the breach stays
    assert stored(ticket) == expected(ticket)
    assert stored(ticket)[2] < urgency.BREACHED_BEFORE


def test_meeting_the_clock_leaves_the_next_ladder_step_as_the_deadline(desk, frozen_clock):
    ticket = desk.open(level="L3")
    later(frozen_clock, minutes=10)
    services.move(ticket, "start_phone", actor=desk.engineer)  # the phone response is met
    due, step, key = stored(ticket)
    assert (due, step, key) == expected(ticket)
    assert (due, key) == (None, step)
    later(frozen_clock, minutes=10)
    assert tick().steps == 1  # the L3 step at 15 minutes fires: the next one is the key
    assert stored(ticket) == expected(ticket)
    assert stored(ticket)[1] > step


def test_a_level_change_either_way_moves_the_ticket_in_the_queue(desk, frozen_clock):
    calm = desk.open(level="L3")
    ticket = desk.open(level="L3", contact_phone="13900000003")
    later(frozen_clock, minutes=1)
    agent = desk.agent

    def order():
        page = queue.page(Ticket.objects.open(), "urgency")
        return [t.pk for t in page.rows]

    assert order() == [calm.pk, ticket.pk]  # the same deadlines: the older report first
    ticket = services.change_level(ticket, level="L1", reason="全部前端不通", actor=agent)
    assert stored(ticket) == expected(ticket)
    assert order() == [ticket.pk, calm.pk]
    ticket = services.change_level(ticket, level="L3", reason="仅个别画面", actor=agent)
    assert stored(ticket) == expected(ticket)
    assert Ticket.objects.get(pk=ticket.pk).level_rank == 3
    assert order() == [calm.pk, ticket.pk]


def test_resolved_reopened_and_closed_tickets_keep_a_true_key(desk, frozen_clock):
    cause = ResolutionCause.objects.get(code="software_fault")
    ticket = desk.open(level="L2")
    services.move(ticket, "start_phone", actor=desk.engineer)
    later(frozen_clock, minutes=30)
    services.resolve(ticket, cause=cause, fix="远程重启", actor=desk.engineer)
    assert stored(ticket) == expected(ticket) == (None, None, urgency.FAR_FUTURE)
    assert not queue.page(Ticket.objects.open(), "urgency").rows  # left the open queue

    services.record_callback(ticket, satisfied=False, note="仍无图像", score=2, actor=desk.agent)
    ticket.refresh_from_db()
    assert ticket.is_open  # reopened: the ladder runs again
    assert stored(ticket) == expected(ticket)
    assert stored(ticket)[1] is not None
    assert queue.page(Ticket.objects.open(), "urgency").rows == [ticket]

    services.resolve(ticket, cause=cause, fix="更换模块", actor=desk.engineer)
    services.record_callback(ticket, satisfied=True, score=5, actor=desk.agent)
    ticket.refresh_from_db()
    assert ticket.stage == "closed"
    assert stored(ticket) == expected(ticket) == (None, None, urgency.FAR_FUTURE)


def test_saving_a_stale_copy_does_not_put_back_an_old_key(desk, frozen_clock):
    ticket = desk.open(level="L2")
    stale = Ticket.objects.get(pk=ticket.pk)
    services.pause(ticket, reason="等待客户开门", actor=desk.engineer)
    stale.contact_name = "孙值班员"
    stale.save()
    assert stored(ticket) == expected(ticket)
    assert Ticket.objects.get(pk=ticket.pk).contact_name == "孙值班员"
