"""Celery application for `weibao worker`: several workers over one PostgreSQL, with Redis as
the broker (WEIBAO_BROKER_URL). Each worker runs the same idempotent tick; the database row
locks, not the broker, make sure nothing is fired twice."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weibao.settings")

app = Celery("weibao")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_after_configure.connect
def _configure(sender, **kwargs):
    from django.conf import settings

    sender.conf.broker_url = settings.WEIBAO_BROKER_URL or "redis://127.0.0.1:6379/0"
    sender.conf.task_ignore_result = True
    sender.conf.worker_prefetch_multiplier = 1
    sender.conf.broker_connection_retry_on_startup = True
    sender.conf.beat_schedule = {
        "weibao-tick": {
            "task": "weibao.escalations.tasks.tick",
            "schedule": settings.WEIBAO_TICK_SECONDS,
            "options": {"expires": max(5.0, settings.WEIBAO_TICK_SECONDS * 5)},
        }
    }


app.autodiscover_tasks(["weibao.escalations"])
