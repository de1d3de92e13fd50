"""Prometheus metrics of Weibao (`/metrics`), with the Python client for Prometheus.

Per process: request latency (`weibao_http_request_duration_seconds`, observed by
`RequestMetricsMiddleware`) and the process's own CPU and memory. Read from the database at
each scrape, so every process answers the same: the scheduler's tick lag, the due items
waiting per source and the notification outbox."""

from __future__ import annotations

import math

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    PlatformCollector,
    ProcessCollector,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

from weibao.core import clock, due
from weibao.ops.selectors import notification_counts, tick_age

REGISTRY = CollectorRegistry()

REQUEST_SECONDS = Histogram(
    "weibao_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, view and status class.",
    ["method", "view", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
    registry=REGISTRY,
)

METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def observe_request(*, method: str, view: str, status: int, seconds: float) -> None:
    method = method if method in METHODS else "OTHER"
    REQUEST_SECONDS.labels(method, view, f"{status // 100}xx").observe(seconds)


class DatabaseCollector:
    """The numbers every process reads from the one database, at scrape time."""

    def collect(self):
        up = GaugeMetricFamily("weibao_database_up", "1 when the database answered this scrape.")
        try:
            families = list(self._from_database())
        except Exception:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _from_database(self):
        now = clock.now()
        age = tick_age(now)
        yield GaugeMetricFamily(
            "weibao_tick_lag_seconds",
            "Seconds since the scheduler last completed a run (+Inf: never).",
            value=math.inf if age is None else age,
        )
        waiting = GaugeMetricFamily(
            "weibao_due_items_waiting",
            "Rows each due source would process now.",
            labels=["source"],
        )
        for name, count in sorted(due.waiting(now=now).items()):
            waiting.add_metric([name], count)
        yield waiting
        counts = notification_counts(now)
        yield GaugeMetricFamily(
            "weibao_notifications_pending",
            "Notifications not yet sent (including those waiting for a retry).",
            value=counts["pending"],
        )
        yield GaugeMetricFamily(
            "weibao_notifications_failed",
            "Notifications given up after their last attempt.",
            value=counts["failed"],
        )
        yield GaugeMetricFamily(
            "weibao_notifications_oldest_pending_age_seconds",
            "Age of the oldest notification not yet sent (0: none pending).",
            value=counts["oldest_pending_age"] or 0.0,
        )


REGISTRY.register(DatabaseCollector())
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)


def exposition() -> tuple[bytes, str]:
    """The current metrics in Prometheus' text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
