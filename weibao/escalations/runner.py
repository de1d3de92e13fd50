"""The one idempotent routine that processes everything due: clock breaches, ladder steps,
emergency-action deadlines and notification deliveries.

Each source is claimed in batches inside a transaction: on PostgreSQL with
`SELECT … FOR UPDATE SKIP LOCKED`, so several workers share the work and never take the same
row; on SQLite the write transaction itself serialises workers. A row is marked done in the
same transaction that writes its consequences (events, outbox rows), so a crash before commit
leaves it due for the next tick and nothing is fired twice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.accounts.choices import Role
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.escalations.models import EmergencyAction, EscalationStep
from weibao.escalations.recipients import holders_of_role, recipients_for
from weibao.notifications.delivery import deliver_due
from weibao.notifications.services import notify
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


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def fire_due_steps(*, now: dt.datetime, limit: int) -> int:
    """Fire the ladder steps due by `now` (ESC-1); each exactly once."""
    with transaction.atomic():
        steps = list(
            _claim(
                EscalationStep.objects.filter(
                    fired_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now
                ).select_related("ticket", "ticket__site", "ticket__customer")
            ).order_by("due_at")[:limit]
        )
        cache: dict[tuple, list] = {}
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
            step.fired_at = now
            step.recipients = len(people)
            notify(
                recipients=people,
                subject=_("【%(level)s 升级】%(ticket)s 已 %(minutes)d 分钟未解决")
                % {"level": ticket.level, "ticket": ticket.number, "minutes": step.after_minutes},
                body=_(
                    "%(customer)s %(site)s：%(phenomenon)s\n报告：%(reported)s\n请%(target)s介入。"
                )
                % {
                    "customer": ticket.customer,
                    "site": ticket.site or "",
                    "phenomenon": ticket.fault_phenomenon,
                    "reported": _local(ticket.reported_at),
                    "target": step.get_target_display(),
                },
                kind="escalation",
                dedupe_key=f"step:{step.pk}",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            record_event(
                ticket,
                kind="ticket.escalation",
                message=_("升级：报告后 %(minutes)d 分钟通知%(target)s（%(n)d 人）")
                % {"minutes": step.after_minutes, "target": step.get_target_display(),
                   "n": len(people)},
            )  # fmt: skip
        EscalationStep.objects.bulk_update(steps, ["fired_at", "cancelled_at", "recipients"])
    return sum(1 for s in steps if s.fired_at == now)


def breach_due_clocks(*, now: dt.datetime, limit: int) -> int:
    """Record breaches when they happen (SLA-6): a running clock past its deadline."""
    with transaction.atomic():
        clocks = list(
            _claim(
                Clock.objects.filter(state=ClockState.RUNNING, due_at__lte=now).select_related(
                    "ticket", "ticket__customer"
                )
            ).order_by("due_at")[:limit]
        )
        managers: dict[int, list] = {}
        for item in clocks:
            item.state = ClockState.BREACHED
            item.breached_at = item.due_at
            ticket = item.ticket
            if ticket.customer_id not in managers:
                managers[ticket.customer_id] = holders_of_role(
                    Role.MAINTENANCE_MANAGER, ticket.customer_id
                )
            people = managers[ticket.customer_id] + (
                [ticket.assigned_engineer] if ticket.assigned_engineer_id else []
            )
            notify(
                recipients=people,
                subject=_("【超时】%(ticket)s %(clock)s 已超过时限")
                % {"ticket": ticket.number, "clock": item.get_kind_display()},
                body=_("%(customer)s：%(phenomenon)s\n截止时间：%(due)s")
                % {"customer": ticket.customer, "phenomenon": ticket.fault_phenomenon,
                   "due": _local(item.due_at)},
                kind="breach",
                dedupe_key=f"clock:{item.pk}:breach",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )  # fmt: skip
            record_event(
                ticket,
                kind="ticket.breach",
                message=_("%(clock)s超时（截止 %(due)s）")
                % {"clock": item.get_kind_display(), "due": _local(item.due_at)},
            )
        Clock.objects.bulk_update(clocks, ["state", "breached_at"])
    return len(clocks)


def flag_overdue_actions(*, now: dt.datetime, limit: int) -> int:
    """An L1 emergency action past its deadline and not done: its owners and the maintenance
    manager are told (ESC-4: overruns follow the escalation procedure)."""
    with transaction.atomic():
        actions = list(
            _claim(
                EmergencyAction.objects.filter(
                    done_at__isnull=True, overdue_at__isnull=True, waived_reason="",
                    due_at__lte=now,
                ).select_related("ticket", "ticket__customer")
            ).order_by("due_at")[:limit]
        )  # fmt: skip
        for action in actions:
            action.overdue_at = now
            ticket = action.ticket
            if ticket.stage not in OPEN_STAGES:
                continue
            people = holders_of_role(action.owner_role, ticket.customer_id)
            people += holders_of_role(Role.MAINTENANCE_MANAGER, ticket.customer_id)
            notify(
                recipients=list(dict.fromkeys(people)),
                subject=_("【应急超期】%(ticket)s：%(action)s")
                % {"ticket": ticket.number, "action": action.label},
                body=_("期限 %(due)s 已过，行动尚未完成。") % {"due": _local(action.due_at)},
                kind="emergency_action",
                dedupe_key=f"action:{action.pk}:overdue",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            message = _("应急行动超期：%(label)s") % {"label": action.label}
            record_event(ticket, kind="ticket.action", message=message)
        EmergencyAction.objects.bulk_update(actions, ["overdue_at"])
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
    if deliver:
        delivered = deliver_due(limit=batch)
        counts += TickCounts(
            sent=delivered.sent, failed=delivered.failed, retried=delivered.retried
        )
    return counts
