"""The service desk's three due sources, registered with `weibao.core.due` in
`EscalationsConfig.ready()`: clock breaches (SLA-6), ladder steps (ESC-1, ESC-4) and
emergency-action deadlines (ESC-2).

Each claims a batch of due rows under row locks (`core.bulk.claim_ordered`), writes the
consequences of the whole batch together — the outbox rows through the batch outbox
(`notifications.outbox.Outbox`), the timeline events through `core.audit.EventBatch` — and
marks the rows done (`core.bulk.update_grouped`) in the same transaction, so a crash before
commit leaves them due for the next tick and nothing is fired twice.

A step or an action whose people cannot be reached goes to the next role up (see
`escalations.reach`); the redirect is written on the ticket's timeline.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db import models, transaction
from django.db.models import prefetch_related_objects

from weibao.accounts.choices import Role
from weibao.core.audit import EventBatch
from weibao.core.bulk import claim_ordered, update_grouped
from weibao.core.events import event_text
from weibao.escalations import continued
from weibao.escalations.choices import EscalationEvent, StepKind
from weibao.escalations.models import EmergencyAction, EscalationStep
from weibao.escalations.reach import chain_after, member_of, reach
from weibao.escalations.recipients import recipients_for
from weibao.notifications.choices import NotificationKind
from weibao.notifications.outbox import Outbox
from weibao.sla import urgency
from weibao.sla.choices import ClockKind
from weibao.sla.models import Clock, ClockState

BREACHES = "escalations.clock_breaches"
STEPS = "escalations.ladder_steps"
ACTIONS = "escalations.emergency_actions"


class People:
    """Who holds a target for a customer, looked up once per batch."""

    def __init__(self) -> None:
        self._cache: dict[tuple, list] = {}

    def of(self, target: str, ticket) -> list:
        engineer = ticket.assigned_engineer if ticket.assigned_engineer_id else None
        key = (target, ticket.customer_id, engineer.pk if engineer else None)
        if key not in self._cache:
            self._cache[key] = recipients_for(
                target, customer_id=ticket.customer_id, engineer=engineer
            )
        return self._cache[key]


def fire_due_steps(*, now: dt.datetime, limit: int) -> int:
    """Fire the ladder steps due by `now` (ESC-1), and the repeats after the last one while
    the fault is open (ESC-4); each exactly once."""
    with transaction.atomic():
        steps = claim_ordered(
            EscalationStep.objects.filter(
                fired_at__isnull=True, cancelled_at__isnull=True, due_at__lte=now
            )
            .select_related("ticket", "ticket__assigned_engineer")
            .defer("ticket__policy"),
            limit,
        )
        prefetch_related_objects(steps, "ticket__customer", "ticket__site")
        outbox, events, people = Outbox(), EventBatch(), People()
        ladders = _ladders({step.ticket_id for step in steps})
        for step in steps:
            ticket = step.ticket
            if not ticket.is_open:
                step.cancelled_at = now
                continue
            is_ladder = step.kind == StepKind.LADDER
            found = reach(
                step.target,
                customer=ticket.customer,
                chain=chain_after(step.target, ladders.get(ticket.pk, []) if is_ladder else []),
                outbox=outbox,
                voice=is_ladder and ticket.level == "L1",
                people_of=lambda who, ticket=ticket: people.of(who, ticket),
            )
            step.fired_at = now
            step.recipients = len(found.people)
            step.redirected_to = found.reached if found.redirected else ""
            who = member_of(found.reached or step.target)
            fields = _step_message(step, ticket, len(found.people), who=who)
            outbox.add(
                recipients=found.people,
                kind=NotificationKind.ESCALATION if is_ladder else fields.pop("kind"),
                subject=fields["subject"],
                body=fields["body"],
                dedupe_key=f"step:{step.pk}",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
                payload={"ticket": ticket.number, "level": ticket.level},
                voice=is_ladder and ticket.level == "L1",
            )
            events.add(ticket, kind=fields["event"], message=fields["message"])
            if found.redirected:
                events.add(
                    ticket,
                    kind=EscalationEvent.REDIRECTED,
                    message=found.message(),
                    data=found.event_data(source="step", step=step.pk),
                )
        planned = continued.plan_after(steps, now=now)
        outbox.write()
        events.write()
        update_grouped(steps, ["fired_at", "cancelled_at", "recipients", "redirected_to"])
        continued.save(planned)
        urgency.refresh({step.ticket_id for step in steps}, now=now)
    return sum(1 for s in steps if s.fired_at == now)


def _ladders(ticket_ids: set[int]) -> dict[int, list[str]]:
    """Each ticket's ladder targets in firing order (from its planned steps)."""
    ladders: dict[int, list[str]] = defaultdict(list)
    rows = (
        EscalationStep.objects.filter(ticket_id__in=ticket_ids, kind=StepKind.LADDER)
        .order_by("ticket_id", "after_minutes", "id")
        .values_list("ticket_id", "target")
    )
    for ticket_id, target in rows:
        if target not in ladders[ticket_id]:
            ladders[ticket_id].append(target)
    return ladders


def _step_message(step, ticket, count: int, *, who) -> dict:
    if step.kind == StepKind.LADDER:
        return {
            # worded in each recipient's language by the outbox
            "subject": event_text(
                "【%(level)s 升级】%(ticket)s 已 %(minutes)d 分钟未解决",
                level=ticket.level,
                ticket=ticket.number,
                minutes=step.after_minutes,
            ),
            "body": event_text(
                "%(customer)s %(site)s：%(phenomenon)s\n报告：%(reported)s\n请%(target)s介入。",
                customer=ticket.customer,
                site=ticket.site or "",
                phenomenon=ticket.fault_phenomenon,
                reported=ticket.reported_at,
                target=who,
            ),
            "event": EscalationEvent.ESCALATION,
            "message": event_text(
                "升级：报告后 %(minutes)d 分钟通知%(target)s（%(n)d 人）",
                minutes=step.after_minutes,
                target=who,
                n=count,
            ),
        }
    hours = step.after_minutes // 60
    return {
        "kind": NotificationKind.CONTINUED_ESCALATION,
        "subject": event_text("【持续升级】%(ticket)s 已 %(hours)d 小时未解决",
                              ticket=ticket.number, hours=hours),
        "body": event_text("%(customer)s %(site)s：%(phenomenon)s\n报告：%(reported)s\n"
                           "升级步骤已全部通知，故障仍未解决，请%(target)s督办。",
                           customer=ticket.customer, site=ticket.site or "",
                           phenomenon=ticket.fault_phenomenon, reported=ticket.reported_at,
                           target=who),
        "event": EscalationEvent.CONTINUED,
        "message": event_text("持续升级：报告后 %(hours)d 小时仍未解决，通知%(target)s（%(n)d 人）",
                              hours=hours, target=who, n=count),
    }  # fmt: skip


def breach_due_clocks(*, now: dt.datetime, limit: int) -> int:
    """Record breaches when they happen (SLA-6): a running clock past its deadline."""
    with transaction.atomic():
        clocks = claim_ordered(
            Clock.objects.filter(state=ClockState.RUNNING, due_at__lte=now)
            .select_related("ticket", "ticket__assigned_engineer")
            .defer("ticket__policy"),
            limit,
        )
        prefetch_related_objects(clocks, "ticket__customer")
        outbox, events, people = Outbox(), EventBatch(), People()
        for item in clocks:
            item.state = ClockState.BREACHED
            item.breached_at = item.due_at
            ticket = item.ticket
            recipients = people.of(Role.MAINTENANCE_MANAGER, ticket) + (
                [ticket.assigned_engineer] if ticket.assigned_engineer_id else []
            )
            outbox.add(
                recipients=recipients,
                subject=event_text(
                    "【超时】%(ticket)s %(clock)s 已超过时限",
                    ticket=ticket.number,
                    clock=ClockKind(item.kind),
                ),
                body=event_text(
                    "%(customer)s：%(phenomenon)s\n截止时间：%(due)s",
                    customer=ticket.customer,
                    phenomenon=ticket.fault_phenomenon,
                    due=item.due_at,
                ),
                kind=NotificationKind.BREACH,
                dedupe_key=f"clock:{item.pk}:breach",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            events.add(
                ticket,
                kind=EscalationEvent.BREACH,
                message=event_text(
                    "%(clock)s超时（截止 %(due)s）", clock=ClockKind(item.kind), due=item.due_at
                ),
            )
        outbox.write()
        events.write()
        # breached_at differs per clock: it is the clock's own deadline
        Clock.objects.filter(pk__in=[item.pk for item in clocks]).update(
            state=ClockState.BREACHED, breached_at=models.F("due_at")
        )
        urgency.refresh({item.ticket_id for item in clocks}, now=now)
    return len(clocks)


def flag_overdue_actions(*, now: dt.datetime, limit: int) -> int:
    """An L1 emergency action past its deadline and not done: its owners and the maintenance
    manager are told (ESC-4: overruns follow the escalation procedure); when neither can be
    reached, the next role up is (ESC-1)."""
    with transaction.atomic():
        actions = claim_ordered(
            EmergencyAction.objects.filter(
                done_at__isnull=True, overdue_at__isnull=True, waived_reason="",
                due_at__lte=now,
            ).select_related("ticket", "ticket__assigned_engineer").defer("ticket__policy"),
            limit,
        )  # fmt: skip
        prefetch_related_objects(actions, "ticket__customer")
        outbox, events, people = Outbox(), EventBatch(), People()
        for action in actions:
            action.overdue_at = now
            ticket = action.ticket
            if not ticket.is_open:
                continue
            found = reach(
                action.owner_role,
                customer=ticket.customer,
                outbox=outbox,
                people_of=lambda who, ticket=ticket: people.of(who, ticket),
            )
            managers = outbox.reachable(
                people.of(Role.MAINTENANCE_MANAGER, ticket), ticket.customer
            )
            outbox.add(
                recipients=list(dict.fromkeys(found.people + managers)),
                subject=event_text(
                    "【应急超期】%(ticket)s：%(action)s",
                    ticket=ticket.number,
                    action=action.label_text,
                ),
                body=event_text("期限 %(due)s 已过，行动尚未完成。", due=action.due_at),
                kind=NotificationKind.EMERGENCY_ACTION,
                dedupe_key=f"action:{action.pk}:overdue",
                customer=ticket.customer,
                ref_type="ticket",
                ref_id=str(ticket.pk),
            )
            events.add(
                ticket,
                kind=EscalationEvent.ACTION,
                message=event_text("应急行动超期：%(label)s", label=action.label_text),
            )
            if found.redirected:
                events.add(
                    ticket,
                    kind=EscalationEvent.REDIRECTED,
                    message=found.message(),
                    data=found.event_data(source="action", action=action.code),
                )
        outbox.write()
        events.write()
        update_grouped(actions, ["overdue_at"])
    return len(actions)
