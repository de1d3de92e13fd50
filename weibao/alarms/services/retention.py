"""How long raw deliveries are kept (`alarms.purge_raw`, a due source). Every delivery is stored
as it arrived, for replay and audit; a monitoring platform sends thousands a day, so applied
deliveries older than `WEIBAO_ALARM_RAW_RETENTION_DAYS` (180 by default; 0 keeps them all) are
deleted. The alarms themselves, their changes and incidents stay: an alarm whose last delivery
is deleted keeps everything but that link. A pending delivery is never deleted."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from weibao.alarms.models import RawDelivery
from weibao.core import due


def retention_days() -> int:
    return int(getattr(settings, "WEIBAO_ALARM_RAW_RETENTION_DAYS", 180))


def purge_raw(*, now: dt.datetime, limit: int) -> int:
    """Delete at most `limit` applied deliveries received before the retention period."""
    days = retention_days()
    if days <= 0:
        return 0
    with transaction.atomic():
        old = RawDelivery.objects.filter(
            pending=False, received_at__lt=now - dt.timedelta(days=days)
        ).order_by("id")
        ids = list(due.claim(old).values_list("id", flat=True)[:limit])
        if ids:  # an alarm whose last delivery goes keeps the rest (on_delete=SET_NULL)
            RawDelivery.objects.filter(pk__in=ids).delete()
    return len(ids)
