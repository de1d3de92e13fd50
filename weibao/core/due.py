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

A source whose rows come due by the day or the hour (loan ends, repair due dates, inspection
reminders) registers with `every=BY_THE_DAY`, one due within minutes with `every=BY_THE_MINUTE`:
a looping runner (the embedded worker, the Celery tick) then looks at it at most that often
(`run(pace=…)`, one `Pace` per runner), so its rounds stay cheap: twenty-odd idle sources cost
about 45 ms a round, which a storm's busy runner pays several times a second. The desk's
clocks, ladders and alarms are looked at in every round; `weibao tick`, and every caller of
`run()` without a pace, looks at every source.

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

# Seconds between a looping runner's looks at a source (see `register`).
BY_THE_DAY = 60.0  # rows due on a day or at an hour: a minute late is on time
BY_THE_MINUTE = 5.0  # rows due at a minute: a few seconds late is on time


@dataclass(frozen=True)
class DueSource:
    name: str
    process: Process
    delivers: bool = False
    every: float = 0.0  # a paced run looks at it at most this often (seconds); 0: every run


_sources: dict[str, DueSource] = {}


class Pace:
    """When one looping runner last looked at each paced source; `clock` gives seconds (the
    runner's own time, not business time)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._looked: dict[str, float] = {}

    def time_to_look(self, source: DueSource) -> bool:
        """Whether to look at `source` now (if so, now is its last look)."""
        if source.every <= 0:
            return True
        at = self._clock()
        last = self._looked.get(source.name)
        if last is not None and at - last < source.every:
            return False
        self._looked[source.name] = at
        return True


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


def register(name: str, process: Process, *, delivers: bool = False, every: float = 0) -> None:
    """Add (or replace) a due source; idempotent, so `ready()` may run twice. `every`: how
    often, at most, a paced run looks at it (`BY_THE_DAY`, `BY_THE_MINUTE`)."""
    _sources[name] = DueSource(name, process, delivers, float(every))


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


def run(
    *,
    batch: int = 500,
    deliver: bool = True,
    now: dt.datetime | None = None,
    pace: Pace | None = None,
) -> dict:
    """Process whatever is due now, once: every due source drained in registration order,
    then (unless `deliver=False`) each delivery source once. Safe to run concurrently and
    repeatedly. Returns the counts by source name (`<name>.<count>` for named counts).

    `pace`: a runner that calls this in a loop skips the sources it looked at less than
    their `every` ago (their count is 0); what they hold stays due for a later run."""
    now = now or clock.now()
    started = time.monotonic()
    counts: dict[str, int] = {}
    for source in sources():
        if source.delivers:
            continue
        if pace is not None and not pace.time_to_look(source):
            counts[source.name] = 0
            continue
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
