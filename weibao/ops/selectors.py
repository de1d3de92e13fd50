"""Reads of the ops app: is this installation ready, and the numbers /metrics exposes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min

from weibao.core import clock
from weibao.notifications.choices import State
from weibao.notifications.models import Notification
from weibao.notifications.selectors import is_provider_staff
from weibao.ops.models import TICK, Heartbeat

# A runner ticks every WEIBAO_TICK_SECONDS (1 s by default); a last tick older than this
# means escalations and notifications have stopped.
STALE_AFTER = dt.timedelta(seconds=60)


def last_tick_at() -> dt.datetime | None:
    """When the scheduler last completed a run, in any process; None if it never has."""
    return Heartbeat.objects.filter(name=TICK).values_list("last_tick_at", flat=True).first()


def tick_age(now: dt.datetime | None = None) -> float | None:
    """Seconds since the last completed run (never negative); None if there was none."""
    at = last_tick_at()
    if at is None:
        return None
    return max(0.0, ((now or clock.now()) - at).total_seconds())


def runner_stopped(now: dt.datetime | None = None) -> bool:
    """The runner has ticked in this installation but not in the last 60 s."""
    age = tick_age(now)
    return age is not None and age > STALE_AFTER.total_seconds()


def show_runner_stopped(user) -> bool:
    """Whether `user`'s pages carry the "升级与通知已停止" banner: the service desk's own
    people, while the runner is stopped."""
    return is_provider_staff(user) and runner_stopped()


def notification_counts(now: dt.datetime | None = None) -> dict[str, Any]:
    """The outbox: `pending` (not yet sent, including those waiting for a retry), `failed`
    (given up) and `oldest_pending_age` (seconds, None when nothing is pending)."""
    now = now or clock.now()
    by_state = dict(
        Notification.objects.filter(state__in=[State.PENDING, State.FAILED])
        .values_list("state")
        .annotate(n=Count("id"))
        .values_list("state", "n")
    )
    oldest = Notification.objects.filter(state=State.PENDING).aggregate(at=Min("created_at"))["at"]
    return {
        "pending": by_state.get(State.PENDING, 0),
        "failed": by_state.get(State.FAILED, 0),
        "oldest_pending_age": None if oldest is None else max(0.0, (now - oldest).total_seconds()),
    }


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Migrations on disk not applied to the database, as "app.name"."""
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _database() -> dict[str, Any]:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _migrations() -> dict[str, Any]:
    pending = pending_migrations()
    return {"ok": not pending, "pending": pending}


def _runner() -> dict[str, Any]:
    now = clock.now()
    at = last_tick_at()
    age = None if at is None else max(0.0, (now - at).total_seconds())
    return {
        "ok": age is not None and age <= STALE_AFTER.total_seconds(),
        "last_tick_at": at.isoformat() if at else None,
        "age_seconds": None if age is None else round(age, 1),
        "stale_after_seconds": int(STALE_AFTER.total_seconds()),
    }


def _outbox() -> dict[str, Any]:
    counts = notification_counts()
    age = counts["oldest_pending_age"]
    # Reported, not judged: a backlog does not make this process unfit to serve.
    return {
        "ok": True,
        "pending": counts["pending"],
        "failed": counts["failed"],
        "oldest_pending_age_seconds": None if age is None else round(age, 1),
    }


CHECKS = {
    "database": _database,
    "migrations": _migrations,
    "runner": _runner,
    "outbox": _outbox,
}


def readiness() -> dict[str, Any]:
    """Every check's result by name, `ready` when all are ok and `failing` naming the others.
    When the database cannot be reached, the checks that need it are not run."""
    checks: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        if name != "database" and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "error": "database unreachable"}
            continue
        try:
            checks[name] = check()
        except Exception as exc:
            checks[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    failing = [name for name, result in checks.items() if not result["ok"]]
    return {"ready": not failing, "failing": failing, "checks": checks}
