"""One scheduler for everything due. The runner (`weibao tick`, the embedded worker of
`weibao serve`, `weibao worker`) drains the service desk's own sources (clock breaches,
escalation steps, emergency-action deadlines, notifications) and every source registered here
by other apps (repairs overdue, loans at 3/6 months, sales ship deadlines, inspection
reminders, …). There is no second scheduler.

A source is `process(*, now, limit) -> int`: in ONE transaction it claims at most `limit` due
rows with `claim(queryset)` (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), acts on them,
marks them done in the same transaction (so running it twice, or in two workers, never acts
twice) and returns how many it processed. The runner calls it again while it returns `limit`.
Register it in the app's `AppConfig.ready()`:

    from weibao.core import due
    due.register("repairs.overdue", repairs.tasks.lend_for_overdue_repairs)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection

Process = Callable[..., int]


@dataclass(frozen=True)
class DueSource:
    name: str
    process: Process


_sources: dict[str, DueSource] = {}


def register(name: str, process: Process) -> None:
    """Add (or replace) a due source; idempotent, so `ready()` may run twice."""
    _sources[name] = DueSource(name, process)


def sources() -> list[DueSource]:
    return list(_sources.values())


def claim(queryset):
    """Lock the rows a worker takes; other workers skip them instead of waiting. On SQLite the
    write transaction itself serialises workers (transaction_mode IMMEDIATE)."""
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def drain(process: Process, *, now: dt.datetime, batch: int) -> int:
    """Run `process` until it finds less than a full batch."""
    total = 0
    while True:
        done = process(now=now, limit=batch)
        total += done
        if done < batch:
            return total
