"""Clocks: met, breached when it happens, paused and resumed, re-planned on level change."""

import datetime as dt

import pytest

from weibao.core import clock
from weibao.escalations.runner import tick
from weibao.tickets import services

pytestmark = pytest.mark.django_db


def later(frozen_clock, **delta):
    return frozen_clock(clock.now() + dt.timedelta(**delta))


def test_breach_is_recorded_by_the_runner_at_the_deadline(desk, frozen_clock):
    ticket = desk.open(level="L1")
    later(frozen_clock, minutes=29)
    tick()
    assert ticket.clocks.get(kind="phone_response").state == "running"
    later(frozen_clock, minutes=2)
    counts = tick()
    phone = ticket.clocks.get(kind="phone_response")
    assert counts.breaches == 1
    assert (phone.state, phone.breached_at) == (
        "breached",
        ticket.reported_at + dt.timedelta(minutes=30),
    )
    assert tick().breaches == 0  # a breach is recorded once


def test_meeting_a_clock_in_time(desk, frozen_clock):
    ticket = desk.open(level="L2")
    later(frozen_clock, minutes=20)
    services.respond(ticket, actor=desk.engineer)
    phone = ticket.clocks.get(kind="phone_response")
    assert (phone.state, phone.met_at) == ("met", clock.now())


def test_a_breached_clock_met_late_keeps_its_breach(desk, frozen_clock):
    ticket = desk.open(level="L2")
    later(frozen_clock, hours=3)
    tick()
    services.respond(ticket, actor=desk.engineer)
    phone = ticket.clocks.get(kind="phone_response")
    assert phone.state == "breached"
    assert phone.met_at == clock.now()


def test_pause_and_resume_push_the_deadline_by_the_paused_time(desk, frozen_clock):
    ticket = desk.open(level="L2")
    later(frozen_clock, minutes=30)
    services.pause(ticket, reason="等待客户开门", actor=desk.engineer)
    phone = ticket.clocks.get(kind="phone_response")
    assert (phone.state, phone.due_at) == ("paused", None)
    later(frozen_clock, hours=5)
    assert tick().breaches == 0  # a paused clock does not breach
    services.resume(ticket, actor=desk.engineer)
    phone = ticket.clocks.get(kind="phone_response")
    assert phone.state == "running"
    assert phone.paused_seconds == 5 * 3600
    assert phone.due_at == ticket.reported_at + dt.timedelta(hours=2 + 5)


def test_level_change_mid_flight_replans_clocks_and_ladder(desk, frozen_clock):
    ticket = desk.open(level="L3")
    services.move(ticket, "start_phone", actor=desk.engineer)
    services.record_consent(ticket, by="孔工", method="phone", actor=desk.engineer)
    services.move(ticket, "go_remote", actor=desk.engineer)
    later(frozen_clock, minutes=20)
    tick()  # the L3 step at 15 min fires
    ticket = services.change_level(ticket, level="L2", reason="部分端局中断", actor=desk.agent)

    remote = ticket.clocks.get(kind="remote_response")
    assert remote.budget_minutes == 120  # 表 12 L2 instead of L3's 4 h
    assert remote.due_at == remote.started_at + dt.timedelta(hours=2)
    steps = ticket.escalation_steps.order_by("after_minutes", "id")
    pending = [(s.after_minutes, s.target) for s in steps if s.state == "pending"]
    assert pending == [(45, "emergency_team"), (60, "account_manager")]
    fired = [(s.level, s.after_minutes) for s in steps if s.state == "fired"]
    assert fired == [("L3", 15)]  # the field engineer is not paged twice
    assert ticket.stage == "phone_support" or ticket.stage == "remote_support"


def test_upgrade_to_l1_enters_the_emergency_path(desk):
    ticket = desk.open(level="L2")
    ticket = services.change_level(ticket, level="L1", reason="全部前端不通", actor=desk.agent)
    assert ticket.stage == "emergency"
    assert ticket.emergency_actions.count() == 9
    assert ticket.clocks.get(kind="phone_response").budget_minutes == 30


def test_level_change_needs_a_reason(desk):
    from weibao.core.errors import DomainError

    ticket = desk.open(level="L2")
    with pytest.raises(DomainError) as error:
        services.change_level(ticket, level="L1", reason="", actor=desk.agent)
    assert error.value.field == "reason"


def test_a_clock_closed_unmet_is_never_met_later(desk, frozen_clock):
    from weibao.sla import services as clocks
    from weibao.sla.choices import ClockKind, ClockState

    ticket = desk.open(level="L2")
    later(frozen_clock, minutes=10)
    closed = clocks.close_open_clocks(ticket, at=clock.now())
    assert [c.kind for c in closed] == [ClockKind.PHONE_RESPONSE]
    later(frozen_clock, minutes=5)
    clocks.meet_clock(ticket, ClockKind.PHONE_RESPONSE, at=clock.now())
    phone = ticket.clocks.get(kind=ClockKind.PHONE_RESPONSE)
    assert (phone.state, phone.met_at) == (ClockState.UNMET, None)
    later(frozen_clock, hours=5)
    assert tick().breaches == 0  # a closed clock does not breach either
