"""Reads of the feedback screens and API, always through the user's scope."""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Value, When

from weibao.core.selectors import history_for
from weibao.feedback.choices import CallbackMethod, ComplaintState
from weibao.feedback.models import CallbackRecord, Complaint
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket, TicketCallback


def awaiting_feedback(user):
    """Resolved tickets without a callback result since they were resolved: the agent's
    callback list, and for a customer user the surveys waiting for them. Oldest first."""
    answered = TicketCallback.objects.filter(ticket=OuterRef("pk"), at__gte=OuterRef("resolved_at"))
    return (
        Ticket.objects.visible_to(user)
        .filter(stage=Stage.RESOLVED)
        .exclude(Exists(answered))
        .select_related("customer", "site", "assigned_engineer")
        .order_by("resolved_at", "id")
    )


def answered_surveys(user):
    """Portal survey answers the user may see, newest first."""
    return (
        CallbackRecord.objects.visible_to(user)
        .filter(method=CallbackMethod.PORTAL_SURVEY)
        .select_related("ticket", "callback")
    )


def callback_records(user):
    """The callback results (the agent's and the portal surveys) the user may see."""
    return CallbackRecord.objects.visible_to(user).select_related(
        "ticket", "ticket__customer", "callback", "callback__by"
    )


def recent_callbacks(user, *, limit: int = 30):
    return callback_records(user)[:limit]


def complaints_for(user, *, state: str = "", open_only: bool = False):
    """Complaints the user may see: those waiting for a first response first, then those
    waiting for the customer's confirmation, then the rest; by deadline within each."""
    complaints = Complaint.objects.visible_to(user).select_related(
        "customer", "site", "ticket", "owner"
    )
    if state in ComplaintState.values:
        complaints = complaints.filter(state=state)
    elif open_only:
        complaints = complaints.exclude(state=ComplaintState.CLOSED)
    waiting = Case(
        When(state=ComplaintState.OPEN, then=Value(0)),
        When(state=ComplaintState.RESOLVED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return complaints.annotate(waiting=waiting).order_by("waiting", "respond_due_at", "-id")


def complaint_page(complaint: Complaint, reader=None) -> dict:
    return {"history": history_for(complaint, reader=reader)}
