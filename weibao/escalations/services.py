"""Writes for the ladder (ESC-1) and the L1 emergency actions (ESC-2, ESC-3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.core import clock, permissions
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text, with_note
from weibao.core.permissions import PermissionRefused
from weibao.escalations import continued
from weibao.escalations.choices import EscalationEvent
from weibao.escalations.models import (
    THIRD_PARTY_LABEL,
    THIRD_PARTY_TASK,
    ActionPhase,
    EmergencyAction,
    EscalationStep,
)
from weibao.escalations.notices import send_l1_notice
from weibao.escalations.reach import Notices
from weibao.notifications.choices import NotificationKind
from weibao.sla import engine, urgency

DOWNGRADE = "降级"


def plan_ladder(ticket, *, at: dt.datetime | None = None) -> list[EscalationStep]:
    """Plan the steps of 表 16 for the ticket's level, by time since `reported_at`. Steps that
    already fired for the same target and minute are not planned again. When nothing is left
    to fire (every step fired before, e.g. on reopening), the ESC-4 repeats are planned from
    `at` (default now) instead, so an open fault never stops escalating."""
    if not ticket.level:
        return []
    fired = set(
        EscalationStep.objects.filter(ticket=ticket, fired_at__isnull=False).values_list(
            "after_minutes", "target"
        )
    )
    return _plan([ticket], {ticket.pk: fired}, at=at)


def plan_new_ladders(tickets) -> list[EscalationStep]:
    """`plan_ladder` for tickets created in this transaction: none of their steps fired, so
    every ticket's ladder is planned in one INSERT without a look-up first."""
    return _plan(tickets, {}, at=None)


def _plan(tickets, fired: dict[int, set], *, at: dt.datetime | None) -> list[EscalationStep]:
    """The ladders of `tickets` with a level, but the steps `fired` (by ticket id), in one
    INSERT; a ticket left with nothing to fire gets the ESC-4 repeats from `at` (or now)."""
    tickets = [ticket for ticket in tickets if ticket.level]
    ladders = {ticket.pk: _ladder(ticket, fired.get(ticket.pk, set())) for ticket in tickets}
    planned = EscalationStep.objects.bulk_create(
        [step for steps in ladders.values() for step in steps]
    )
    for ticket in tickets:
        if not ladders[ticket.pk]:  # steps just planned are left to fire: no repeats yet
            continued.ensure_continuation(ticket, at=at or clock.now())
    urgency.refresh(tickets)
    return planned


def _ladder(ticket, fired: set) -> list[EscalationStep]:
    return [
        EscalationStep(
            ticket=ticket,
            level=ticket.level,
            after_minutes=step.after_minutes,
            target=step.target,
            due_at=ticket.reported_at + dt.timedelta(minutes=step.after_minutes),
        )
        for step in engine.ladder(ticket.frozen_policy, ticket.level)
        if (step.after_minutes, step.target) not in fired
    ]


def replan_ladder(ticket, *, at: dt.datetime) -> list[EscalationStep]:
    """After a level change: cancel the pending steps (ladder and repeats) and plan the new
    level's ladder; when all of it fired already, the ESC-4 repeats continue from `at`."""
    EscalationStep.objects.filter(
        ticket=ticket, fired_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=at)
    return plan_ladder(ticket, at=at)


def cancel_ladder(ticket, *, at: dt.datetime) -> int:
    """The ticket is resolved: the steps not yet fired will not fire."""
    cancelled = EscalationStep.objects.filter(
        ticket=ticket, fired_at__isnull=True, cancelled_at__isnull=True
    ).update(cancelled_at=at)
    urgency.refresh([ticket])
    return cancelled


STAND_DOWN_KEPT = frozenset({THIRD_PARTY_TASK})


def start_emergency_actions(ticket, *, at: dt.datetime, new: bool = False) -> list[EmergencyAction]:
    """Create the five emergency actions of §1.1.7.2, due from `at` — the moment the fault was
    judged L1 (ESC-2) — and the aftercare tasks of ESC-3; ring the centre's head and the
    maintenance manager (the 15-minute L1 notice) and tell each owner their task, or the next
    role up when nobody of the owner role can be reached (ESC-1) — all written to the outbox
    with the change. Actions stood down by an earlier downgrade are armed again from `at`.
    `new`: the ticket was created in this transaction (it has no actions yet)."""
    rearmed = [] if new else list(
        EmergencyAction.objects.select_for_update().filter(
            ticket=ticket, waived_reason=DOWNGRADE, done_at__isnull=True
        )
    )  # fmt: skip
    specs = {spec.code: spec for spec in engine.EMERGENCY_ACTIONS}
    for action in rearmed:
        spec = specs.get(action.code)
        action.waived_reason = ""
        action.overdue_at = None
        action.done_by = None
        action.due_at = _due(spec, at) if spec else None
        action.save(update_fields=["waived_reason", "overdue_at", "done_by", "due_at"])
    existing = set() if new else set(
        EmergencyAction.objects.filter(ticket=ticket).values_list("code", flat=True)
    )  # fmt: skip
    actions = EmergencyAction.objects.bulk_create(
        EmergencyAction(
            ticket=ticket,
            code=spec.code,
            label=spec.label,
            phase=spec.phase,
            owner_role=spec.owner_role,
            order=order,
            due_at=_due(spec, at),
        )
        for order, spec in enumerate(engine.EMERGENCY_ACTIONS)
        if spec.code not in existing
    )
    notices = Notices(ticket)  # holders, preferences and endpoints read once; one INSERT
    send_l1_notice(ticket, at=at, notices=notices)
    for action in [*actions, *rearmed]:
        if action.phase != ActionPhase.EMERGENCY or action.code not in specs:
            continue
        notices.notify(
            action.owner_role,
            subject=event_text(
                "【一级故障】%(ticket)s：%(action)s", ticket=ticket.number, action=action.label_text
            ),
            body=event_text(
                "%(customer)s %(site)s：%(phenomenon)s\n期限：%(due)s",
                customer=ticket.customer,
                site=ticket.site or "",
                phenomenon=ticket.fault_phenomenon,
                due=_local(action.due_at),
            ),
            kind=NotificationKind.EMERGENCY_ACTION,
            dedupe_key=f"ticket:{ticket.pk}:action:{action.code}:assigned"
            + (f":{at:%Y%m%d%H%M}" if action in rearmed else ""),
        )
    notices.write()
    return actions


def _due(spec, at: dt.datetime) -> dt.datetime | None:
    return at + dt.timedelta(minutes=spec.after_minutes) if spec.after_minutes is not None else None


def stand_down_emergency(ticket, *, reason: str = DOWNGRADE, actor=None) -> list[EmergencyAction]:
    """The fault is no longer L1 (a downgrade): pending emergency actions are cancelled (no
    overdue notices follow) and the L1 aftercare is waived, each with `reason` recorded."""
    pending = list(
        EmergencyAction.objects.select_for_update()
        .filter(ticket=ticket, done_at__isnull=True, waived_reason="")
        .exclude(code__in=STAND_DOWN_KEPT)
    )
    for action in pending:
        action.waived_reason = reason
        action.done_by = actor
        action.save(update_fields=["waived_reason", "done_by"])
    if pending:
        record_event(ticket, kind=EscalationEvent.STOOD_DOWN, actor=actor,
                     message=event_text("免除（%(reason)s）：%(labels)s", reason=reason,
                                        labels=[a.label_text for a in pending]),
                     data={"codes": [a.code for a in pending]})  # fmt: skip
    return pending


def add_third_party_task(ticket, *, detail: str) -> EmergencyAction:
    """A "联系第三方保修" task on the ticket (ESC-4) with the vendor's contact and terms; the
    support agent owns it. Adding it twice keeps one."""
    action, _created = EmergencyAction.objects.get_or_create(
        ticket=ticket,
        code=THIRD_PARTY_TASK,
        defaults={
            "label": THIRD_PARTY_LABEL,  # read translated: label_text
            "phase": ActionPhase.EMERGENCY,
            "owner_role": Role.SUPPORT_AGENT,
            "order": 0,
            "note": detail,
        },
    )
    return action


def _local(value: dt.datetime | None) -> str:
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


@transaction.atomic
def complete_action(ticket, code: str, *, actor, note: str = "") -> EmergencyAction:
    """Mark an emergency or aftercare action done by `actor` (PRM-1): a holder of its owner
    role, or whoever may complete any action (the maintenance manager). A customer's user
    completes only aftercare, by signing its document (their signature is the evidence)."""
    action = _action(ticket, code)
    _may_complete(ticket, action, actor)
    if action.settled:
        raise DomainError(_("该行动已完成或已免除。"), code="action_settled")
    action.done_at = clock.now()
    action.done_by = actor
    action.note = note
    action.save(update_fields=["done_at", "done_by", "note"])
    message = event_text("完成：%(label)s", label=action.label_text)
    message = with_note(message, note, gettext_noop("%(event)s（%(note)s）"))
    record_event(ticket, kind=EscalationEvent.ACTION, actor=actor, message=message)
    return action


@transaction.atomic
def waive_action(ticket, code: str, *, actor, reason: str) -> EmergencyAction:
    """Waive an action with a reason (e.g. the customer declined the debrief); only who may
    waive aftercare (`emergency.waive_aftercare`: the maintenance manager)."""
    if actor is not None:
        permissions.require(actor, Capability.AFTERCARE_WAIVE, customer_id=ticket.customer_id)
    if not reason.strip():
        raise DomainError(_("免除必须说明原因。"), code="reason_required", field="reason")
    action = _action(ticket, code)
    if action.settled:
        raise DomainError(_("该行动已完成或已免除。"), code="action_settled")
    action.waived_reason = reason.strip()
    action.done_by = actor
    action.save(update_fields=["waived_reason", "done_by"])
    message = event_text(
        "免除：%(label)s，原因：%(reason)s", label=action.label_text, reason=reason
    )
    record_event(ticket, kind=EscalationEvent.ACTION, actor=actor, message=message)
    return action


def _may_complete(ticket, action: EmergencyAction, actor) -> None:
    if actor is None:
        return
    customer_id = ticket.customer_id
    if actor.customer_id:
        allowed = actor.customer_id == customer_id and action.phase == ActionPhase.AFTERCARE
    else:
        allowed = permissions.can(
            actor, Capability.EMERGENCY_ANY_ACTION, customer_id=customer_id
        ) or (
            action.owner_role in actor.roles_for(customer_id)
            and permissions.can(actor, Capability.EMERGENCY_ACTION, customer_id=customer_id)
        )
    if allowed:
        return
    raise PermissionRefused(
        _("“%(action)s”由%(role)s完成；您没有完成其他角色应急行动的权限（%(code)s）。")
        % {"action": action.label_text, "role": Role(action.owner_role).label,
           "code": Capability.EMERGENCY_ANY_ACTION},
        capability=Capability.EMERGENCY_ANY_ACTION,
    )  # fmt: skip


def _action(ticket, code: str) -> EmergencyAction:
    action = EmergencyAction.objects.select_for_update().filter(ticket=ticket, code=code).first()
    if action is None:
        raise DomainError(_("没有这个应急行动：%(code)s") % {"code": code}, code="unknown_action")
    return action


def unsettled_aftercare(ticket) -> list[EmergencyAction]:
    """Aftercare tasks (ESC-3) that still stand between an L1 ticket and its closing."""
    return [a for a in ticket.emergency_actions.all() if not a.settled and a.phase == "aftercare"]
