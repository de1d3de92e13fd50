"""Writes for clocks: start, meet, pause/resume and re-plan after a level change. Each one
refreshes the ticket's urgency key (`weibao.sla.urgency`), which the queue sorts by.

Callers run these inside their own transaction (the ticket services do).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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
    "start_new_clocks",
]


def start_clock(ticket, kind: str, *, at: dt.datetime) -> Clock | None:
    """Start the clock of `kind` at `at` unless the policy has no target for this level or the
    clock already runs (starting twice changes nothing)."""
    values = _clock_values(ticket, kind, at)
    if values is None:
        return None
    clock, created = Clock.objects.get_or_create(ticket=ticket, kind=kind, defaults=values)
    if created:
        urgency.refresh([ticket])
    return clock


def start_new_clocks(starts: Iterable[tuple[object, str, dt.datetime]]) -> list[Clock]:
    """Start clocks of tickets created in this transaction, given as (ticket, kind, at): none
    of them can exist yet, so they are written in one INSERT without a look-up first. A kind
    the ticket's policy sets no target for is not started, as in `start_clock`."""
    clocks = []
    for ticket, kind, at in starts:
        values = _clock_values(ticket, kind, at)
        if values is not None:
            clocks.append(Clock(ticket=ticket, kind=kind, **values))
    Clock.objects.bulk_create(clocks)
    urgency.refresh({clock.ticket_id: clock.ticket for clock in clocks}.values())
    return clocks


def _clock_values(ticket, kind: str, at: dt.datetime) -> dict | None:
    budget = engine.budget_minutes(ticket.frozen_policy, kind, ticket.level_key, _distance(ticket))
    if budget is None:
        return None
    return {"budget_minutes": budget, "started_at": at,
            "due_at": engine.due_at(at, budget, dt.timedelta())}  # fmt: skip


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
