"""The one idempotent routine that processes everything due: clock breaches, ladder steps,
emergency-action deadlines and notification deliveries.

Each source is claimed in batches inside a transaction: on PostgreSQL with
`SELECT … FOR UPDATE SKIP LOCKED`, so several workers share the work and never take the same
row; on SQLite the write transaction itself serialises workers. A row is marked done in the
same transaction that writes its consequences (events, outbox rows), so a crash before commit
leaves it due for the next tick and nothing is fired twice.

A batch writes its consequences in bulk (`_Writes`): the change-log events `record_event` would
write and the outbox rows `notify` would write, each kind in one INSERT, with the lookups that
do not depend on the item (role holders, endpoints, preferences) made once per batch; the rows
are marked done with one UPDATE per distinct set of values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import operator
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.choices import Role
from weibao.accounts.selectors import holders_of_role
from weibao.core import clock, due
from weibao.core.audit import current_actor
from weibao.core.models import ChangeLog
from weibao.escalations.models import EmergencyAction, EscalationStep
from weibao.escalations.recipients import recipients_for
from weibao.notifications.choices import BROADCAST_KINDS, State
from weibao.notifications.delivery import deliver_due
from weibao.notifications.models import Notification
from weibao.notifications.services import _endpoints_for, _first_per_address, _personal_targets
from weibao.sla.models import Clock, ClockState
from weibao.tickets.choices import OPEN_STAGES

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class TickCounts:
    breaches: int = 0
    steps: int = 0
    actions: int = 0
    sent: int = 0
    failed: int = 0
    retried: int = 0
    other: int = 0  # rows of the due sources registered by other apps (weibao.core.due)

    def __add__(self, other: TickCounts) -> TickCounts:
        return TickCounts(
            *(
                a + b
                for a, b in zip(dataclasses.astuple(self), dataclasses.astuple(other), strict=False)
            )
        )

    @property
    def total(self) -> int:
        return sum(dataclasses.astuple(self))


def _claim(queryset):
    if connection.features.has_select_for_update_skip_locked:
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset


def _claim_due(queryset, limit: int) -> list:
    """Claim the first `limit` rows of `queryset` by `due_at`. On PostgreSQL they are read in
    that order from the table's partial index on due_at, whatever the statistics say: planned
    from statistics taken while little was due, the query would otherwise read, join and sort
    every due row for each batch, which makes draining a backlog (say, after an outage)
    quadratic."""
    rows = _claim(queryset).order_by("due_at")[:limit]
    if connection.vendor != "postgresql":
        return list(rows)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        rows = list(rows)
        cursor.execute("SET LOCAL enable_sort TO DEFAULT")
    return rows


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


class _Writes:
    """The consequences of one batch, written together by `save()` in the batch's transaction:
    the events `record_event` writes (see `core.audit._write`) and the outbox rows `notify`
    writes (one per recipient and enabled personal channel, plus one per subscribed robot or
    webhook endpoint; a conflicting dedupe key is skipped, never doubled)."""

    def __init__(self) -> None:
        self.events: list[ChangeLog] = []
        self.messages: list[Notification] = []
        self._holders: dict[tuple, list] = {}
        self._endpoints: dict[int | None, list] = {}
        self._targets: dict[tuple, list] = {}

    def holders(self, role: str, customer_id: int | None) -> list:
        if (role, customer_id) not in self._holders:
            self._holders[role, customer_id] = holders_of_role(role, customer_id)
        return self._holders[role, customer_id]

    def event(self, ticket, *, kind: str, message: str) -> None:
        actor = current_actor()
        scope = ticket.archive_scope()
        self.events.append(
            ChangeLog(
                at=clock.now(),
                actor=actor,
                actor_name=(actor.get_full_name() or actor.get_username()) if actor else "",
                action=ChangeLog.Action.EVENT,
                kind=kind,
                content_type=ContentType.objects.get_for_model(ticket, for_concrete_model=False),
                object_id=str(ticket.pk),
                object_repr=str(ticket)[:200],
                changes={},
                message=message,
                customer_id=scope.get("customer"),
                site_id=scope.get("site"),
                asset_id=scope.get("asset"),
            )
        )

    def notify(self, *, recipients: Iterable, kind: str, dedupe_key: str, customer, **fields):
        recipients = list({user.pk: user for user in recipients if user is not None}.values())
        customer_id = customer.pk if customer is not None else None
        if customer_id not in self._endpoints:
            self._endpoints[customer_id] = _endpoints_for(customer)
        endpoints = self._endpoints[customer_id]
        key = (customer_id, *(user.pk for user in recipients))
        if key not in self._targets:
            self._targets[key] = list(_personal_targets(recipients, endpoints, customer))
        now = clock.now()
        common = {
            **fields, "subject": fields["subject"][:200], "kind": kind, "dedupe_key": dedupe_key,
            "customer": customer, "payload": {}, "state": State.PENDING, "next_attempt_at": now,
            "created_at": now, "updated_at": now,
        }  # fmt: skip
        rows = [
            Notification(channel=channel, address=address, recipient=user, endpoint=ep, **common)
            for user, channel, address, ep in self._targets[key]
        ]
        rows += [
            Notification(channel=ep.kind, address=ep.name, endpoint=ep, **common)
            for ep in endpoints
            if ep.kind in BROADCAST_KINDS and ep.subscribes_to(kind)
        ]
        self.messages += _first_per_address(rows)

    def save(self) -> None:
        _insert(self.messages, ignore_conflicts=True)  # like notify: never a message twice
        _insert(self.events)


def _insert(rows: list[models.Model], *, ignore_conflicts: bool = False) -> None:
    """`bulk_create(rows)` for new rows of one model, without setting their primary keys; on
    PostgreSQL with COPY, several times cheaper for the thousands of rows a batch writes.
    COPY cannot skip a row that breaks a unique constraint: when one does, the rows are
    written again with `ignore_conflicts` (rare: the message was already in the outbox)."""
    if not rows:
        return
    model = type(rows[0])
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows, batch_size=500, ignore_conflicts=ignore_conflicts)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    getters = [_column_value(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    copy_sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    try:
        with (
            transaction.atomic(),  # a savepoint, to carry on after a conflict
            connection.cursor() as cursor,
            connection.wrap_database_errors,  # psycopg's errors as Django's
            cursor.copy(copy_sql) as copy,
        ):
            for row in rows:
                copy.write_row([get(row) for get in getters])
    except IntegrityError:
        if not ignore_conflicts:
            raise
        model.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)


def _column_value(field: models.Field) -> Callable[[models.Model], object]:
    """What COPY writes for `field` of a row: the attribute, or for JSON its encoded text."""
    if isinstance(field, models.JSONField):

        def encoded(row):
            value = getattr(row, field.attname)
            return None if value is None else json.dumps(value, cls=field.encoder)

        return encoded
    return operator.attrgetter(field.attname)


def _labels(model: type[models.Model], field: str) -> dict:
    """What `get_<field>_display()` answers for each choice, translated once per batch."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _mark(rows: list[models.Model], fields: list[str]) -> None:
    """Save `fields` of `rows`: one UPDATE per distinct set of values (a batch has few)."""
    groups = defaultdict(list)
    for row in rows:
        groups[tuple(getattr(row, name) for name in fields)].append(row.pk)
    for values, pks in groups.items():
        type(rows[0]).objects.filter(pk__in=pks).update(**dict(zip(fields, values, strict=True)))


def fire_due_steps(*, now: dt.datetime, limit: int) -> int:
    """Fire the ladder steps due by `now` (ESC-1); each exactly once."""
    with transaction.atomic():
        steps = _claim_due(
            EscalationStep.objects.filter(
                fired_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now
            )
            .select_related("ticket", "ticket__assigned_engineer")
            .defer("ticket__policy"),
            limit,
        )
        prefetch_related_objects(steps, "ticket__customer", "ticket__site")
        writes = _Writes()
        cache: dict[tuple, list] = {}
        targets = _labels(EscalationStep, "target")
        subject = _("【%(level)s 升级】%(ticket)s 已 %(minutes)d 分钟未解决")
        body = _("%(customer)s %(site)s：%(phenomenon)s\n报告：%(reported)s\n请%(target)s介入。")
        message = _("升级：报告后 %(minutes)d 分钟通知%(target)s（%(n)d 人）")
        for step in steps:
            ticket = step.ticket
            if ticket.stage not in OPEN_STAGES:
                step.cancelled_at = now
                continue
            key = (step.target, ticket.customer_id, ticket.assigned_engineer_id)
            if key not in cache:
                cache[key] = recipients_for(
                    step.target, customer_id=ticket.customer_id, engineer=ticket.assigned_engineer
                )
            people = cache[key]
            target = targets.get(step.target, step.target)
            step.fired_at = now
            step.recipients = len(people)
            writes.notify(
                recipients=people,
                subject=subject
                % {"level": ticket.level, "ticket": ticket.number, "minutes": step.after_minutes},
                body=body
                % {
                    "customer": ticket.customer,
                    "site": ticket.site or "",
                    "phenomenon": ticket.fault_phenomenon,
                    "reported": _local(ticket.reported_at),
                    "target": target,
                },
                kind="escalation",
                dedupe_key=f"step:{step.pk}",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            writes.event(
                ticket,
                kind="ticket.escalation",
                message=message
                % {"minutes": step.after_minutes, "target": target, "n": len(people)},
            )
        writes.save()
        _mark(steps, ["fired_at", "cancelled_at", "recipients"])
    return sum(1 for s in steps if s.fired_at == now)


def breach_due_clocks(*, now: dt.datetime, limit: int) -> int:
    """Record breaches when they happen (SLA-6): a running clock past its deadline."""
    with transaction.atomic():
        clocks = _claim_due(
            Clock.objects.filter(state=ClockState.RUNNING, due_at__lte=now)
            .select_related("ticket", "ticket__assigned_engineer")
            .defer("ticket__policy"),
            limit,
        )
        prefetch_related_objects(clocks, "ticket__customer")
        writes = _Writes()
        kinds = _labels(Clock, "kind")
        subject = _("【超时】%(ticket)s %(clock)s 已超过时限")
        body = _("%(customer)s：%(phenomenon)s\n截止时间：%(due)s")
        message = _("%(clock)s超时（截止 %(due)s）")
        for item in clocks:
            item.state = ClockState.BREACHED
            item.breached_at = item.due_at
            ticket = item.ticket
            people = writes.holders(Role.MAINTENANCE_MANAGER, ticket.customer_id) + (
                [ticket.assigned_engineer] if ticket.assigned_engineer_id else []
            )
            kind, due = kinds.get(item.kind, item.kind), _local(item.due_at)
            writes.notify(
                recipients=people,
                subject=subject % {"ticket": ticket.number, "clock": kind},
                body=body
                % {"customer": ticket.customer, "phenomenon": ticket.fault_phenomenon, "due": due},
                kind="breach",
                dedupe_key=f"clock:{item.pk}:breach",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            writes.event(
                ticket, kind="ticket.breach", message=message % {"clock": kind, "due": due}
            )
        writes.save()
        # breached_at differs per clock: it is the clock's own deadline
        Clock.objects.filter(pk__in=[item.pk for item in clocks]).update(
            state=ClockState.BREACHED, breached_at=models.F("due_at")
        )
    return len(clocks)


def flag_overdue_actions(*, now: dt.datetime, limit: int) -> int:
    """An L1 emergency action past its deadline and not done: its owners and the maintenance
    manager are told (ESC-4: overruns follow the escalation procedure)."""
    with transaction.atomic():
        actions = _claim_due(
            EmergencyAction.objects.filter(
                done_at__isnull=True, overdue_at__isnull=True, waived_reason="",
                due_at__lte=now,
            ).select_related("ticket").defer("ticket__policy"),
            limit,
        )  # fmt: skip
        prefetch_related_objects(actions, "ticket__customer")
        writes = _Writes()
        subject = _("【应急超期】%(ticket)s：%(action)s")
        body = _("期限 %(due)s 已过，行动尚未完成。")
        message = _("应急行动超期：%(label)s")
        for action in actions:
            action.overdue_at = now
            ticket = action.ticket
            if ticket.stage not in OPEN_STAGES:
                continue
            people = writes.holders(action.owner_role, ticket.customer_id)
            people = people + writes.holders(Role.MAINTENANCE_MANAGER, ticket.customer_id)
            writes.notify(
                recipients=list(dict.fromkeys(people)),
                subject=subject % {"ticket": ticket.number, "action": action.label},
                body=body % {"due": _local(action.due_at)},
                kind="emergency_action",
                dedupe_key=f"action:{action.pk}:overdue",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            writes.event(ticket, kind="ticket.action", message=message % {"label": action.label})
        writes.save()
        _mark(actions, ["overdue_at"])
    return len(actions)


def _drain(step: Callable[..., int], *, now: dt.datetime, batch: int) -> int:
    total = 0
    while True:
        done = step(now=now, limit=batch)
        total += done
        if done < batch:
            return total


def tick(*, batch: int = 500, deliver: bool = True) -> TickCounts:
    """Process whatever is due now, once. Safe to run concurrently and repeatedly."""
    now = clock.now()
    counts = TickCounts(
        breaches=_drain(breach_due_clocks, now=now, batch=batch),
        steps=_drain(fire_due_steps, now=now, batch=batch),
        actions=_drain(flag_overdue_actions, now=now, batch=batch),
    )
    # Every other app's deadlines (repairs, loans, sales, complaints, inspections, renewals…)
    counts += TickCounts(
        other=sum(due.drain(source.process, now=now, batch=batch) for source in due.sources())
    )
    if deliver:
        delivered = deliver_due(limit=batch)
        counts += TickCounts(
            sent=delivered.sent, failed=delivered.failed, retried=delivered.retried
        )
    return counts
