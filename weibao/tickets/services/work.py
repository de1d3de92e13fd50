"""Work on a ticket besides its moves: the customer's consent to remote access, the acts that
meet the phone and remote clocks, pausing and resuming the clocks, and the callback (OTH-6).
Each checks who may do it here, so the web, the API and the commands agree."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text, with_note
from weibao.sla import services as clocks
from weibao.sla.choices import ClockKind
from weibao.sla.models import Clock
from weibao.tickets.choices import ConsentMethod, Stage, TicketEvent
from weibao.tickets.flow import TICKET_FLOW, require_work
from weibao.tickets.models import Ticket, TicketCallback
from weibao.tickets.services.flow import locked, system_move

UNSATISFIED_MAX_SCORE = 2


@transaction.atomic
def record_consent(ticket: Ticket, *, by: str, method: str, actor) -> Ticket:
    """The customer's consent to remote access (who, when, how), required before going remote."""
    ticket = locked(ticket)
    require_work(ticket, actor)
    if not by.strip():
        raise DomainError(_("请填写同意人。"), field="by")
    if method not in ConsentMethod.values:
        raise DomainError(_("无效的同意方式。"), field="method")
    ticket.remote_consent_by = by.strip()
    ticket.remote_consent_method = method
    ticket.remote_consent_at = clock.now()
    ticket.save(update_fields=["remote_consent_by", "remote_consent_method", "remote_consent_at"])
    record_event(ticket, kind=TicketEvent.CONSENT, actor=actor,
                 message=event_text("客户同意远程接入：%(by)s（%(method)s）",
                                    by=by, method=ConsentMethod(method)))  # fmt: skip
    return ticket


def _meet(ticket: Ticket, kind: str, *, actor, message: EventText) -> Ticket:
    ticket = locked(ticket)
    require_work(ticket, actor)
    if not ticket.is_open:
        raise DomainError(_("工单已解决或关闭。"), code="ticket_not_open")
    if not Clock.objects.filter(ticket=ticket, kind=kind).exists():
        raise DomainError(_("该时钟尚未开始。"), code="clock_not_started")
    clocks.meet_clock(ticket, kind, at=clock.now())
    record_event(ticket, kind=TicketEvent.CLOCK, actor=actor, message=message,
                 data={"clock": kind})  # fmt: skip
    return ticket


@transaction.atomic
def respond(ticket: Ticket, *, actor) -> Ticket:
    """An engineer answered the customer by phone: the phone-response clock is met."""
    return _meet(ticket, ClockKind.PHONE_RESPONSE, actor=actor, message=event_text("已电话响应"))


@transaction.atomic
def remote_connected(ticket: Ticket, *, actor) -> Ticket:
    """The engineer is connected remotely: the remote-response clock is met."""
    return _meet(ticket, ClockKind.REMOTE_RESPONSE, actor=actor, message=event_text("已远程接入"))


@transaction.atomic
def pause(ticket: Ticket, *, reason: str, actor) -> Ticket:
    """Pause the running clocks (e.g. waiting for the customer), with a reason."""
    ticket = locked(ticket)
    require_work(ticket, actor)
    if not reason.strip():
        raise DomainError(_("暂停计时必须说明原因。"), code="reason_required", field="reason")
    paused = clocks.pause_clocks(ticket, at=clock.now())
    if not paused:
        raise DomainError(_("没有正在计时的时钟。"), code="nothing_running", field="reason")
    record_event(ticket, kind=TicketEvent.CLOCK, actor=actor,
                 message=event_text("暂停计时：%(reason)s", reason=reason))  # fmt: skip
    return ticket


@transaction.atomic
def resume(ticket: Ticket, *, actor) -> Ticket:
    """Resume the paused clocks; the paused time pushes each deadline back."""
    ticket = locked(ticket)
    require_work(ticket, actor)
    if not clocks.resume_clocks(ticket, at=clock.now()):
        raise DomainError(_("没有暂停的时钟。"), code="nothing_paused")
    record_event(ticket, kind=TicketEvent.CLOCK, actor=actor, message=event_text("恢复计时"))
    return ticket


def _may_call_back(ticket: Ticket, actor) -> None:
    """The agent or the account manager calls back (`TICKET_CALLBACK`); the customer's own
    user answers the portal survey (`DOCUMENT_SIGN`: "answer surveys")."""
    if actor is None:
        return
    if actor.customer_id and actor.customer_id == ticket.customer_id:
        permissions.require(actor, Capability.DOCUMENT_SIGN, customer_id=ticket.customer_id)
        return
    permissions.require(actor, Capability.TICKET_CALLBACK, customer_id=ticket.customer_id)


@transaction.atomic
def record_callback(
    ticket: Ticket, *, satisfied: bool, note: str = "", score: int | None = None, actor
) -> TicketCallback:
    """The callback after resolution (OTH-6), the one rule for every path (web, portal, API):
    a score 1–5 is required; "satisfied" with 1–2 is a contradiction and refused; satisfied
    closes the ticket when nothing else stands in the way; not satisfied reopens it into the
    flow with the reason."""
    ticket = locked(ticket)
    _may_call_back(ticket, actor)
    if ticket.stage != Stage.RESOLVED:
        raise DomainError(_("只有已解决的工单可以回访。"), code="not_resolved")
    if score in (None, ""):
        raise DomainError(_("请选择 1 到 5 分的满意度。"), code="score_required", field="score")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("满意度必须在 1 到 5 之间。"), code="score_invalid", field="score")
    if satisfied and score <= UNSATISFIED_MAX_SCORE:
        raise DomainError(
            _("客户“满意”与 %(score)d 分的评分矛盾：1–2 分请记为“不满意”并记录原因，或核实评分。")
            % {"score": score},
            code="score_contradicts_satisfied",
            field="score",
        )
    if not satisfied and not note.strip():
        raise DomainError(_("客户不满意时请记录原因。"), code="note_required", field="note")
    callback = TicketCallback.objects.create(
        ticket=ticket, at=clock.now(), by=actor, satisfied=satisfied, score=score, note=note
    )
    outcome = gettext_noop("回访：客户满意（%(score)s/5）") if satisfied else gettext_noop(
        "回访：客户不满意（%(score)s/5）")  # fmt: skip
    record_event(ticket, kind=TicketEvent.CALLBACK, actor=actor,
                 message=with_note(event_text(outcome, score=score), note),
                 data={"satisfied": satisfied, "score": score})  # fmt: skip
    if not satisfied:
        system_move(ticket, "reopen", actor=actor, note=note)
    elif TICKET_FLOW.refusal(ticket, "close") is None:
        system_move(ticket, "close", actor=actor)
    return callback
