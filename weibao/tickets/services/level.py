"""A ticket's fault level (FLT-4, ESC-2): change it while open, enter and leave the L1
emergency path, and correct it after resolution for reporting (reclassify)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.escalations import services as escalations
from weibao.sla import services as clocks
from weibao.sla import urgency
from weibao.sla.choices import ClockKind
from weibao.sla.models import Clock
from weibao.tickets.choices import Level, RequestType, Stage, TicketEvent
from weibao.tickets.flow import TICKET_FLOW
from weibao.tickets.models import Ticket

DOWNGRADE_REASON = "降级"


# The clocks the L1 path starts from the customer's confirmation of on-site work.
ONSITE_CLOCKS = (ClockKind.ONSITE_RESPONSE, ClockKind.ONSITE_ARRIVAL)
_JUDGED_FIELDS = ["stage", "judged_l1_at", "onsite_confirmed_at"]


def judge_l1(ticket: Ticket, *, at: dt.datetime) -> None:
    """Set the L1 path's fields from the moment of judgement `at` (§1.1.7.2), unsaved: the
    emergency stage, and on-site work confirmed (by the customer earlier, or now: the manager
    dispatches an engineer immediately)."""
    ticket.stage = Stage.EMERGENCY
    ticket.judged_l1_at = at
    ticket.onsite_confirmed_at = ticket.onsite_confirmed_at or clock.now()


def enter_emergency(ticket: Ticket, *, at: dt.datetime) -> None:
    """The L1 path from the moment of judgement `at`: the fields of `judge_l1`, the five
    actions due from `at`, and the on-site clocks from the on-site confirmation."""
    judge_l1(ticket, at=at)
    ticket.save(update_fields=_JUDGED_FIELDS)
    escalations.start_emergency_actions(ticket, at=at)
    for kind in ONSITE_CLOCKS:
        clocks.start_clock(ticket, kind, at=ticket.onsite_confirmed_at)


def start_new_emergencies(tickets: list[Ticket]) -> list[tuple[Ticket, str, dt.datetime]]:
    """The L1 path of tickets opened at L1 in this transaction, written with `judge_l1`'s
    fields: their actions (none exist yet). Returns the on-site clocks to start, for the
    caller's one INSERT of every new clock (`sla.services.start_new_clocks`)."""
    starts = []
    for ticket in tickets:
        escalations.start_emergency_actions(ticket, at=ticket.judged_l1_at, new=True)
        starts += [(ticket, kind, ticket.onsite_confirmed_at) for kind in ONSITE_CLOCKS]
    return starts


def _matching_stage(ticket: Ticket) -> str:
    """Where a downgraded ticket continues in the normal flow: on site when on-site work was
    confirmed and the new level gets it, remote when a remote session was under way, else
    phone support."""
    onsite_rule = TICKET_FLOW["go_onsite"].guard
    if ticket.onsite_confirmed_at is not None and onsite_rule(ticket, None) is None:
        return Stage.ONSITE
    if Clock.objects.filter(ticket=ticket, kind=ClockKind.REMOTE_RESPONSE).exists():
        return Stage.REMOTE
    return Stage.PHONE


def _leave_emergency(ticket: Ticket, *, at: dt.datetime, actor) -> None:
    if ticket.stage == Stage.EMERGENCY:
        ticket.stage = _matching_stage(ticket)
        ticket.save(update_fields=["stage"])
    escalations.stand_down_emergency(ticket, reason=DOWNGRADE_REASON, actor=actor)
    record_event(ticket, kind=TicketEvent.EMERGENCY_LEFT, actor=actor,
                 message=event_text(
                     "降级，退出一级故障应急，转入%(stage)s；未完成的应急行动和善后已免除（降级）",
                     stage=Stage(ticket.stage)),
                 data={"target": ticket.stage, "at": at.isoformat()})  # fmt: skip


def _checked_level(ticket: Ticket, level: str) -> None:
    if ticket.request_type != RequestType.FAULT:
        raise DomainError(_("只有故障工单有故障级别。"), code="not_a_fault", field="level")
    if level not in Level.values or (level == Level.L4 and ticket.frozen_policy.level_scheme != 4):
        raise DomainError(_("无效的故障级别。"), field="level")


@transaction.atomic
def change_level(ticket: Ticket, *, level: str, reason: str, actor) -> Ticket:
    """Upgrade or downgrade an open fault (FLT-4), with who and why: running clocks and the
    ladder re-plan. An upgrade to L1 enters the emergency path from this moment; a downgrade
    from L1 leaves it for the normal flow, standing down pending actions and aftercare.
    `actor=None` is the system (an alarm incident that grew), not checked."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if actor is not None:  # None is the system (an alarm incident that grew)
        permissions.require(actor, Capability.TICKET_CLASSIFY, customer_id=ticket.customer_id)
    if not ticket.is_open:
        raise DomainError(_("已解决或已关闭的工单不能调整级别；请使用“更正级别”。"),
                          code="ticket_not_open")  # fmt: skip
    _checked_level(ticket, level)
    if not reason.strip():
        raise DomainError(_("调整级别必须说明原因。"), code="reason_required", field="reason")
    if level == ticket.level:
        raise DomainError(_("级别没有变化。"), code="level_unchanged", field="level")
    now = clock.now()
    previous = ticket.level
    ticket.level = level
    ticket.save(update_fields=["level"])
    with urgency.deferred():  # the queue key once, after every clock and step moved
        _replan(ticket, previous=previous, level=level, reason=reason, actor=actor, now=now)
    return ticket


def _replan(ticket: Ticket, *, previous: str, level: str, reason: str, actor, now) -> None:
    """The clocks, the ladder and the emergency path follow a level change made `now`."""
    clocks.replan_clocks(ticket)
    escalations.replan_ladder(ticket, at=now)
    record_event(ticket, kind=TicketEvent.LEVEL, actor=actor,
                 message=event_text("故障级别 %(old)s → %(new)s，原因：%(reason)s",
                                    old=Level(previous) if previous else "—",
                                    new=Level(level), reason=reason),
                 data={"source": previous, "target": level, "reason": reason})  # fmt: skip
    if level == Level.L1 and ticket.stage != Stage.EMERGENCY:
        enter_emergency(ticket, at=now)
        record_event(ticket, kind=TicketEvent.EMERGENCY_ENTERED, actor=actor,
                     message=event_text(
                         "升级为一级故障，启动应急流程；应急行动自 %(at)s 起计",
                         at=now),
                     data={"verb": "declare_emergency", "target": Stage.EMERGENCY})  # fmt: skip
    elif previous == Level.L1:
        _leave_emergency(ticket, at=now, actor=actor)


@transaction.atomic
def reclassify(ticket: Ticket, *, level: str, reason: str, actor) -> Ticket:
    """Correct the level of a resolved or closed ticket for reporting, with a reason. Its
    clocks, ladder and actions stay as they were: they record what was promised then."""
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    permissions.require(actor, Capability.TICKET_CLASSIFY, customer_id=ticket.customer_id)
    if ticket.is_open:
        raise DomainError(_("处理中的工单请使用“调整故障级别”。"), code="ticket_open")
    _checked_level(ticket, level)
    if not reason.strip():
        raise DomainError(_("更正级别必须说明原因。"), code="reason_required", field="reason")
    if level == ticket.level:
        raise DomainError(_("级别没有变化。"), code="level_unchanged", field="level")
    previous = ticket.level
    ticket.level = level
    ticket.save(update_fields=["level"])
    record_event(ticket, kind=TicketEvent.RECLASSIFIED, actor=actor,
                 message=event_text(
                     "更正级别 %(old)s → %(new)s（不影响时钟），原因：%(reason)s",
                     old=Level(previous) if previous else "—", new=Level(level), reason=reason),
                 data={"source": previous, "target": level, "reason": reason})  # fmt: skip
    return ticket
