"""/healthz, /readyz and /metrics over real HTTP (Django's test client) on the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.migrations.recorder import MigrationRecorder

from weibao.core import due
from weibao.escalations.models import EscalationStep
from weibao.notifications.choices import State
from weibao.notifications.models import Notification
from weibao.notifications.services import notify

pytestmark = pytest.mark.django_db

TOKEN = "metrics-s3cret"


@pytest.fixture
def ticked(frozen_clock):
    """The scheduler ran at 2026-03-02 03:00 (Shanghai); returns when."""
    at = frozen_clock(dt.datetime(2026, 3, 2, 3, 0))
    due.run()
    return at


def test_healthz_answers_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_when_the_runner_ticked_in_the_last_minute(client, ticked, frozen_clock):
    frozen_clock(ticked + dt.timedelta(seconds=59))
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["ready"] is True and body["failing"] == []
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"] == {"ok": True, "pending": []}
    assert body["checks"]["runner"]["age_seconds"] == 59.0


def test_not_ready_when_the_runner_is_stale(client, ticked, frozen_clock):
    frozen_clock(ticked + dt.timedelta(seconds=61))
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["ready"] is False
    assert body["failing"] == ["runner"]
    assert body["checks"]["runner"]["age_seconds"] == 61.0


def test_not_ready_when_the_runner_never_ticked(client):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["runner"]
    assert response.json()["checks"]["runner"]["last_tick_at"] is None


def test_not_ready_with_a_migration_not_applied(client, ticked):
    MigrationRecorder.Migration.objects.filter(app="ops", name="0001_initial").delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"]["pending"] == ["ops.0001_initial"]


def test_readyz_reports_the_outbox_backlog(client, ticked, frozen_clock, django_user_model):
    from weibao.testing.factories import UserFactory

    notify(
        recipients=[UserFactory(email="duty@example.com")],
        subject="工单升级",
        body="…",
        kind="escalation",
        dedupe_key="backlog-1",
    )
    frozen_clock(ticked + dt.timedelta(seconds=45))
    outbox = client.get("/readyz").json()["checks"]["outbox"]
    assert outbox["pending"] == 1
    assert outbox["oldest_pending_age_seconds"] == 45.0


def test_metrics_are_refused_without_a_configured_token(client, settings):
    settings.WEIBAO_METRICS_TOKEN = ""
    settings.DEBUG = False
    assert client.get("/metrics").status_code == 403
    settings.DEBUG = True  # a developer's machine
    assert client.get("/metrics").status_code == 200


def test_metrics_need_the_bearer_token(client, settings):
    settings.WEIBAO_METRICS_TOKEN = TOKEN
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION=f"Token {TOKEN}").status_code == 401
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")


def _metrics(client) -> dict[str, float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    values = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, _sep, value = line.rpartition(" ")
            values[name] = float(value)
    return values


def test_metrics_count_the_outbox_the_due_items_and_the_tick_lag(client, settings, desk):
    settings.WEIBAO_METRICS_TOKEN = TOKEN
    from weibao.core import clock

    ticket = desk.open(level="L2")
    due.run()  # the runner ticks; nothing of the ladder is due yet
    [_pending, failed] = notify(
        recipients=[desk.manager, desk.engineer],
        subject="工单升级",
        body="…",
        kind="escalation",
        dedupe_key="metrics-1",
    )
    Notification.objects.filter(pk=failed.pk).update(state=State.FAILED)
    clock.set_now(ticket.reported_at + dt.timedelta(minutes=16))  # the 15-minute step is due

    values = _metrics(client)
    assert values["weibao_tick_lag_seconds"] == 16 * 60
    assert values['weibao_due_items_waiting{source="escalations.ladder_steps"}'] == 1
    assert values['weibao_due_items_waiting{source="escalations.clock_breaches"}'] == 0
    assert values["weibao_notifications_pending"] == 1
    assert values["weibao_notifications_failed"] == 1
    assert values["weibao_notifications_oldest_pending_age_seconds"] == 16 * 60
    assert values["weibao_database_up"] == 1
    # Measuring acted on nothing: the step is still to fire, and then fires once.
    step = ticket.escalation_steps.get(after_minutes=15)
    assert step.fired_at is None
    assert due.run()["escalations.ladder_steps"] == 1
    assert EscalationStep.objects.get(pk=step.pk).fired_at is not None
    values = _metrics(client)
    assert values['weibao_due_items_waiting{source="escalations.ladder_steps"}'] == 0
    assert values["weibao_tick_lag_seconds"] == 0


def test_metrics_have_request_latency_histograms(client, settings):
    settings.WEIBAO_METRICS_TOKEN = TOKEN
    before = _metrics(client).get(
        'weibao_http_request_duration_seconds_count{method="GET",status="2xx",view="ops:healthz"}',
        0,
    )
    client.get("/healthz")
    client.get("/healthz")
    after = _metrics(client)
    key = 'weibao_http_request_duration_seconds_count{method="GET",status="2xx",view="ops:healthz"}'
    assert after[key] == before + 2
    bucket = (
        'weibao_http_request_duration_seconds_bucket{le="+Inf",method="GET",status="2xx",'
        'view="ops:healthz"}'
    )
    assert after[bucket] == after[key]
