"""Reads of the alarm intake."""

from __future__ import annotations

import datetime as dt

from weibao.alarms.models import AlarmSource, RawDelivery
from weibao.core import clock

RATE_WINDOW = dt.timedelta(minutes=5)


def deliveries_per_minute(source: AlarmSource, *, now: dt.datetime | None = None) -> float:
    """The source's accepted deliveries per minute over the last five minutes (its health)."""
    now = now or clock.now()
    count = RawDelivery.objects.filter(source=source, received_at__gt=now - RATE_WINDOW).count()
    return round(count / (RATE_WINDOW.total_seconds() / 60), 1)
