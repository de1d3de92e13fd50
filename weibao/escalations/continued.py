"""ESC-4: a fault still open after the last step of its ladder keeps escalating, on the
cadence its contract sets (policy terms `continued_escalation_manager_minutes`, default every
4 hours to the maintenance manager, and `continued_escalation_gm_minutes`, default daily to
the service centre's general manager), until it is resolved.

The repeats are ordinary `EscalationStep` rows of kind `continued` with `repeat_minutes`:
when the ladder's last step fires, the first repeat of each target is planned; when a repeat
fires, the next one is planned — in the same transaction as the firing, so each is planned
exactly once. Two workers may fire different steps of one ladder at once (each claims its own
rows); whether the ladder is done is decided by one after the other (`core.bulk.serialize`),
so the second sees the first's steps fired and plans the repeats. Resolving the ticket
cancels the pending repeats like any pending step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from weibao.contracts.policy import DEFAULT_TERMS, EscalationTarget
from weibao.core.bulk import insert, serialize
from weibao.escalations.choices import StepKind
from weibao.escalations.models import EscalationStep

CADENCE_TERMS = {
    EscalationTarget.MAINTENANCE_MANAGER: "continued_escalation_manager_minutes",
    EscalationTarget.SERVICE_CENTER_GM: "continued_escalation_gm_minutes",
}


def cadence(ticket) -> dict[str, int]:
    """Minutes between repeats per target, from the ticket's frozen policy (the defaults for
    tickets frozen before these terms existed)."""
    terms = {**DEFAULT_TERMS, **(ticket.policy or {}).get("terms", {})}
    return {target: int(terms[term]) for target, term in CADENCE_TERMS.items()}


def plan_after(steps: Iterable[EscalationStep], *, now: dt.datetime) -> list[EscalationStep]:
    """The repeats to plan after a batch of fired steps (unsaved; see `save`)."""
    fired = [s for s in steps if s.fired_at == now]
    if not fired:
        return []
    ticket_ids = {s.ticket_id for s in fired}
    serialize(
        "escalations.ladder_done", {s.ticket_id for s in fired if s.kind != StepKind.CONTINUED}
    )
    pending = EscalationStep.objects.filter(
        ticket_id__in=ticket_ids, fired_at__isnull=True, cancelled_at__isnull=True
    ).exclude(pk__in=[s.pk for s in steps])
    ladder_left = set(pending.filter(kind=StepKind.LADDER).values_list("ticket_id", flat=True))
    repeating = set(
        pending.filter(kind=StepKind.CONTINUED).values_list("ticket_id", "target").distinct()
    )
    policies = _policies(ticket_ids)
    planned: list[EscalationStep] = []
    last_of_ladder: dict[int, EscalationStep] = {}
    for step in fired:
        if step.kind == StepKind.CONTINUED:
            if (step.ticket_id, step.target) not in repeating:
                planned.append(_next(step.ticket, step.target, step.due_at, step.repeat_minutes,
                                     now=now))  # fmt: skip
                repeating.add((step.ticket_id, step.target))
        elif step.ticket_id not in ladder_left:
            last = last_of_ladder.get(step.ticket_id)
            if last is None or step.due_at > last.due_at:
                last_of_ladder[step.ticket_id] = step
    for ticket_id, step in last_of_ladder.items():
        step.ticket.policy = policies.get(ticket_id, {})
        for target, minutes in cadence(step.ticket).items():
            if (ticket_id, target) not in repeating:
                planned.append(_next(step.ticket, target, step.due_at, minutes, now=now))
    return planned


def ensure_continuation(ticket, *, at: dt.datetime) -> list[EscalationStep]:
    """Plan the repeats for an open ticket whose ladder has nothing left to fire (e.g. after
    its ladder was replanned and every step had already fired). Idempotent."""
    steps = EscalationStep.objects.filter(ticket=ticket)
    if not ticket.is_open or steps.filter(fired_at__isnull=True, cancelled_at__isnull=True):
        return []
    planned = [_next(ticket, target, at, minutes, now=at) for target, minutes in
               cadence(ticket).items()]  # fmt: skip
    return EscalationStep.objects.bulk_create(planned)


def save(planned: list[EscalationStep]) -> None:
    insert(planned)


def _next(ticket, target: str, after: dt.datetime, minutes: int, *, now: dt.datetime):
    """The first repeat after `after` that is still in the future (a worker that was down
    for a day sends one reminder, not six)."""
    every = dt.timedelta(minutes=max(int(minutes), 1))
    due = after + every
    if due <= now:
        due += every * ((now - due) // every + 1)
    return EscalationStep(
        ticket_id=ticket.pk,
        level=ticket.level or "",
        after_minutes=max(0, int((due - ticket.reported_at).total_seconds() // 60)),
        target=target,
        due_at=due,
        kind=StepKind.CONTINUED,
        repeat_minutes=int(minutes),
    )


def _policies(ticket_ids: set[int]) -> dict[int, dict]:
    """The frozen policy of each ticket, read through the steps' own relation (escalations
    depends on tickets only through the model relation, so tickets may call escalations)."""
    return dict(
        EscalationStep.objects.filter(ticket_id__in=ticket_ids).values_list(
            "ticket_id", "ticket__policy"
        )
    )
