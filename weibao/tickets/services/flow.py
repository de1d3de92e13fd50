"""Moving a ticket through the support flow, changing its level, and the actions that meet
its clocks. Each runs in one transaction, writes an event (actor, time, note) and leaves the
clocks and the ladder consistent with the ticket."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.escalations import services as escalations
from weibao.sla import engine
from weibao.sla import services as clocks
from weibao.sla.models import Clock
from weibao.tickets import flow
from weibao.tickets.choices import ConsentMethod, Level, Stage
from weibao.tickets.models import Ticket, TicketCallback
from weibao.tickets.services.intake import _enter_emergency


def _locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


def _event(ticket, *, actor, kind: str, message: str, **data) -> None:
    record_event(ticket, kind=kind, actor=actor, message=message, data=data)


@transaction.atomic
def move(ticket: Ticket, verb: str, *, actor, note: str = "") -> Ticket:
    """Make the move `verb` of the flow table, or raise `MoveRefused` with its code."""
    ticket = _locked(ticket)
    spec = flow.check(ticket, verb)
    if spec.needs_note and not note.strip():
        raise DomainError(_("请填写原因。"), code="note_required", field="note")
    now = clock.now()
    source = ticket.stage
    if verb == "declare_emergency":
        _enter_emergency(ticket, at=now)
    else:
        ticket.stage = spec.target
        ticket.save(update_fields=["stage"])
    if verb == "start_phone":
        clocks.meet_clock(ticket, engine.PHONE_RESPONSE, at=now)
    elif verb == "go_remote":
        clocks.start_clock(ticket, engine.REMOTE_RESPONSE, at=now)
    elif verb == "go_onsite":
        ticket.onsite_confirmed_at = now
        ticket.save(update_fields=["onsite_confirmed_at"])
        clocks.start_clock(ticket, engine.ONSITE_RESPONSE, at=now)
        clocks.start_clock(ticket, engine.ONSITE_ARRIVAL, at=now)
    elif verb == "resolve":
        ticket.resolved_at = now
        ticket.save(update_fields=["resolved_at"])
        escalations.cancel_ladder(ticket, at=now)
        for kind in Clock.objects.filter(ticket=ticket, met_at__isnull=True).values_list(
            "kind", flat=True
        ):
            clocks.meet_clock(ticket, kind, at=now)
    elif verb == "reopen":
        ticket.resolved_at = None
        ticket.reopen_count += 1
        ticket.save(update_fields=["resolved_at", "reopen_count"])
        escalations.plan_ladder(ticket)
    elif verb == "close":
        ticket.closed_at = now
        ticket.save(update_fields=["closed_at"])
    _event(ticket, actor=actor, kind="ticket.stage",
           message=f"{spec.label}：{Stage(source).label} → {Stage(ticket.stage).label}"
           + (f"。{note}" if note else ""),
           verb=verb, source=source, target=ticket.stage, note=note)  # fmt: skip
    return ticket


@transaction.atomic
def change_level(ticket: Ticket, *, level: str, reason: str, actor) -> Ticket:
    """Upgrade or downgrade a fault (FLT-4): recorded with who and why; every running clock and
    the ladder are re-planned; an upgrade to L1 enters the emergency path."""
    ticket = _locked(ticket)
    if not ticket.is_open:
        raise DomainError(_("已解决或已关闭的工单不能调整级别。"), code="ticket_not_open")
    if level not in Level.values or (level == Level.L4 and ticket.frozen_policy.level_scheme != 4):
        raise DomainError(_("无效的故障级别。"), field="level")
    if not reason.strip():
        raise DomainError(_("调整级别必须说明原因。"), code="reason_required", field="reason")
    if level == ticket.level:
        raise DomainError(_("级别没有变化。"), code="level_unchanged", field="level")
    previous = ticket.level
    ticket.level = level
    ticket.save(update_fields=["level"])
    clocks.replan_clocks(ticket)
    escalations.replan_ladder(ticket, at=clock.now())
    _event(ticket, actor=actor, kind="ticket.level",
           message=_("故障级别 %(old)s → %(new)s，原因：%(reason)s")
           % {"old": previous or "—", "new": level, "reason": reason},
           source=previous, target=level, reason=reason)  # fmt: skip
    if level == Level.L1 and ticket.stage != Stage.EMERGENCY:
        _enter_emergency(ticket, at=clock.now())
        _event(ticket, actor=actor, kind="ticket.stage", message=_("升级为一级故障，启动应急流程"),
               verb="declare_emergency", target=Stage.EMERGENCY)  # fmt: skip
    return ticket


@transaction.atomic
def record_consent(ticket: Ticket, *, by: str, method: str, actor) -> Ticket:
    """The customer's consent to remote access (who, when, how), required before going remote."""
    if not by.strip():
        raise DomainError(_("请填写同意人。"), field="by")
    if method not in ConsentMethod.values:
        raise DomainError(_("无效的同意方式。"), field="method")
    ticket = _locked(ticket)
    ticket.remote_consent_by = by.strip()
    ticket.remote_consent_method = method
    ticket.remote_consent_at = clock.now()
    ticket.save(update_fields=["remote_consent_by", "remote_consent_method", "remote_consent_at"])
    _event(ticket, actor=actor, kind="ticket.consent",
           message=_("客户同意远程接入：%(by)s（%(method)s）")
           % {"by": by, "method": ConsentMethod(method).label})  # fmt: skip
    return ticket


def _meet(ticket: Ticket, kind: str, *, actor, message: str) -> Ticket:
    ticket = _locked(ticket)
    if not ticket.is_open:
        raise DomainError(_("工单已解决或关闭。"), code="ticket_not_open")
    if not Clock.objects.filter(ticket=ticket, kind=kind).exists():
        raise DomainError(_("该时钟尚未开始。"), code="clock_not_started")
    clocks.meet_clock(ticket, kind, at=clock.now())
    _event(ticket, actor=actor, kind="ticket.clock", message=message, clock=kind)
    return ticket


@transaction.atomic
def respond(ticket: Ticket, *, actor) -> Ticket:
    """An engineer answered the customer by phone: the phone-response clock is met."""
    return _meet(ticket, engine.PHONE_RESPONSE, actor=actor, message=_("已电话响应"))


@transaction.atomic
def remote_connected(ticket: Ticket, *, actor) -> Ticket:
    """The engineer is connected remotely: the remote-response clock is met."""
    return _meet(ticket, engine.REMOTE_RESPONSE, actor=actor, message=_("已远程接入"))


@transaction.atomic
def dispatch(ticket: Ticket, *, engineer, actor) -> Ticket:
    """An engineer is dispatched to site: the on-site response clock is met."""
    ticket = _locked(ticket)
    ticket.assigned_engineer = engineer
    ticket.save(update_fields=["assigned_engineer"])
    return _meet(ticket, engine.ONSITE_RESPONSE, actor=actor,
                 message=_("已派工程师 %(name)s 赴现场") % {"name": engineer})  # fmt: skip


@transaction.atomic
def arrive(ticket: Ticket, *, actor) -> Ticket:
    """The engineer checked in on site: the arrival clock is met."""
    return _meet(ticket, engine.ONSITE_ARRIVAL, actor=actor, message=_("工程师已到达现场"))


@transaction.atomic
def pause(ticket: Ticket, *, reason: str, actor) -> Ticket:
    """Pause the running clocks (e.g. waiting for the customer), with a reason."""
    if not reason.strip():
        raise DomainError(_("暂停计时必须说明原因。"), code="reason_required", field="reason")
    ticket = _locked(ticket)
    paused = clocks.pause_clocks(ticket, at=clock.now())
    if not paused:
        raise DomainError(_("没有正在计时的时钟。"), code="nothing_running")
    _event(ticket, actor=actor, kind="ticket.clock",
           message=_("暂停计时：%(reason)s") % {"reason": reason})  # fmt: skip
    return ticket


@transaction.atomic
def resume(ticket: Ticket, *, actor) -> Ticket:
    ticket = _locked(ticket)
    if not clocks.resume_clocks(ticket, at=clock.now()):
        raise DomainError(_("没有暂停的时钟。"), code="nothing_paused")
    _event(ticket, actor=actor, kind="ticket.clock", message=_("恢复计时"))
    return ticket


@transaction.atomic
def record_callback(
    ticket: Ticket, *, satisfied: bool, note: str = "", score: int | None = None, actor
) -> TicketCallback:
    """The customer callback after resolution (OTH-6): satisfied closes the ticket when nothing
    else stands in the way; not satisfied reopens it into the flow with the reason."""
    ticket = _locked(ticket)
    if ticket.stage != Stage.RESOLVED:
        raise DomainError(_("只有已解决的工单可以回访。"), code="not_resolved")
    if score is not None and not 1 <= score <= 5:
        raise DomainError(_("满意度必须在 1 到 5 之间。"), field="score")
    if not satisfied and not note.strip():
        raise DomainError(_("客户不满意时请记录原因。"), field="note")
    callback = TicketCallback.objects.create(
        ticket=ticket, at=clock.now(), by=actor, satisfied=satisfied, score=score, note=note
    )
    outcome = _("回访：客户满意") if satisfied else _("回访：客户不满意")
    _event(ticket, actor=actor, kind="ticket.callback",
           message=outcome + (f"。{note}" if note else ""))  # fmt: skip
    if not satisfied:
        move(ticket, "reopen", actor=actor, note=note)
    elif flow.refusal(ticket, "close") is None:
        move(ticket, "close", actor=actor)
    return callback
