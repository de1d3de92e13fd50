"""`weibao tick` and the embedded worker of `weibao serve` run the one scheduler
(`core.due.run()`): every registered due source, here a ladder step of the service desk."""

import datetime as dt
import io
import json
import time

import pytest
from django.core.management import call_command

from weibao.core import due
from weibao.core.embedded import EmbeddedWorker
from weibao.escalations.models import EscalationStep


def _due_step(desk, frozen_clock):
    ticket = desk.open(level="L2")
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=16))  # the 15-minute step is due
    return ticket.escalation_steps.get(after_minutes=15)


@pytest.mark.django_db
def test_tick_fires_what_is_due_and_prints_the_counts_by_source(desk, frozen_clock):
    step = _due_step(desk, frozen_clock)
    out = io.StringIO()
    call_command("tick", "--no-deliver", "--batch=50", stdout=out)
    counts = json.loads(out.getvalue().strip().splitlines()[-1])
    assert counts["escalations.ladder_steps"] == 1
    assert not any(
        k.startswith("notifications.delivery") for k in counts
    )  # --no-deliver: nothing sent
    step.refresh_from_db()
    assert step.fired_at is not None

    again = io.StringIO()
    call_command("tick", "--no-deliver", stdout=again)
    assert json.loads(again.getvalue())["escalations.ladder_steps"] == 0


@pytest.mark.django_db
def test_embedded_worker_runs_the_due_sources_once_per_tick(desk, frozen_clock):
    step = _due_step(desk, frozen_clock)
    counts = EmbeddedWorker(interval=60).run_once()
    assert counts["escalations.ladder_steps"] == 1
    step.refresh_from_db()
    assert step.fired_at is not None


@pytest.mark.django_db
def test_a_looping_runner_looks_at_day_sources_once_a_minute_and_at_the_desk_every_round(
    desk, frozen_clock, monkeypatch
):
    looked = []
    daily = due.DueSource(
        "test.daily", lambda *, now, limit: looked.append(now) or 0, every=due.BY_THE_DAY
    )
    monkeypatch.setitem(due._sources, daily.name, daily)
    seconds = [1000.0]
    pace = due.Pace(clock=lambda: seconds[0])
    step = _due_step(desk, frozen_clock)

    due.run(deliver=False, pace=pace)
    assert len(looked) == 1
    step.refresh_from_db()
    assert step.fired_at is not None

    # 30 s later the ladder's next step is due: fired, the daily source not looked at
    frozen_clock(step.ticket.reported_at + dt.timedelta(minutes=61))
    seconds[0] += 30
    counts = due.run(deliver=False, pace=pace)
    assert step.ticket.escalation_steps.get(after_minutes=60).fired_at is not None
    assert counts["test.daily"] == 0 and len(looked) == 1
    # `weibao tick` (no pace) looks at every source
    due.run(deliver=False)
    assert len(looked) == 2
    # a minute after its last look, the runner looks again
    seconds[0] += 31
    due.run(deliver=False, pace=pace)
    assert len(looked) == 3
    # the desk's own sources, and the alarm intake's stored deliveries, are never paced
    unpaced = {s.name for s in due.sources() if s.every == 0}
    assert {"escalations.clock_breaches", "escalations.ladder_steps", "alarms.apply",
            "incidents.correlate"} <= unpaced  # fmt: skip
    assert due._sources["repairs.overdue"].every == due.BY_THE_DAY


@pytest.mark.django_db(transaction=True)
def test_embedded_worker_thread_fires_due_steps_until_stopped(desk, frozen_clock):
    step = _due_step(desk, frozen_clock)
    worker = EmbeddedWorker(interval=0.05)
    worker.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if EscalationStep.objects.filter(pk=step.pk, fired_at__isnull=False).exists():
                break
            time.sleep(0.05)
    finally:
        worker.stop()
        worker.join(timeout=10)
    assert not worker.is_alive()
    assert EscalationStep.objects.filter(pk=step.pk, fired_at__isnull=False).exists()
