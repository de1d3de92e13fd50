"""Reads for the ticket screens: the queue by nearest deadline, a ticket with everything it
shows, and the open L1 tickets the banner announces."""

from __future__ import annotations

from django.db.models import Min, Q

from weibao.core.selectors import history_for
from weibao.sla.models import ClockState
from weibao.tickets.choices import Level
from weibao.tickets.models import Ticket


def queue(user, *, level: str = "", stage: str = ""):
    """Open tickets the user may see, nearest deadline first (running clocks, then the next
    pending ladder step); tickets with neither come last."""
    tickets = (
        Ticket.objects.visible_to(user)
        .open()
        .select_related("customer", "site", "assigned_engineer")
        .annotate(
            next_due=Min("clocks__due_at", filter=Q(clocks__state=ClockState.RUNNING)),
            next_step=Min(
                "escalation_steps__due_at",
                filter=Q(
                    escalation_steps__fired_at__isnull=True,
                    escalation_steps__cancelled_at__isnull=True,
                ),
            ),
        )
    )
    if level:
        tickets = tickets.filter(level=level)
    if stage:
        tickets = tickets.filter(stage=stage)
    return sorted(
        tickets,
        key=lambda t: (
            min((d for d in (t.next_due, t.next_step) if d is not None), default=None) is None,
            min((d for d in (t.next_due, t.next_step) if d is not None), default=t.reported_at),
        ),
    )


def open_level_one(user) -> list[Ticket]:
    return list(
        Ticket.objects.visible_to(user).open().filter(level=Level.L1).only("id", "number")[:10]
    )


def ticket_page(ticket: Ticket) -> dict:
    return {
        "clocks": list(ticket.clocks.all()),
        "steps": list(ticket.escalation_steps.all()),
        "actions": list(ticket.emergency_actions.all()),
        "callbacks": list(ticket.callbacks.select_related("by")),
        "criteria": list(ticket.criteria.all()),
        "history": history_for(ticket),
    }


def allowed_actions(ticket: Ticket, user) -> set[str]:
    """The ticket page's actions besides the flow's moves that `user` may take now (the page
    shows their forms; the services check again when they are used)."""
    from weibao.accounts.capabilities import Capability
    from weibao.core import permissions
    from weibao.tickets.choices import Stage
    from weibao.tickets.flow import assigned_refusal

    def can(capability) -> bool:
        return permissions.can(user, capability, customer_id=ticket.customer_id)

    allowed: set[str] = set()
    if ticket.is_open:
        if can(Capability.TICKET_CLASSIFY) and ticket.level:
            allowed.add("level")
        if can(Capability.TICKET_WORK) and assigned_refusal(ticket, user) is None:
            allowed |= {"consent", "pause", "resume", "respond", "remote_connected"}
        if can(Capability.TICKET_DISPATCH):
            allowed.add("dispatch")
    elif can(Capability.TICKET_CLASSIFY) and ticket.level:
        allowed.add("reclassify")
    if ticket.stage == Stage.RESOLVED and can(Capability.TICKET_CALLBACK):
        allowed.add("callback")
    if not user.customer_id:
        allowed.add("emergency_actions")
    elif ticket.stage == Stage.RESOLVED and can(Capability.DOCUMENT_SIGN):
        allowed.add("survey")
    return allowed
