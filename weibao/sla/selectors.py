"""Reads of clocks for the boards: which promises are broken or about to be."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from weibao.sla.models import Clock, ClockState

AT_RISK_WITHIN = dt.timedelta(hours=1)


def breached_or_at_risk(tickets, *, now: dt.datetime, within: dt.timedelta = AT_RISK_WITHIN):
    """Clocks of `tickets` (a queryset of open tickets the reader may see) that are breached
    and not yet met, running past their deadline, or due within `within` (0: breached only);
    the most overdue first."""
    return (
        Clock.objects.filter(ticket__in=tickets)
        .filter(Q(state=ClockState.BREACHED) | Q(state=ClockState.RUNNING, due_at__lt=now + within))
        .select_related("ticket", "ticket__customer", "ticket__site", "ticket__assigned_engineer")
        .order_by("due_at", "id")
    )
