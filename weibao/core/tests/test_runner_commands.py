"""`weibao tick` and the embedded worker of `weibao serve` run the one scheduler
(`core.due.run()`): every registered due source, here a ladder step of the service desk."""

import datetime as dt
import io
import json
import time

import pytest
from django.core.management import call_command

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
