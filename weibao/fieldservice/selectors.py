"""Reads for the field-service screens: the engineer's day, a visit with its preparation
(ONS-1: the customer archive), and a ticket's visits and documents."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from weibao.core import clock
from weibao.core.selectors import archive_for_asset, archive_for_site
from weibao.documents.choices import DocumentState
from weibao.documents.models import SignedDocument
from weibao.documents.selectors import LIGHT
from weibao.fieldservice import kinds
from weibao.fieldservice.choices import OPEN_VISIT_STATES
from weibao.fieldservice.models import TrainingSession, Visit
from weibao.sla import engine
from weibao.tickets.choices import Stage
from weibao.tickets.models import Ticket

ARCHIVE_LIMIT = 40


def _visits(user):
    return Visit.objects.visible_to(user).select_related(
        "ticket", "ticket__customer", "ticket__site", "ticket__asset", "engineer"
    )


def today(user) -> list[Visit]:
    """The engineer's open visits and those finished today, the soonest arrival first."""
    start = timezone.localtime(clock.now()).replace(hour=0, minute=0, second=0, microsecond=0)
    finished_today = Q(checked_out_at__gte=start, checked_out_at__lt=start + dt.timedelta(days=1))
    visits = list(
        _visits(user).filter(engineer=user).filter(Q(state__in=OPEN_VISIT_STATES) | finished_today)
    )
    arrival = arrival_clocks([v.ticket_id for v in visits])
    documents = _documents_by_visit(visits)
    for visit in visits:
        visit.arrival_clock = arrival.get(visit.ticket_id)
        visit.documents = documents.get(visit.pk, [])
    never = dt.datetime.max.replace(tzinfo=dt.UTC)
    return sorted(
        visits,
        key=lambda v: (
            not v.is_open,
            v.arrival_clock.due_at if v.arrival_clock and v.arrival_clock.due_at else never,
        ),
    )


def arrival_clocks(ticket_ids) -> dict:
    from weibao.sla.models import Clock

    return {
        c.ticket_id: c
        for c in Clock.objects.filter(ticket_id__in=ticket_ids, kind=engine.ONSITE_ARRIVAL)
    }


def _documents_by_visit(visits) -> dict[int, list[SignedDocument]]:
    if not visits:
        return {}
    rows = SignedDocument.objects.filter(
        subject_type=ContentType.objects.get_for_model(Visit),
        subject_id__in=[str(v.pk) for v in visits],
    ).defer(*LIGHT).order_by("created_at", "id")  # fmt: skip
    grouped: dict[int, list[SignedDocument]] = {}
    for doc in rows:
        grouped.setdefault(int(doc.subject_id), []).append(doc)
    return grouped


def visit_for(user, pk: int) -> Visit:
    return _visits(user).get(pk=pk)


def preparation(visit: Visit) -> dict:
    """ONS-1: what the engineer reads before going — the site's and the asset's archive, the
    site's earlier faults and how they were fixed (signed service reports)."""
    ticket = visit.ticket
    earlier = (
        Ticket.objects.filter(site=ticket.site_id).exclude(pk=ticket.pk).order_by("-reported_at")
        if ticket.site_id
        else Ticket.objects.none()
    )
    reports = SignedDocument.objects.filter(
        kind=kinds.SERVICE_REPORT, state=DocumentState.SIGNED, customer_id=ticket.customer_id
    ).defer(*LIGHT)
    reports = reports.filter(site=ticket.site_id) if ticket.site_id else reports.none()
    return {
        "earlier_tickets": list(earlier[:10]),
        "earlier_reports": list(reports.exclude(ticket=ticket).order_by("-signed_at")[:10]),
        "site_archive": list(archive_for_site(ticket.site, limit=ARCHIVE_LIMIT))
        if ticket.site_id
        else [],
        "asset_archive": list(archive_for_asset(ticket.asset, limit=ARCHIVE_LIMIT))
        if ticket.asset_id
        else [],
    }


def training_for(origin) -> list[TrainingSession]:
    return list(
        TrainingSession.objects.filter(
            origin_type=ContentType.objects.get_for_model(origin), origin_id=str(origin.pk)
        ).select_related("record")
    )


def visits_for_ticket(ticket) -> list[Visit]:
    return list(ticket.visits.select_related("engineer").order_by("confirmed_at", "id"))


def documents_for_ticket(ticket):
    """Every document of the ticket (visits, plans, reports, aftercare, training) with its
    state, oldest first — for the ticket page's list with download links."""
    return (
        SignedDocument.objects.filter(ticket=ticket)
        .defer(*LIGHT)
        .select_related("customer")
        .order_by("created_at", "id")
    )


ONSITE_STAGES = (Stage.ONSITE, Stage.EXPERT_ONSITE, Stage.EMERGENCY)


def awaiting_dispatch(user):
    """Open tickets of the user's scope at an on-site stage with no open visit: who waits for
    an engineer to be sent, the longest waiting first (each has its dispatch page)."""
    open_visit = Visit.objects.filter(ticket=OuterRef("pk"), state__in=OPEN_VISIT_STATES)
    return (
        Ticket.objects.visible_to(user)
        .filter(stage__in=ONSITE_STAGES)
        .exclude(Exists(open_visit))
        .select_related("customer", "site")
        .order_by("reported_at", "id")
    )


def engineer_load(user) -> list:
    """The provider's engineers with their open tickets (of the user's scope) and open visits,
    the most loaded first."""
    from weibao.accounts.choices import Role
    from weibao.accounts.selectors import provider_staff_with_role

    tickets = Ticket.objects.visible_to(user).open()
    engineers = provider_staff_with_role(Role.ENGINEER, provider_id=user.provider_id)
    return list(
        engineers.annotate(
            open_tickets=Count(
                "assigned_tickets", filter=Q(assigned_tickets__in=tickets), distinct=True
            ),
            open_visits=Count(
                "visits", filter=Q(visits__state__in=OPEN_VISIT_STATES), distinct=True
            ),
        ).order_by("-open_tickets", "-open_visits", "full_name", "username")
    )
