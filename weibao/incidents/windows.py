"""Maintenance windows in force at a moment, from three places and never copied: the windows
set by hand (`MaintenanceWindow`), the planned inspection visits of the site (the planned
day, or from arrival to completion), and the major operations the customer approved (ONS-3:
from the approval until the visit checks out, at most the configured hours)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from weibao.documents.choices import DocumentState
from weibao.documents.models import SignedDocument
from weibao.fieldservice.kinds import MAJOR_OPERATION
from weibao.fieldservice.models import Visit
from weibao.incidents.choices import WindowOrigin
from weibao.incidents.models import MaintenanceWindow
from weibao.inspections.choices import VisitState
from weibao.inspections.models import InspectionVisit


@dataclass(frozen=True)
class Window:
    """One window in force: where it comes from, what it covers and until when."""

    origin: str
    site_id: int | None
    asset_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime | None
    note: str
    ref_id: int

    def covers(self, *, site_ids, asset_id: int | None, at: dt.datetime) -> bool:
        """Whether the window covers an alarm of `asset_id` at a site of `site_ids` (the
        alarm's site and the sites above it) raised at `at`."""
        if self.starts_at > at or (self.ends_at is not None and self.ends_at <= at):
            return False
        if self.asset_id is not None:
            return self.asset_id == asset_id
        return self.site_id in site_ids


def windows_between(*, customer_id: int, site_ids, asset_ids, start: dt.datetime,
                    end: dt.datetime, operation_window: dt.timedelta) -> list[Window]:  # fmt: skip
    """Every window of the customer in force at some time between `start` and `end` over
    one of `site_ids` or `asset_ids` (ask each `covers()` for one alarm)."""
    site_ids, asset_ids = list(site_ids), [a for a in asset_ids if a]
    return [
        *_manual(customer_id, site_ids, asset_ids, start, end),
        *_inspections(customer_id, site_ids, start, end),
        *_operations(customer_id, site_ids, asset_ids, start, end, operation_window),
    ]


def _manual(customer_id, site_ids, asset_ids, start, end) -> list[Window]:
    rows = MaintenanceWindow.objects.filter(
        Q(site_id__in=site_ids) | Q(asset_id__in=asset_ids),
        customer_id=customer_id, starts_at__lte=end, ends_at__gt=start,
    )  # fmt: skip
    return [Window(WindowOrigin.MANUAL, w.site_id, w.asset_id, w.starts_at, w.ends_at,
                   w.reason, w.pk) for w in rows]  # fmt: skip


def _inspections(customer_id, site_ids, start, end) -> list[Window]:
    first, last = timezone.localdate(start), timezone.localdate(end)
    rows = InspectionVisit.objects.filter(customer_id=customer_id, site_id__in=site_ids).filter(
        Q(state=VisitState.PLANNED, planned_date__gte=first, planned_date__lte=last)
        | Q(state=VisitState.IN_PROGRESS, started_at__lte=end)
        | Q(state=VisitState.DONE, started_at__lte=end, completed_at__gte=start)
    )
    windows = []
    for visit in rows:
        if visit.started_at is not None:
            starts, ends = visit.started_at, visit.completed_at
        else:  # planned for that day: the whole day
            starts = timezone.make_aware(dt.datetime.combine(visit.planned_date, dt.time.min))
            ends = starts + dt.timedelta(days=1)
        windows.append(Window(WindowOrigin.INSPECTION, visit.site_id, None, starts, ends,
                              visit.title, visit.pk))  # fmt: skip
    return windows


def _operations(customer_id, site_ids, asset_ids, start, end, window) -> list[Window]:
    rows = SignedDocument.objects.filter(
        Q(site_id__in=site_ids) | Q(asset_id__in=asset_ids) | Q(ticket__site_id__in=site_ids),
        customer_id=customer_id, kind=MAJOR_OPERATION, state=DocumentState.SIGNED,
        signed_at__lte=end, signed_at__gte=start - window,
    ).select_related("ticket")  # fmt: skip
    windows = []
    for doc in rows:
        ends = doc.signed_at + window
        if isinstance(doc.subject, Visit) and doc.subject.checked_out_at is not None:
            ends = min(ends, doc.subject.checked_out_at)
        site_id = doc.site_id or (doc.ticket.site_id if doc.ticket_id else None)
        asset_id = doc.asset_id if doc.site_id is None and doc.asset_id else None
        windows.append(Window(WindowOrigin.OPERATION, site_id, asset_id, doc.signed_at, ends,
                              doc.title, doc.pk))  # fmt: skip
    return windows
