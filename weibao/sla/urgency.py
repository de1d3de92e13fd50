"""The queue's urgency key, stored on the ticket (`next_due`, `next_step`, `urgency_at`) so the
queue (`weibao.tickets.queue`) reads a page of the most urgent tickets from one index instead
of computing every open ticket's deadlines per request.

`refresh()` is the one writer: every service that starts, meets, pauses, resumes, re-plans or
closes a clock, plans or cancels ladder steps, fires a step or records a breach calls it for
its tickets, in the same transaction. It recomputes, per ticket:

* `next_due` — the earliest deadline of a clock running or breached (what the queue shows);
* `next_step` — the next ladder step not yet fired nor cancelled;
* `urgency_at` — the sort key: `next_due` moved `BREACHED_SHIFT` back when it has passed (a
  breach sorts before every deadline still ahead, the longest overdue first), else the nearer
  of `next_due` and `next_step`, else `FAR_FUTURE`.

A service that changes several clocks and steps of one ticket (opening it, changing its level)
runs them inside `deferred()`: the refreshes they ask for are gathered and done once, when the
outermost `deferred()` block ends — still inside the caller's transaction, so the key is
written with the clocks.

A deadline that passes between two refreshes (the runner records the breach within its tick)
is caught by the queue itself (`queue.page`), so the order is exact at any moment.

The tickets table is reached through the clock's foreign key: sla is below tickets and
escalations in the import order, and both write here.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
from collections.abc import Iterable, Iterator

from django.db.models import Case, DateTimeField, F, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce, Least
from django.db.models.lookups import LessThan

from weibao.core import clock
from weibao.sla.choices import ClockState
from weibao.sla.models import Clock

FAR_FUTURE = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)
# Breached deadlines are stored this far back, so each sorts before every deadline still ahead
# while keeping their own order; any key before BREACHED_BEFORE is a breach.
BREACHED_SHIFT = dt.timedelta(days=1000 * 365)
BREACHED_BEFORE = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
FIELDS = ("next_due", "next_step", "urgency_at")


# The refreshes asked for inside `deferred()`: ticket id -> instances to update (may be empty).
_pending: contextvars.ContextVar[dict[int, list] | None] = contextvars.ContextVar(
    "urgency_pending", default=None
)


def sort_key(now: dt.datetime, *, due: str = "next_due", step: str = "next_step"):
    """The urgency key as an expression of a clock deadline and a step deadline at `now`."""
    return _key(F(due), F(step), now)


def _key(due, step, now: dt.datetime):
    return Case(
        When(LessThan(due, Value(now)), then=due - Value(BREACHED_SHIFT)),
        # Least() of a NULL is NULL on SQLite and the other value on PostgreSQL: coalesce.
        default=Least(
            Coalesce(due, Value(FAR_FUTURE)),
            Coalesce(step, Value(FAR_FUTURE)),
            output_field=DateTimeField(),
        ),
        output_field=DateTimeField(),
    )


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """Gather the `refresh()` calls made inside the block and refresh each ticket once when
    the outermost block ends without an error (an error rolls the caller's transaction back
    anyway). Use it inside the transaction that changes the clocks."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    if pending:
        _refresh(pending, now=clock.now())


def refresh(tickets: Iterable, *, now: dt.datetime | None = None) -> None:
    """Recompute the urgency key of `tickets` (instances or ids); instances get the new values
    too, so a later `save()` of them writes nothing stale. Inside `deferred()` it is done when
    the block ends."""
    wanted: dict[int, list] = {}
    for ticket in tickets:
        pk = ticket if isinstance(ticket, int) else ticket.pk
        instances = wanted.setdefault(pk, [])
        if not isinstance(ticket, int):
            instances.append(ticket)
    if not wanted:
        return
    pending = _pending.get()
    if pending is not None and now is None:
        for pk, instances in wanted.items():
            pending.setdefault(pk, []).extend(instances)
        return
    _refresh(wanted, now=now or clock.now())


def _refresh(wanted: dict[int, list], *, now: dt.datetime) -> None:
    """One UPDATE for every ticket in `wanted`, then one read for the instances given."""
    ticket_model = Clock._meta.get_field("ticket").related_model
    step_model = ticket_model._meta.get_field("escalation_steps").related_model
    clocks = Clock.objects.filter(
        ticket=OuterRef("pk"),
        state__in=[ClockState.RUNNING, ClockState.BREACHED],
        due_at__isnull=False,
    ).order_by("due_at")
    steps = step_model.objects.filter(
        ticket=OuterRef("pk"), fired_at__isnull=True, cancelled_at__isnull=True
    ).order_by("due_at")
    next_due = Subquery(clocks.values("due_at")[:1], output_field=DateTimeField())
    next_step = Subquery(steps.values("due_at")[:1], output_field=DateTimeField())
    rows = ticket_model.objects.filter(pk__in=sorted(wanted))
    rows.update(next_due=next_due, next_step=next_step, urgency_at=_key(next_due, next_step, now))
    instances = [ticket for group in wanted.values() for ticket in group]
    if instances:
        fresh = {row[0]: row[1:] for row in rows.values_list("pk", *FIELDS)}
        for ticket in instances:
            for name, value in zip(FIELDS, fresh.get(ticket.pk, ()), strict=False):
                setattr(ticket, name, value)
