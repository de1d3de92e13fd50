"""`deliver_due`: retries with back-off until sent, gives up visibly, and never sends one
message twice at once — with real receivers and the business clock frozen."""

import datetime as dt
import threading

import pytest
from django.db import connection

from weibao.core import clock
from weibao.notifications.choices import EndpointKind, State
from weibao.notifications.delivery import (
    BACKOFF,
    DeliveryCounts,
    backoff,
    deliver_due,
    max_attempts,
)
from weibao.notifications.models import DeliveryAttempt, Notification
from weibao.notifications.services import notify, retry_now

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 1, 9, 0)


def _notify_webhook(dedupe_key="ticket:7:breach"):
    [notification] = notify(
        recipients=[],
        subject="工单 T-7 超时",
        body="到场时限已过",
        kind="breach",
        dedupe_key=dedupe_key,
    )
    return notification


def test_backoff_grows_then_caps_at_an_hour():
    waits = [backoff(n).total_seconds() for n in range(1, 11)]
    assert waits == [10, 30, 60, 120, 300, 600, 1800, 3600, 3600, 3600]
    assert backoff(len(BACKOFF)) == dt.timedelta(hours=1)


def test_counts_add_up():
    total = DeliveryCounts(sent=1) + DeliveryCounts(failed=2, retried=3)
    assert total == DeliveryCounts(sent=1, failed=2, retried=3) and total.total == 6


def test_receiver_failing_three_times_gets_the_message_exactly_once(
    receiver, endpoint_factory, frozen_clock
):
    # given a receiver that answers 500 three times, then 200
    now = frozen_clock(START)
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    receiver.respond("/hook", 500, "upstream down", times=3)
    receiver.respond("/hook", 200, "ok")
    notification = _notify_webhook()

    # when the worker runs, and again each time the back-off has passed
    outcomes = []
    for failures in range(4):
        outcomes.append(deliver_due())
        # not due again before its back-off: nothing is sent in between
        frozen_clock(now + dt.timedelta(seconds=1))
        assert deliver_due() == DeliveryCounts()
        now += backoff(failures + 1)
        frozen_clock(now)

    # then it was delivered once, after three logged failures
    assert outcomes == [DeliveryCounts(retried=1)] * 3 + [DeliveryCounts(sent=1)]
    assert [r.headers["X-Weibao-Delivery"] for r in receiver.hits("/hook")] == [
        str(notification.pk)
    ] * 4
    notification.refresh_from_db()
    assert notification.state == State.SENT and notification.attempts == 3
    assert notification.claimed_until is None
    log = list(notification.attempt_log.values_list("ok", "status_code"))
    assert log == [(False, 500), (False, 500), (False, 500), (True, None)]
    assert deliver_due() == DeliveryCounts()  # and never again


def test_permanent_failure_is_visible_and_can_be_retried(
    receiver, endpoint_factory, frozen_clock, staff
):
    now = frozen_clock(START)
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    receiver.respond("/hook", 503, "maintenance window")
    notification = _notify_webhook()

    for _ in range(max_attempts()):
        deliver_due()
        now += dt.timedelta(hours=1)
        frozen_clock(now)

    notification.refresh_from_db()
    assert notification.state == State.FAILED
    assert notification.attempts == max_attempts() == 8
    assert "HTTP 503" in notification.last_error and "maintenance window" in notification.last_error
    assert DeliveryAttempt.objects.filter(notification=notification, ok=False).count() == 8
    assert deliver_due() == DeliveryCounts()  # failed rows are left alone

    # when someone retries it after the receiver is back
    receiver.respond("/hook", 200, "ok")
    retry_now(notification, actor=staff)
    notification.refresh_from_db()
    assert notification.state == State.PENDING and notification.attempts == 8
    assert deliver_due() == DeliveryCounts(sent=1)


def test_max_attempts_comes_from_settings(receiver, endpoint_factory, frozen_clock, settings):
    settings.WEIBAO_NOTIFY_MAX_ATTEMPTS = 2
    now = frozen_clock(START)
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    receiver.respond("/hook", 500)
    _notify_webhook()
    assert deliver_due() == DeliveryCounts(retried=1)
    frozen_clock(now + dt.timedelta(minutes=1))
    assert deliver_due() == DeliveryCounts(failed=1)


def test_retry_now_refuses_messages_that_have_not_failed(staff, endpoint_factory):
    from weibao.core.errors import DomainError

    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    with pytest.raises(DomainError) as refused:
        retry_now(_notify_webhook(), actor=staff)
    assert refused.value.code == "notification_not_failed"


def test_a_crashed_worker_lease_expires_and_the_message_is_sent(
    receiver, endpoint_factory, frozen_clock
):
    now = frozen_clock(START)
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    notification = _notify_webhook()
    # a worker claimed it and died before sending
    Notification.objects.filter(pk=notification.pk).update(
        claimed_until=now + dt.timedelta(minutes=2), claim_token="dead-worker"
    )
    assert deliver_due() == DeliveryCounts()
    frozen_clock(now + dt.timedelta(minutes=2, seconds=1))
    assert deliver_due() == DeliveryCounts(sent=1)
    assert len(receiver.hits("/hook")) == 1


def test_limit_bounds_one_run(receiver, endpoint_factory):
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    for n in range(5):
        _notify_webhook(f"batch:{n}")
    assert deliver_due(limit=3) == DeliveryCounts(sent=3)
    assert deliver_due(limit=3) == DeliveryCounts(sent=2)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_deliver_each_of_200_messages_exactly_once(receiver, endpoint_factory):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims need PostgreSQL; SQLite serialises writers")
    clock.set_now(None)
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    receiver.respond("/hook", 200, "ok")
    ids = {str(_notify_webhook(f"load:{n}").pk) for n in range(200)}
    totals: list[DeliveryCounts] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def worker():
        try:
            start.wait()
            total = DeliveryCounts()
            while (counts := deliver_due(limit=20)).total:
                total += counts
            totals.append(total)
        except BaseException as exc:  # surfaced in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert not errors
    hits = receiver.delivery_counts("/hook")
    assert set(hits) == ids
    assert set(hits.values()) == {1}
    assert sum(t.sent for t in totals) == 200
    assert all(t.sent > 0 for t in totals), "both workers should have taken a share"
    assert Notification.objects.filter(state=State.SENT).count() == 200
    assert DeliveryAttempt.objects.count() == 200
