"""Several workers over one PostgreSQL: every due step fires exactly once, also when a worker
is killed with SIGKILL in the middle of a batch."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from weibao.core.models import ChangeLog
from weibao.escalations.choices import StepKind
from weibao.escalations.desk import fire_due_steps
from weibao.escalations.models import EscalationStep
from weibao.testing.races import committed_on_exit
from weibao.tickets.models import Ticket

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("several worker processes need PostgreSQL")


def _worker_env() -> dict:
    settings = connection.settings_dict
    url = (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )
    return {**os.environ, "WEIBAO_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}


def _tick_process(batch: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "tick", "--no-deliver", f"--batch={batch}"],
        env=_worker_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _many_due_steps(desk, count: int) -> None:
    """`count` due steps on open tickets, written in bulk (the fixture's own tickets would
    take minutes to open one by one)."""
    template = desk.open(level="L3")
    EscalationStep.objects.all().delete()
    tickets = Ticket.objects.bulk_create(
        Ticket(
            customer=desk.customer, site=desk.site, channel="alarm", request_type="fault",
            level="L3", fault_phenomenon=f"告警 {i}", reported_at=template.reported_at,
            contact_name="平台", contact_phone="0", policy=template.policy,
            number=f"BULK-{i:05d}",
        )
        for i in range(count // 4)
    )  # fmt: skip
    due = template.reported_at - dt.timedelta(minutes=5)
    EscalationStep.objects.bulk_create(
        EscalationStep(ticket=t, level="L3", after_minutes=15 * (k + 1),
                       target="field_engineer", due_at=due)
        for t in tickets
        for k in range(4)
    )  # fmt: skip


def _steps_fired(counts: dict) -> int:
    """Ladder steps a `tick` run fired: `TickCounts` names them `steps`, `core.due.run()`
    by their source."""
    return counts.get("steps", counts.get("escalations.ladder_steps", 0))


def _assert_each_fired_once(count: int) -> None:
    ladder = EscalationStep.objects.filter(kind=StepKind.LADDER)
    assert ladder.filter(fired_at__isnull=True).count() == 0
    assert ladder.count() == count
    # ESC-4: after its last step each open ticket repeats once per target, planned once
    # (planned from the wall clock the workers run on: a repeat may come due during the run,
    # so count the rows planned — fired or not — not the ones still waiting)
    repeats = EscalationStep.objects.filter(kind=StepKind.CONTINUED)
    assert repeats.count() == 2 * (count // 4)
    assert repeats.values("ticket", "target").distinct().count() == 2 * (count // 4)
    # one escalation event per fired step: a step fired twice would have written two
    assert ChangeLog.objects.filter(kind="ticket.escalation").count() == count


def test_three_workers_fire_10000_due_steps_each_exactly_once(desk):
    _many_due_steps(desk, 10_000)

    workers = [_tick_process(batch=200) for _ in range(3)]
    outputs = [w.communicate(timeout=600) for w in workers]

    for worker, (_out, err) in zip(workers, outputs, strict=True):
        assert worker.returncode == 0, err
    fired = [_steps_fired(json.loads(out.strip().splitlines()[-1])) for out, _ in outputs]
    assert sum(fired) == 10_000
    assert sum(1 for n in fired if n > 0) >= 2, f"work was not shared: {fired}"
    _assert_each_fired_once(10_000)


def test_two_workers_firing_the_steps_of_one_ladder_at_once_plan_its_repeats(desk):
    """ESC-4 across workers: one worker holds the first steps of a ticket's ladder, another
    claims the last (SKIP LOCKED), both fire at the same moment. Each sees the other's steps
    unfired until it commits; still, the repeats after the ladder are planned, once."""
    ticket = desk.open(level="L3")
    ladder = EscalationStep.objects.filter(ticket=ticket, kind=StepKind.LADDER)
    now = ticket.reported_at + dt.timedelta(days=1)
    ladder.update(due_at=ticket.reported_at)

    with committed_on_exit(lambda: fire_due_steps(now=now, limit=ladder.count() - 1)):
        # the other worker claims the last step and decides while the first still holds
        worker = threading.Thread(target=in_own_connection, args=(now,))
        worker.start()
        worker.join(1)
    worker.join(30)

    assert not ladder.filter(fired_at__isnull=True).exists()
    repeats = EscalationStep.objects.filter(ticket=ticket, kind=StepKind.CONTINUED)
    assert sorted(repeats.values_list("target", flat=True)) == [
        "maintenance_manager",
        "service_center_gm",
    ]


def in_own_connection(now) -> None:
    try:
        fire_due_steps(now=now, limit=10)
    finally:
        connections.close_all()


def test_worker_killed_mid_batch_loses_and_doubles_nothing(desk):
    _many_due_steps(desk, 4_000)
    victim = _tick_process(batch=500)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if EscalationStep.objects.filter(fired_at__isnull=False).exists():
            break
        time.sleep(0.02)
    victim.send_signal(signal.SIGKILL)
    victim.wait(timeout=30)
    assert victim.returncode == -signal.SIGKILL
    unfired = EscalationStep.objects.filter(kind=StepKind.LADDER, fired_at__isnull=True)
    assert unfired.exists(), "killed too late"

    survivor = _tick_process(batch=500)
    _out, err = survivor.communicate(timeout=600)
    assert survivor.returncode == 0, err
    _assert_each_fired_once(4_000)
