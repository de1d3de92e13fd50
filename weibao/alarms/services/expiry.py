"""Alertmanager-API alarms resolve by themselves when their `ends_at` passes without the
sender repeating them (Alertmanager's resolve timeout): a due source."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from weibao.alarms.choices import AlarmState, ChangeKind
from weibao.alarms.models import Alarm, AlarmChange
from weibao.core import due


def resolve_expired(*, now: dt.datetime, limit: int) -> int:
    """Resolve at most `limit` firing alarms whose presumed end has passed, writing one
    `resolved` change each (at their `ends_at`). Safe to run in several workers."""
    with transaction.atomic():
        due_rows = Alarm.objects.filter(
            state=AlarmState.FIRING, auto_resolve=True, ends_at__lte=now
        ).order_by("ends_at", "id")[:limit]
        alarms = list(due.claim(due_rows))
        for alarm in alarms:
            alarm.state = AlarmState.RESOLVED
            alarm.resolved_at = alarm.ends_at
        Alarm.objects.bulk_update(alarms, ["state", "resolved_at"])
        AlarmChange.objects.bulk_create(
            AlarmChange(alarm=alarm, kind=ChangeKind.RESOLVED, at=alarm.ends_at) for alarm in alarms
        )
    return len(alarms)
