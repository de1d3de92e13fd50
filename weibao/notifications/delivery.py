"""Sends due outbox rows: claim, send, record — and never holds a database lock while a
message is on the network.

1. **Claim** (short transaction): up to `limit` pending rows that are due and not leased are
   given a lease (`claimed_until = now + LEASE`) and this run's `claim_token`. On PostgreSQL
   the rows are read with `SELECT … FOR UPDATE SKIP LOCKED`, so concurrent workers claim
   disjoint rows; SQLite serialises writers (IMMEDIATE transactions), which does the same.
2. **Send** (no transaction): just before each send the lease is renewed with a
   compare-and-set on the token — if the lease ran out and another worker took the row over,
   this worker skips it. So two workers never send the same message at the same time.
3. **Record** (short transaction): a `DeliveryAttempt` row, then `sent` — or, on failure,
   one more attempt counted, the error kept in `last_error` and the row due again after the
   back-off; after `MAX_ATTEMPTS` failures it is `failed`, with the error visible, until
   someone retries it (`services.retry_now`); the provider's duty manager (the maintenance
   manager for that customer) is told at once, and the ticket it was about shows it.

A worker that dies between claim and record leaves the row pending with a lease that simply
expires: the row is sent again later. Delivery is therefore *at least once* towards the
receiver (it may, rarely, see a message twice — webhooks carry `X-Weibao-Delivery` to dedupe);
it is never lost.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from weibao.core import clock
from weibao.core.events import event_text, field_choice
from weibao.notifications import channels
from weibao.notifications.channels import DeliveryError
from weibao.notifications.choices import NotificationKind, State
from weibao.notifications.models import DeliveryAttempt, Notification

logger = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=2)
BACKOFF = tuple(dt.timedelta(seconds=s) for s in (10, 30, 60, 120, 300, 600, 1800, 3600))
MAX_ERROR_CHARS = 2000


def max_attempts() -> int:
    """Failures before a message is given up (setting `WEIBAO_NOTIFY_MAX_ATTEMPTS`, 8)."""
    return int(getattr(settings, "WEIBAO_NOTIFY_MAX_ATTEMPTS", 8))


def backoff(attempts: int) -> dt.timedelta:
    """Wait after the `attempts`-th failure: 10 s, 30 s, 1 min, … 1 h, then 1 h."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


@dataclass(frozen=True)
class DeliveryCounts:
    """What one run did: `sent`, `failed` (given up) and `retried` (failed, due again)."""

    sent: int = 0
    failed: int = 0
    retried: int = 0

    def __add__(self, other: DeliveryCounts) -> DeliveryCounts:
        return DeliveryCounts(
            self.sent + other.sent, self.failed + other.failed, self.retried + other.retried
        )

    @property
    def total(self) -> int:
        return self.sent + self.failed + self.retried


def deliver_due(*, limit: int = 100) -> DeliveryCounts:
    """Send up to `limit` due notifications; safe to run in several workers at once."""
    token = uuid.uuid4().hex
    counts = DeliveryCounts()
    for notification_id in _claim(_due_ids_query(), limit=limit, token=token):
        counts += _deliver_claimed(notification_id, token)
    return counts


DELIVERY_SOURCE = "notifications.delivery"


def deliver_source(*, now: dt.datetime, limit: int) -> dict[str, int]:
    """The outbox as a delivery source of `weibao.core.due` (registered in `ready()`)."""
    counts = deliver_due(limit=limit)
    return {"sent": counts.sent, "failed": counts.failed, "retried": counts.retried}


def deliver_now(notification: Notification) -> DeliveryCounts:
    """Send one pending notification now (the admin's test message), if nobody else is."""
    token = uuid.uuid4().hex
    now = clock.now()
    pending = Notification.objects.filter(pk=notification.pk, state=State.PENDING).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )
    counts = DeliveryCounts()
    for notification_id in _claim(pending, limit=1, token=token):
        counts += _deliver_claimed(notification_id, token)
    return counts


def _due_ids_query():
    now = clock.now()
    return (
        Notification.objects.filter(state=State.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("next_attempt_at", "id")
    )


def _claim(queryset, *, limit: int, token: str) -> list[int]:
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        ids = list(queryset.values_list("id", flat=True)[:limit])
        if ids:
            Notification.objects.filter(id__in=ids).update(
                claimed_until=clock.now() + LEASE, claim_token=token
            )
    return ids


def _deliver_claimed(notification_id: int, token: str) -> DeliveryCounts:
    if not _renew_lease(notification_id, token):
        return DeliveryCounts()  # the lease ran out and another worker has the row now
    notification = Notification.objects.select_related("endpoint").get(pk=notification_id)
    started = time.monotonic()
    error: DeliveryError | None = None
    try:
        channels.send(notification)
    except DeliveryError as exc:
        error = exc
    except Exception as exc:  # a bug in a channel must not stop the other messages
        logger.exception("notification %s: unexpected error", notification_id)
        error = DeliveryError(f"内部错误：{type(exc).__name__}: {exc}")
    duration_ms = int((time.monotonic() - started) * 1000)
    return _record(notification_id, token, error=error, duration_ms=duration_ms)


def _renew_lease(notification_id: int, token: str) -> bool:
    """Compare-and-set: extend our lease only if the row is still ours and pending."""
    renewed = Notification.objects.filter(
        pk=notification_id, claim_token=token, state=State.PENDING
    ).update(claimed_until=clock.now() + LEASE)
    return renewed == 1


def _record(
    notification_id: int, token: str, *, error: DeliveryError | None, duration_ms: int
) -> DeliveryCounts:
    now = clock.now()
    with transaction.atomic():
        rows = Notification.objects.filter(pk=notification_id)
        if connection.features.has_select_for_update:
            rows = rows.select_for_update()
        notification = rows.get()
        DeliveryAttempt.objects.create(
            notification=notification,
            at=now,
            ok=error is None,
            status_code=error.status_code if error else None,
            error=error.message[:MAX_ERROR_CHARS] if error else "",
            duration_ms=duration_ms,
        )
        if error is None:
            notification.state = State.SENT
            notification.sent_at = now
            outcome = DeliveryCounts(sent=1)
        elif notification.claim_token != token or notification.state != State.PENDING:
            return DeliveryCounts()  # taken over meanwhile: its new owner decides
        else:
            notification.attempts += 1
            notification.last_error = error.message[:MAX_ERROR_CHARS]
            if notification.attempts >= max_attempts():
                notification.state = State.FAILED
                outcome = DeliveryCounts(failed=1)
                logger.warning(
                    "notification %s failed for good: %s", notification_id, error.message
                )
                tell_duty_manager(notification)
            else:
                notification.next_attempt_at = now + backoff(notification.attempts)
                outcome = DeliveryCounts(retried=1)
        notification.claimed_until = None
        notification.claim_token = ""
        notification.save()
    return outcome


def tell_duty_manager(notification: Notification) -> None:
    """A message failed for good: tell the provider's duty manager (the maintenance managers
    for its customer) in the same transaction, about the same object, so the failure shows
    where the message was about. A failed notice of this kind does not start another one."""
    from weibao.accounts.choices import Role
    from weibao.accounts.selectors import holders_of_role
    from weibao.notifications.outbox import Outbox

    if notification.kind == NotificationKind.DELIVERY_FAILED:
        return
    managers = holders_of_role(Role.MAINTENANCE_MANAGER, notification.customer_id)
    outbox = Outbox()
    outbox.add(
        recipients=[m for m in managers if m.pk != notification.recipient_id] or managers,
        subject=event_text("【通知发送失败】%(subject)s", subject=notification.subject),
        body=event_text(
            "发往 %(channel)s %(address)s 的通知已失败 %(attempts)d 次，不再自动重试：\n"
            "%(error)s\n请改用其他方式通知，并在发件箱中处理。",
            channel=field_choice(notification, "channel"),
            address=notification.address,
            attempts=notification.attempts,
            error=notification.last_error,
        ),
        kind=NotificationKind.DELIVERY_FAILED,
        dedupe_key=f"notification:{notification.pk}:failed",
        customer=notification.customer,
        ref_type=notification.ref_type,
        ref_id=notification.ref_id,
        payload={"failed_notification": notification.pk},
        # not back to the robot or webhook that is failing
        skip_endpoints=frozenset({notification.endpoint_id}),
    )
    outbox.write()
