"""`weibao worker`: two Celery workers with Redis over one PostgreSQL fire due steps once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest
from django.db import connection

from weibao.core.models import ChangeLog
from weibao.escalations.choices import StepKind
from weibao.escalations.models import EscalationStep
from weibao.escalations.tests.test_workers import ROOT, _many_due_steps, _worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
BROKER = "redis://127.0.0.1:6379/14"


@pytest.fixture(autouse=True)
def postgres_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("Celery workers share one PostgreSQL")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail("CI needs Redis at 127.0.0.1:6379 for the Celery worker test")
        pytest.skip("no Redis at 127.0.0.1:6379")


def test_two_celery_workers_fire_every_due_step_once(desk, tmp_path):
    _many_due_steps(desk, 800)
    env = {**_worker_env(), "WEIBAO_BROKER_URL": BROKER, "WEIBAO_VAR_DIR": str(tmp_path)}
    workers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "worker", "--loglevel=WARNING"],
            env={**env, "WEIBAO_VAR_DIR": str(tmp_path / f"w{i}")},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if not EscalationStep.objects.filter(
                kind=StepKind.LADDER, fired_at__isnull=True
            ).exists():
                break
            assert all(w.poll() is None for w in workers), workers[0].stderr.read()
            time.sleep(0.5)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)

    assert EscalationStep.objects.filter(kind=StepKind.LADDER, fired_at__isnull=True).count() == 0
    assert ChangeLog.objects.filter(kind="ticket.escalation").count() == 800


def test_worker_without_broker_explains_itself():
    env = {**_worker_env(), "WEIBAO_BROKER_URL": ""}
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "WEIBAO_BROKER_URL" in result.stderr
