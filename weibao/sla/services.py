"""Writes for clocks: start, meet, pause/resume and re-plan after a level change. Each one
refreshes the ticket's urgency key (`weibao.sla.urgency`), which the queue sorts by.

Callers run these inside their own transaction (the ticket services do).
"""

from __future__ import annotations

import datetime as dt

from weibao.sla import engine, urgency
from weibao.sla.choices import OPEN_CLOCK_STATES, ClockKind
from weibao.sla.models import Clock, ClockState

__all__ = [
    "ClockKind",
    "close_open_clocks",
    "meet_clock",
    "pause_clocks",
    "replan_clocks",
    "resume_clocks",
    "start_clock",
]


def start_clock(ticket, kind: str, *, at: dt.datetime, new: bool = False) -> Clock | None:
    """Start the clock of `kind` at `at` unless the policy has no target for this level or the
    clock already runs (starting twice changes nothing). `new`: the ticket was created in this
    transaction, so none of its clocks can exist yet (one INSERT, no look-up first)."""
    budget = engine.budget_minutes(ticket.frozen_policy, kind, ticket.level_key, _distance(ticket))
    if budget is None:
        return None
    values = {"budget_minutes": budget, "started_at": at,
              "due_at": engine.due_at(at, budget, dt.timedelta())}  # fmt: skip
    if new:
        clock, _created = Clock.objects.create(ticket=ticket, kind=kind, **values), True
    else:
        clock, _created = Clock.objects.get_or_create(ticket=ticket, kind=kind, defaults=values)
    if _created:
        urgency.refresh([ticket])
    return clock


def meet_clock(ticket, kind: str, *, at: dt.datetime) -> Clock | None:
    """Record that the promise of `kind` was kept at `at` (late or not). A clock closed unmet
    (its ticket was resolved first) stays unmet."""
    clock = Clock.objects.select_for_update().filter(ticket=ticket, kind=kind).first()
    if clock is None or clock.met_at is not None or clock.state == ClockState.UNMET:
        return clock
    if clock.state == ClockState.PAUSED:
        _resume(clock, at)
    clock.met_at = at
    if clock.state != ClockState.BREACHED:
        clock.state = ClockState.MET
    clock.save(update_fields=["met_at", "state", "due_at", "paused_at", "paused_seconds"])
    urgency.refresh([ticket])
    return clock


def close_open_clocks(ticket, *, at: dt.datetime) -> list[Clock]:
    """The ticket is resolved (SLA-6): every clock still running or paused is closed as
    `unmet` at `at` — resolving is no evidence that the engineer responded or arrived. A clock
    that never started has no row and is not counted; a breached one keeps its breach."""
    clocks = list(
        Clock.objects.select_for_update().filter(
            ticket=ticket, state__in=OPEN_CLOCK_STATES, met_at__isnull=True
        )
    )
    for clock in clocks:
        if clock.state == ClockState.PAUSED:
            _resume(clock, at)
        clock.state = ClockState.UNMET
        clock.closed_at = at
        clock.due_at = None
        clock.save(update_fields=["state", "closed_at", "due_at", "paused_at", "paused_seconds"])
    urgency.refresh([ticket])
    return clocks


def pause_clocks(ticket, *, at: dt.datetime) -> list[Clock]:
    """Pause every running clock (e.g. waiting for the customer); `due_at` is cleared."""
    clocks = list(Clock.objects.select_for_update().filter(ticket=ticket, state=ClockState.RUNNING))
    for clock in clocks:
        clock.state = ClockState.PAUSED
        clock.paused_at = at
        clock.due_at = None
        clock.save(update_fields=["state", "paused_at", "due_at"])
    if clocks:
        urgency.refresh([ticket])
    return clocks


def resume_clocks(ticket, *, at: dt.datetime) -> list[Clock]:
    """Resume paused clocks; the paused time pushes each deadline back."""
    clocks = list(Clock.objects.select_for_update().filter(ticket=ticket, state=ClockState.PAUSED))
    for clock in clocks:
        _resume(clock, at)
        clock.save(update_fields=["state", "paused_at", "paused_seconds", "due_at"])
    if clocks:
        urgency.refresh([ticket])
    return clocks


def _resume(clock: Clock, at: dt.datetime) -> None:
    clock.paused_seconds += max(0, int((at - clock.paused_at).total_seconds()))
    clock.paused_at = None
    clock.state = ClockState.RUNNING
    clock.due_at = engine.due_at(clock.started_at, clock.budget_minutes, clock.paused)


def replan_clocks(ticket) -> list[Clock]:
    """After a level change: every clock not yet met gets the new level's budget. A breach
    already recorded stays recorded — it happened."""
    changed = []
    unmet = Clock.objects.select_for_update().filter(ticket=ticket, met_at__isnull=True)
    for clock in unmet.exclude(state=ClockState.UNMET):
        budget = engine.budget_minutes(
            ticket.frozen_policy, clock.kind, ticket.level_key, _distance(ticket)
        )
        if budget is None or budget == clock.budget_minutes:
            continue
        clock.budget_minutes = budget
        if clock.state == ClockState.RUNNING or clock.state == ClockState.BREACHED:
            clock.due_at = engine.due_at(clock.started_at, budget, clock.paused)
        clock.save(update_fields=["budget_minutes", "due_at"])
        changed.append(clock)
    if changed:
        urgency.refresh([ticket])
    return changed


def _distance(ticket) -> float | None:
    return float(ticket.distance_km) if ticket.distance_km is not None else None
