"""One scheduler for everything due. The runner (`weibao tick`, the embedded worker of
`weibao serve`, `weibao worker`) calls `run()`, which drains every source registered here —
the service desk's (clock breaches, ladder steps, emergency-action deadlines, registered by
escalations), the other apps' (repairs overdue, loans at 3/6 months, sales ship deadlines,
inspection reminders, …) — and then the delivery sources (the notification outbox). There is
no second scheduler.

A source is `process(*, now, limit) -> int`: in ONE transaction it claims at most `limit` due
rows with `claim(queryset)` (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), acts on them,
marks them done in the same transaction (so running it twice, or in two workers, never acts
twice) and returns how many it processed. The runner calls it again while it returns `limit`.
Register it in the app's `AppConfig.ready()`:

    from weibao.core import due
    due.register("repairs.overdue", repairs.tasks.lend_for_overdue_repairs)

A delivery source (`delivers=True`) does network I/O: it runs once per `run()`, after every
other source, not drained, and may return a mapping of named counts (sent, failed, …).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import connection

from weibao.core import clock

Process = Callable[..., int]


@dataclass(frozen=True)
class DueSource:
    name: str
    process: Process
    delivers: bool = False


_sources: dict[str, DueSource] = {}


def register(name: str, process: Process, *, delivers: bool = False) -> None:
    """Add (or replace) a due source; idempotent, so `ready()` may run twice."""
    _sources[name] = DueSource(name, process, delivers)


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


def run(*, batch: int = 500, deliver: bool = True, now: dt.datetime | None = None) -> dict:
    """Process whatever is due now, once: every due source drained in registration order,
    then (unless `deliver=False`) each delivery source once. Safe to run concurrently and
    repeatedly. Returns the counts by source name (`<name>.<count>` for named counts)."""
    now = now or clock.now()
    counts: dict[str, int] = {}
    for source in sources():
        if not source.delivers:
            counts[source.name] = drain(source.process, now=now, batch=batch)
    if deliver:
        for source in sources():
            if source.delivers:
                result = source.process(now=now, limit=batch)
                if isinstance(result, Mapping):
                    counts.update({f"{source.name}.{k}": int(v) for k, v in result.items()})
                else:
                    counts[source.name] = int(result)
    return counts
