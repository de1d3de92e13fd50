"""Moving a ticket through the support flow (`tickets.flow.TICKET_FLOW`) and resolving it.
Each move runs in one transaction, checks who may make it (the move's capability and the
engineer's own-ticket guard), writes an event (actor, time, note) and keeps the clocks and the
ladder consistent with the ticket."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.choices import Role
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, with_note
from weibao.escalations import services as escalations
from weibao.sla import services as clocks
from weibao.sla.choices import ClockKind
from weibao.tickets.choices import Stage, TicketEvent
from weibao.tickets.flow import TICKET_FLOW, run_on_resolved
from weibao.tickets.models import ResolutionCause, Ticket
from weibao.tickets.services.level import enter_emergency


def locked(ticket: Ticket) -> Ticket:
    return Ticket.objects.select_for_update().get(pk=ticket.pk)


@transaction.atomic
def move(
    ticket: Ticket,
    verb: str,
    *,
    actor,
    note: str = "",
    cause: ResolutionCause | int | None = None,
    fix: str = "",
    prevention: str = "",
) -> Ticket:
    """Make the move `verb` of `TICKET_FLOW`, or raise `MoveRefused` (403 without the
    capability, 409 from the wrong stage, 400 with the guard's code). `resolve` needs the
    cause and the fix (TKT-4); `note` is written on every move."""
    ticket = locked(ticket)
    return _make(ticket, verb, actor=actor, note=note, check_actor=True,
                 cause=cause, fix=fix, prevention=prevention)  # fmt: skip


def resolve(
    ticket: Ticket,
    *,
    cause: ResolutionCause | int | None,
    fix: str,
    prevention: str = "",
    note: str = "",
    actor,
) -> Ticket:
    """The fault is resolved: cause (a `ResolutionCause`), fix and prevention advice recorded;
    clocks still open are closed unmet (SLA-6), the ladder stops."""
    return move(ticket, "resolve", actor=actor, note=note, cause=cause, fix=fix,
                prevention=prevention)  # fmt: skip


def _make(ticket: Ticket, verb: str, *, actor, note: str, check_actor: bool, **resolution):
    if check_actor and actor is not None and verb in TICKET_FLOW:
        # who may comes before when: someone without the capability learns nothing more
        capability = TICKET_FLOW[verb].capability
        permissions.require(actor, capability, customer_id=ticket.customer_id)
    spec = TICKET_FLOW.check(ticket, verb, actor if check_actor else None)
    if spec.needs_note and not note.strip():
        raise DomainError(_("请填写原因。"), code="note_required", field="note")
    if verb == "resolve":
        _record_resolution(ticket, **resolution)
    now = clock.now()
    source = ticket.stage
    _take(ticket, actor)
    if verb == "declare_emergency":
        enter_emergency(ticket, at=now)
    else:
        ticket.stage = spec.target
        ticket.save(update_fields=["stage"])
    if verb == "start_phone":
        clocks.meet_clock(ticket, ClockKind.PHONE_RESPONSE, at=now)
    elif verb == "go_remote":
        clocks.start_clock(ticket, ClockKind.REMOTE_RESPONSE, at=now)
    elif verb == "go_onsite":
        ticket.onsite_confirmed_at = now
        ticket.save(update_fields=["onsite_confirmed_at"])
        clocks.start_clock(ticket, ClockKind.ONSITE_RESPONSE, at=now)
        clocks.start_clock(ticket, ClockKind.ONSITE_ARRIVAL, at=now)
    elif verb == "resolve":
        ticket.resolved_at = now
        ticket.save(update_fields=["resolved_at", "cause", "fix", "prevention"])
        escalations.cancel_ladder(ticket, at=now)
        clocks.close_open_clocks(ticket, at=now)
    elif verb == "reopen":
        ticket.resolved_at = None
        ticket.reopen_count += 1
        ticket.save(update_fields=["resolved_at", "reopen_count"])
        escalations.plan_ladder(ticket)
    elif verb == "close":
        ticket.closed_at = now
        ticket.save(update_fields=["closed_at"])
    message = event_text("%(move)s：%(source)s → %(target)s", move=spec.label,
                         source=Stage(source), target=Stage(ticket.stage))  # fmt: skip
    if verb == "resolve":
        message = event_text("%(event)s。原因：%(cause)s；处理：%(fix)s",
                             event=message, cause=ticket.cause, fix=ticket.fix)  # fmt: skip
    record_event(ticket, kind=TicketEvent.STAGE, actor=actor,
                 message=with_note(message, note),
                 data={"verb": verb, "source": source, "target": ticket.stage,
                       "note": note})  # fmt: skip
    if verb == "resolve":
        run_on_resolved(ticket, actor)  # e.g. the technical service report (issue 9 #4)
    return ticket


def _record_resolution(ticket: Ticket, *, cause, fix: str, prevention: str) -> None:
    if isinstance(cause, int | str) and str(cause).isdigit():
        cause = ResolutionCause.objects.filter(pk=int(cause), active=True).first()
    if not isinstance(cause, ResolutionCause) or not cause.active:
        raise DomainError(_("请选择故障原因。"), code="cause_required", field="cause")
    if not (fix or "").strip():
        raise DomainError(_("请填写处理方法。"), code="fix_required", field="fix")
    ticket.cause = cause
    ticket.fix = fix.strip()
    ticket.prevention = (prevention or "").strip()


def _take(ticket: Ticket, actor) -> None:
    """An engineer who works an unassigned ticket takes it: it is theirs from now on."""
    if (
        actor is not None
        and ticket.assigned_engineer_id is None
        and not actor.customer_id
        and actor.has_role(Role.ENGINEER)
    ):
        ticket.assigned_engineer = actor
        ticket.save(update_fields=["assigned_engineer"])


def system_move(ticket: Ticket, verb: str, *, actor, note: str = "") -> Ticket:
    """A move that follows from another recorded act (a callback reopens or closes): the
    state rules apply, the capability was checked by that act."""
    return _make(ticket, verb, actor=actor, note=note, check_actor=False,
                 cause=None, fix="", prevention="")  # fmt: skip
