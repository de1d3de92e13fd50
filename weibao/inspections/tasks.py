"""Due sources of the inspections app, registered in `InspectionsConfig.ready()` and run by the
one scheduler (`weibao tick`): advance notices to customers and the settling of provisional
dates once a year's schedule is imported."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from weibao.core.audit import record_event
from weibao.core.due import claim
from weibao.core.events import event_text
from weibao.inspections.choices import InspectionEvent, VisitState
from weibao.inspections.models import InspectionVisit
from weibao.inspections.notices import notify_reminder
from weibao.inspections.services.planning import replan_provisional


def send_due_reminders(*, now: dt.datetime, limit: int) -> int:
    """Tell customers of visits whose notice time has come; each visit once. A visit whose
    date has already passed (planned late) is marked without a message."""
    today = timezone.localdate(now)
    with transaction.atomic():
        visits = list(
            claim(
                InspectionVisit.objects.filter(
                    state=VisitState.PLANNED, reminded_at__isnull=True, remind_at__lte=now
                ).select_related("site", "customer", "engineer")
            ).order_by("remind_at", "id")[:limit]
        )
        for visit in visits:
            if visit.planned_date >= today:
                notify_reminder(visit)
                record_event(
                    visit,
                    kind=InspectionEvent.NOTIFIED,
                    message=event_text("已提前通知客户巡检安排。"),
                )
            visit.reminded_at = now
        InspectionVisit.objects.bulk_update(visits, ["reminded_at"])
    return len(visits)


def settle_provisional(*, now: dt.datetime, limit: int) -> int:
    return replan_provisional(now=now, limit=limit)


def settle_on_import(sender, *, year: int, **kwargs) -> None:
    """`calendars.signals.year_imported`: settle the visits waiting for `year`'s schedule
    right away, in the import's transaction (the due source above stays as a safety net for
    years loaded by other paths)."""
    while replan_provisional(limit=500):
        pass
