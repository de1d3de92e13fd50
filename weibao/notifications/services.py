"""Writes of the notifications app: enqueue messages, put failed ones back, send a test.

`notify` is what other apps call, inside the transaction of the change that causes the
notification (Zulip's `do_*` actions): it only inserts outbox rows — no commit of its own, no
network I/O — so a rolled-back change leaves no message and a committed one is never lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.notifications.choices import (
    BROADCAST_KINDS,
    Channel,
    EndpointKind,
    PersonalChannel,
    State,
)
from weibao.notifications.models import ChannelEndpoint, Notification, NotificationPreference

DEDUPE_KEY_MAX = 200


def notify(
    *,
    recipients: Iterable[Any],
    subject: str,
    body: str,
    kind: str,
    dedupe_key: str,
    customer=None,
    ref_type: str = "",
    ref_id: str = "",
    payload: dict | None = None,
) -> list[Notification]:
    """Enqueue a notification in the caller's transaction and return its outbox rows.

    Writes one row per recipient and enabled personal channel (see `NotificationPreference`
    for the defaults), plus one per enabled robot/webhook endpoint of `customer` (or of all
    customers) subscribed to `kind`. Idempotent: the rows of an earlier call with the same
    `dedupe_key` are kept and returned, never doubled. Nothing is sent here.
    """
    if not kind or not dedupe_key:
        raise DomainError("通知必须有类别和去重键。", code="notification_incomplete")
    if len(dedupe_key) > DEDUPE_KEY_MAX:
        raise DomainError("去重键过长（最多 200 个字符）。", field="dedupe_key")
    recipients = list({user.pk: user for user in recipients if user is not None}.values())
    now = clock.now()
    common = {
        "kind": kind,
        "subject": subject[:200],
        "body": body,
        "payload": payload or {},
        "dedupe_key": dedupe_key,
        "customer": customer,
        "ref_type": ref_type,
        "ref_id": str(ref_id),
        "state": State.PENDING,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }
    endpoints = _endpoints_for(customer)
    rows = [
        Notification(channel=channel, address=address, recipient=user, endpoint=ep, **common)
        for user, channel, address, ep in _personal_targets(recipients, endpoints, customer)
    ]
    rows += [
        Notification(channel=ep.kind, address=ep.name, endpoint=ep, **common)
        for ep in endpoints
        if ep.kind in BROADCAST_KINDS and ep.subscribes_to(kind)
    ]
    rows = _first_per_address(rows)
    if not rows:
        return []
    with transaction.atomic(savepoint=False):
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        wanted = {(row.channel, row.address) for row in rows}
        stored = Notification.objects.filter(dedupe_key=dedupe_key).order_by("id")
        return [n for n in stored if (n.channel, n.address) in wanted]


def _first_per_address(rows: list[Notification]) -> list[Notification]:
    """Two recipients sharing an address get one message."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for row in rows:
        if (row.channel, row.address) not in seen:
            seen.add((row.channel, row.address))
            unique.append(row)
    return unique


def _endpoints_for(customer) -> list[ChannelEndpoint]:
    """Enabled endpoints of `customer` and of all customers, the customer's own first."""
    scope = Q(customer__isnull=True)
    if customer is not None:
        scope |= Q(customer=customer)
    endpoints = ChannelEndpoint.objects.filter(scope, enabled=True).order_by("customer", "name")
    return sorted(endpoints, key=lambda ep: ep.customer_id is None)


def _personal_targets(recipients, endpoints, customer):
    """(user, channel, address, endpoint) for every personal message to write."""
    gateway = next((ep for ep in endpoints if ep.kind == EndpointKind.SMS_GATEWAY), None)
    preferences = {
        (p.user_id, p.channel): p
        for p in NotificationPreference.objects.filter(user__in=[u.pk for u in recipients])
    }
    for user in recipients:
        for channel, own_address, endpoint in (
            (PersonalChannel.EMAIL, user.email, None),
            (PersonalChannel.SMS, user.phone, gateway),
        ):
            pref = preferences.get((user.pk, channel))
            if pref is not None and not pref.enabled:
                continue
            address = (pref.address if pref is not None else "") or own_address
            if not address:
                continue
            if channel == PersonalChannel.SMS and gateway is None:
                continue
            yield user, Channel(channel), address.strip(), endpoint


def retry_now(notification: Notification, *, actor) -> Notification:
    """Put a failed notification back in the queue, due now. Its attempt count is kept, so a
    further failure marks it failed again at once: each manual retry is one more try."""
    with transaction.atomic():
        locked = Notification.objects.select_for_update().get(pk=notification.pk)
        if not locked.can_retry:
            raise DomainError("只能重试发送失败的通知。", code="notification_not_failed")
        locked.state = State.PENDING
        locked.next_attempt_at = clock.now()
        locked.claimed_until = None
        locked.claim_token = ""
        locked.save(update_fields=["state", "next_attempt_at", "claimed_until", "claim_token"])
        record_event(locked, message="手动重试通知", kind="notification", actor=actor)
    return locked


def send_test(endpoint: ChannelEndpoint, *, actor) -> Notification:
    """Enqueue a test message to `endpoint` (for an SMS gateway: to the actor's phone)."""
    now = clock.now()
    if endpoint.kind == EndpointKind.SMS_GATEWAY:
        address = getattr(actor, "phone", "") if actor is not None else ""
        if not address:
            raise DomainError("测试短信需要您的账户中填写手机号。", code="no_phone")
        channel = Channel.SMS
    else:
        address, channel = endpoint.name, Channel(endpoint.kind)
    with transaction.atomic():
        notification = Notification.objects.create(
            kind="test",
            subject="维保通知测试",
            body=f"这是一条来自维保服务台的测试消息（{clock.today():%Y-%m-%d}）。",
            dedupe_key=f"test:{endpoint.pk}:{now:%Y%m%d%H%M%S}:{uuid.uuid4().hex[:8]}",
            channel=channel,
            address=address,
            endpoint=endpoint,
            recipient=actor if channel == Channel.SMS else None,
            customer=endpoint.customer,
            ref_type="endpoint",
            ref_id=str(endpoint.pk),
            next_attempt_at=now,
        )
        record_event(endpoint, message="发送测试消息", kind="notification", actor=actor)
    return notification


def set_preferences(
    user,
    *,
    email_enabled: bool,
    email_address: str,
    sms_enabled: bool,
    sms_address: str,
    actor,
) -> list[NotificationPreference]:
    """Store a user's choices for e-mail and SMS (one row per channel, created or updated)."""
    choices = {
        PersonalChannel.EMAIL: (email_enabled, email_address.strip()),
        PersonalChannel.SMS: (sms_enabled, sms_address.strip()),
    }
    saved = []
    with transaction.atomic():
        for channel, (enabled, address) in choices.items():
            pref = NotificationPreference.objects.filter(user=user, channel=channel).first()
            if pref is None:
                pref = NotificationPreference(user=user, channel=channel)
            elif (pref.enabled, pref.address) == (enabled, address):
                saved.append(pref)
                continue
            pref.enabled, pref.address = enabled, address
            pref.save()
            saved.append(pref)
    return saved
