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

Every completed `run()` sends `ticked` (the runner's heartbeat, recorded by `weibao.ops` for
/readyz, /metrics and the staff banner). `waiting()` says how many rows each source would
claim now, without acting on any.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.db import connection, transaction
from django.dispatch import Signal

from weibao.core import clock

log = logging.getLogger(__name__)

Process = Callable[..., int]


@dataclass(frozen=True)
class DueSource:
    name: str
    process: Process
    delivers: bool = False


_sources: dict[str, DueSource] = {}

# Sent after every completed `run()`, from the runner's thread: `now` (the clock when it
# finished), `counts` (as returned) and `seconds` (how long the run took).
ticked = Signal()

# Set while `waiting()` measures: `claim()` then counts the due rows instead of locking them.
_measuring = contextvars.ContextVar("weibao_due_measuring", default=False)


class _Waiting(BaseException):
    """Raised by `claim()` while measuring; a BaseException so that no source swallows it."""

    def __init__(self, count: int):
        super().__init__(count)
        self.count = count


def register(name: str, process: Process, *, delivers: bool = False) -> None:
    """Add (or replace) a due source; idempotent, so `ready()` may run twice."""
    _sources[name] = DueSource(name, process, delivers)


def sources() -> list[DueSource]:
    return list(_sources.values())


def claim(queryset):
    """Lock the rows a worker takes; other workers skip them instead of waiting. On SQLite the
    write transaction itself serialises workers (transaction_mode IMMEDIATE)."""
    if _measuring.get():
        raise _Waiting(queryset.count())
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
    started = time.monotonic()
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
    ticked.send(run, now=clock.now(), counts=counts, seconds=time.monotonic() - started)
    return counts


def waiting(*, now: dt.datetime | None = None) -> dict[str, int]:
    """How many rows each (non-delivery) source would claim now, by source name.

    Each source runs in a transaction that is always rolled back, and its `claim()` answers
    with the count of the due rows instead of locking any, so nothing is acted on. A source
    that claims nothing reports what it would have processed (at most one batch of
    1,000,000); one that fails is left out."""
    now = now or clock.now()
    result: dict[str, int] = {}
    token = _measuring.set(True)
    try:
        with transaction.atomic():
            for source in sources():
                if source.delivers:
                    continue
                try:
                    with transaction.atomic():
                        try:
                            result[source.name] = int(source.process(now=now, limit=1_000_000))
                        except _Waiting as measured:
                            result[source.name] = measured.count
                except Exception:  # a broken source must not stop measuring the others
                    log.warning("could not measure due source %s", source.name, exc_info=True)
            transaction.set_rollback(True)
    finally:
        _measuring.reset(token)
    return result
