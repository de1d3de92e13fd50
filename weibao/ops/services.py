"""Writes of the ops app: the runner's heartbeat."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.db import IntegrityError, transaction

from weibao.ops.models import TICK, Heartbeat


def record_tick(*, at: dt.datetime, seconds: float = 0.0) -> None:
    """Record that the scheduler completed a run at `at` (one UPDATE, an INSERT the first time)."""
    values = {
        "last_tick_at": at,
        "seconds": seconds,
        "host": f"{socket.gethostname()}:{os.getpid()}",
    }
    if Heartbeat.objects.filter(name=TICK).update(**values):
        return
    try:
        with transaction.atomic():
            Heartbeat.objects.create(name=TICK, **values)
    except IntegrityError:  # another runner wrote the first row a moment ago
        Heartbeat.objects.filter(name=TICK).update(**values)


def on_tick(sender, *, now: dt.datetime, seconds: float, **kwargs) -> None:
    """`weibao.core.due.ticked` receiver."""
    record_tick(at=now, seconds=seconds)
