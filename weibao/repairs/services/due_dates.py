"""Provisional due dates settled once the year's State Council schedule is imported (RMA-3,
SLA-7). A repair whose 30/60 working days ran into an unimported year was registered with a
date computed from the statutory rules (`weibao.calendars.provisional`); when that year is
imported (`calendars.signals.year_imported`, or the `repairs.provisional` due source as a
safety net) the date is recomputed from the official calendar, the change is written to the
repair's history and its owner (the registrar, else the spare keepers) is told."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from weibao.calendars import provisional, workdays
from weibao.core.audit import record_event
from weibao.core.due import claim
from weibao.core.events import event_text, followed_by
from weibao.notifications.services import notify
from weibao.repairs.choices import RepairEvent
from weibao.repairs.models import Repair
from weibao.repairs.services.registration import provisional_note
from weibao.spares import recipients


def settle_provisional_due_dates(*, actor=None, limit: int | None = None) -> int:
    """Recompute every provisional due date whose awaited year is now imported; returns how
    many repairs were settled. Safe to run twice (a settled repair is no longer provisional)."""
    known = workdays.known_years()
    with transaction.atomic():
        repairs = claim(
            Repair.objects.filter(due_provisional=True, due_calendar_year__in=known)
        ).order_by("id")
        repairs = list(repairs[:limit] if limit else repairs)
        for repair in repairs:
            _settle(repair, actor=actor)
    return len(repairs)


def _settle(repair: Repair, *, actor) -> None:
    before, year = repair.due_date, repair.due_calendar_year
    due, years = provisional.add_working_days(repair.received_on, repair.working_days)
    repair.due_date = due
    repair.due_calendar_year = provisional.first_provisional_year(years)
    repair.due_provisional = repair.due_calendar_year is not None
    repair.save(update_fields=["due_date", "due_provisional", "due_calendar_year", "updated_at"])
    if due == before:
        message = event_text(
            "%(year)s 年放假安排已导入：应返回日期 %(due)s 确认不变。", year=year, due=due
        )
    else:
        message = event_text(
            "%(year)s 年放假安排已导入：应返回日期由 %(before)s（暂定）改为 %(due)s。",
            year=year,
            before=before,
            due=due,
        )
    if repair.due_provisional:
        message = followed_by(message, provisional_note(repair.due_calendar_year))
    record_event(
        repair,
        kind=RepairEvent.DUE_RECOMPUTED,
        actor=actor,
        message=message,
        data={"before": str(before), "after": str(due), "year": year},
    )
    owners = [repair.created_by] if repair.created_by_id else []
    owners = owners or recipients.spare_keepers(repair.customer_id)
    notify(
        recipients=owners,
        subject=event_text("【返修】%(n)s 应返回日期已按正式放假安排重算", n=repair.number),
        body=message,
        kind="repair_due_recomputed",
        dedupe_key=f"repair:{repair.pk}:due:{year}",
        customer=repair.customer,
        ref_type="repair",
        ref_id=str(repair.pk),
    )


def on_year_imported(sender, *, year: int, actor=None, **kwargs) -> None:
    """`calendars.signals.year_imported` receiver: settle at once, in the import's
    transaction."""
    settle_provisional_due_dates(actor=actor)


def settle_due(*, now: dt.datetime, limit: int) -> int:
    """The `repairs.provisional` due source (for years loaded without the signal)."""
    return settle_provisional_due_dates(limit=limit)
