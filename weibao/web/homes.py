"""The home page as each role's "my work": which sections a user gets, and what they show.

Every section reads through the owning app's selectors (scoped to the user). A user with
several roles gets the sections of each, once, in the order of `Role`; a customer's user
always starts with 报修 and their open requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.billing import selectors as billing
from weibao.core import clock, permissions
from weibao.documents import selectors as documents
from weibao.escalations import selectors as escalations
from weibao.feedback import selectors as feedback
from weibao.feedback.choices import ComplaintState
from weibao.fieldservice import selectors as fieldservice
from weibao.fieldservice.kinds import LEADERSHIP_DEBRIEF
from weibao.inspections import selectors as inspections
from weibao.notifications import selectors as notifications
from weibao.notifications.choices import State as NotificationState
from weibao.repairs import selectors as repairs
from weibao.reporting import selectors as reporting
from weibao.sla import selectors as sla
from weibao.tickets import selectors as tickets
from weibao.tickets.models import Ticket

ROWS = 10  # rows per list on a home (the full page is one link away)
QUEUE_ROWS = 15


@dataclass(frozen=True)
class Section:
    name: str  # the partial web/home_<name>.html
    data: dict

    @property
    def template(self) -> str:
        return f"web/home_{self.name}.html"


def agent(user, now) -> dict:
    """The queue's most urgent tickets (its own order: breached first), with the counts of
    breached and unassigned open tickets."""
    queue = tickets.queue(user)
    open_tickets = Ticket.objects.visible_to(user).open()
    breached = sla.breached_or_at_risk(open_tickets, now=now, within=dt.timedelta(0))
    return {
        "urgent": list(queue[:QUEUE_ROWS]),
        "open_count": open_tickets.count(),
        "breached_count": breached.values("ticket").distinct().count(),
        "unassigned_count": open_tickets.filter(assigned_engineer__isnull=True).count(),
        "may_open": permissions.can(user, Capability.TICKET_OPEN),
    }


def engineer(user, now) -> dict:
    """Today's visits, the inspections due (in progress or planned up to today), then the
    open tickets assigned to the engineer, most urgent first."""
    today = clock.today()
    return {
        "visits": fieldservice.today(user),
        "inspections": list(inspections.engineer_queue(user).filter(planned_date__lte=today)),
        "mine": list(tickets.queue(user).filter(assigned_engineer=user)[:ROWS]),
    }


def manager(user, now) -> dict:
    """The breach and escalation board: clocks breached or due within the hour, ladder steps
    fired today, the engineers' load, tickets waiting for dispatch, failed notifications."""
    visible = Ticket.objects.visible_to(user)
    start_of_day = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    failed = notifications.outbox_for(user).filter(state=NotificationState.FAILED)
    waiting = fieldservice.awaiting_dispatch(user)
    return {
        "clocks": list(sla.breached_or_at_risk(visible.open(), now=now)[:30]),
        "steps": list(escalations.steps_fired_since(visible, start_of_day)[:30]),
        "load": fieldservice.engineer_load(user),
        "waiting": list(waiting[:ROWS]),
        "waiting_count": waiting.count(),
        "failed": list(failed.order_by("-updated_at", "-id")[:ROWS]),
        "failed_count": failed.count(),
        "may_dispatch": permissions.can(user, Capability.TICKET_DISPATCH),
    }


def keeper(user, now) -> dict:
    return repairs.keeper_board(user)


def account(user, now) -> dict:
    """Open complaints, callbacks due, and satisfaction over the latest callbacks."""
    complaints = feedback.complaints_for(user, open_only=True)
    due = feedback.awaiting_feedback(user)
    recent = [r.callback for r in feedback.recent_callbacks(user, limit=30) if r.callback_id]
    scores = [c.score for c in recent if c.score]
    return {
        "complaints": list(complaints[:ROWS]),
        "complaint_count": complaints.count(),
        "callbacks": list(due[:ROWS]),
        "callback_count": due.count(),
        "recent_count": len(recent),
        "satisfied_count": sum(1 for c in recent if c.satisfied),
        "average_score": round(sum(scores) / len(scores), 1) if scores else None,
    }


def customer_requests(user, now) -> dict:
    requests = tickets.customer_open_requests(user)
    return {
        "requests": list(requests[:20]),
        "request_count": requests.count(),
        "may_open": permissions.can(user, Capability.TICKET_OPEN),
    }


def customer_todo(user, now) -> dict:
    """What waits for the customer: documents to sign, surveys, charges, complaints to confirm."""
    to_sign = documents.awaiting_signature(user)
    surveys = feedback.awaiting_feedback(user)
    charges = billing.awaiting_approval(user)
    complaints = feedback.complaints_for(user, state=ComplaintState.RESOLVED)
    return {
        "documents": list(to_sign[:ROWS]),
        "surveys": list(surveys[:ROWS]),
        "charges": list(charges[:ROWS]),
        "complaints": list(complaints[:ROWS]),
        "may_approve": permissions.can(user, Capability.BILLING_APPROVE),
    }


def customer_leader(user, now) -> dict:
    """The latest analysis reports and the leadership debriefs of level-1 faults."""
    readable = permissions.can(user, Capability.REPORT_READ)
    reports = reporting.reports_for(user).order_by("-period_end", "-id")[:5] if readable else []
    debriefs = documents.visible_documents(user).filter(kind=LEADERSHIP_DEBRIEF)
    return {"reports": list(reports), "debriefs": list(debriefs.order_by("-id")[:5])}


_MANAGERS = (
    Role.MAINTENANCE_MANAGER,
    Role.SERVICE_OFFICE_MANAGER,
    Role.CENTER_HEAD,
    Role.SERVICE_CENTER_GM,
)
# Provider roles → their section, in the order of `Role`; roles without one of their own
# (the subcenter expert) get the queue.
_PROVIDER_SECTIONS = (
    ((Role.SUPPORT_AGENT,), "agent", agent),
    ((Role.ENGINEER,), "engineer", engineer),
    (_MANAGERS, "manager", manager),
    ((Role.SPARE_KEEPER,), "keeper", keeper),
    ((Role.ACCOUNT_MANAGER,), "account", account),
)
_BUILDERS = {name: build for _roles, name, build in _PROVIDER_SECTIONS}


def section_names(user) -> list[str]:
    """The names of the user's sections, in order."""
    if user.customer_id:
        names = ["customer_requests", "customer_todo"]
        if user.has_role(Role.CUSTOMER_LEADER):
            names.append("customer_leader")
        return names
    names = [name for roles, name, _build in _PROVIDER_SECTIONS if user.has_role(*roles)]
    if user.is_superuser:  # an administrator watches the desk: the queue and the board
        names = [n for n in ("agent", "manager") if n not in names] + names
    return names or ["agent"]


def sections_for(user, *, now: dt.datetime) -> list[Section]:
    builders = {
        **_BUILDERS,
        "customer_requests": customer_requests,
        "customer_todo": customer_todo,
        "customer_leader": customer_leader,
    }
    return [Section(name, builders[name](user, now)) for name in section_names(user)]
