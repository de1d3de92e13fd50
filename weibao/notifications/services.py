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

from weibao.accounts.capabilities import Capability
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require
from weibao.notifications.choices import (
    Channel,
    EndpointKind,
    NotificationEvent,
    NotificationKind,
    PersonalChannel,
    State,
)
from weibao.notifications.models import ChannelEndpoint, Notification, NotificationPreference
from weibao.notifications.outbox import Outbox
from weibao.notifications.wording import Text, Wording


def notify(
    *,
    recipients: Iterable[Any],
    subject: Text,
    body: Text,
    kind: str,
    dedupe_key: str,
    customer=None,
    ref_type: str = "",
    ref_id: str = "",
    payload: dict | None = None,
    voice: bool | None = None,
) -> list[Notification]:
    """Enqueue a notification in the caller's transaction and return its outbox rows.

    The one-notification case of the batch `Outbox` (see `weibao.notifications.outbox` for
    who gets what; `voice` asks for a phone call too, by default for `VOICE_KINDS`).
    `subject` and `body` given as `event_text(...)` are worded in each recipient's language
    (`weibao.notifications.wording`).
    Idempotent: the rows of an earlier call with the same `dedupe_key` are kept and returned,
    never doubled. Nothing is sent here.
    """
    outbox = Outbox()
    rows = outbox.add(
        recipients=recipients, subject=subject, body=body, kind=kind, dedupe_key=dedupe_key,
        customer=customer, ref_type=ref_type, ref_id=ref_id, payload=payload, voice=voice,
    )  # fmt: skip
    if not rows:
        return []
    with transaction.atomic(savepoint=False):
        outbox.write()
        wanted = {(row.channel, row.address) for row in rows}
        stored = Notification.objects.filter(dedupe_key=dedupe_key).order_by("id")
        return [n for n in stored if (n.channel, n.address) in wanted]


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
        record_event(
            locked,
            message=event_text("手动重试通知"),
            kind=NotificationEvent.NOTIFICATION,
            actor=actor,
        )
    return locked


def send_test(endpoint: ChannelEndpoint, *, actor) -> Notification:
    """Enqueue a test message to `endpoint` (for an SMS or voice gateway: to the actor's
    phone). Configuration work: `config.edit`."""
    require(actor, Capability.CONFIG_EDIT)
    now = clock.now()
    if endpoint.kind in (EndpointKind.SMS_GATEWAY, EndpointKind.VOICE_GATEWAY):
        address = getattr(actor, "phone", "") if actor is not None else ""
        channel = Channel.SMS if endpoint.kind == EndpointKind.SMS_GATEWAY else Channel.VOICE
        if not address:
            what = "测试短信" if channel == Channel.SMS else "测试电话"
            raise DomainError(f"{what}需要您的账户中填写手机号。", code="no_phone")
    else:
        address, channel = endpoint.name, Channel(endpoint.kind)
    recipient = actor if channel in (Channel.SMS, Channel.VOICE) else None
    wording = Wording(
        event_text("维保通知测试"),
        event_text("这是一条来自维保服务台的测试消息（%(date)s）。", date=clock.today()),
    )
    with transaction.atomic():
        notification = Notification.objects.create(
            kind="test",
            **wording.for_user(recipient),
            dedupe_key=f"test:{endpoint.pk}:{now:%Y%m%d%H%M%S}:{uuid.uuid4().hex[:8]}",
            channel=channel,
            address=address,
            endpoint=endpoint,
            recipient=recipient,
            customer=endpoint.customer,
            ref_type="endpoint",
            ref_id=str(endpoint.pk),
            next_attempt_at=now,
        )
        record_event(
            endpoint,
            message=event_text("发送测试消息"),
            kind=NotificationEvent.NOTIFICATION,
            actor=actor,
        )
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


ENDPOINT_FIELDS = (
    "name", "kind", "url", "customer", "enabled", "kinds", "secret", "token", "access_key_id",
    "template_id",
)  # fmt: skip


@transaction.atomic
def save_endpoint(endpoint: ChannelEndpoint | None = None, *, actor, **fields) -> ChannelEndpoint:
    """Create (or change) a notification endpoint: configuration, so administrators only
    (`config.edit`). Subscribed kinds must be notification kinds; a voice gateway needs its
    access key and template."""
    require(actor, Capability.CONFIG_EDIT)
    unknown = set(fields) - set(ENDPOINT_FIELDS)
    if unknown:
        raise DomainError(f"未知字段：{', '.join(sorted(unknown))}", code="unknown_field")
    endpoint = endpoint or ChannelEndpoint()
    for name, value in fields.items():
        setattr(endpoint, name, value)
    bad = [k for k in endpoint.kinds or [] if k not in NotificationKind.values]
    if bad:
        raise DomainError(f"未知的通知类别：{', '.join(bad)}", code="unknown_kind", field="kinds")
    if endpoint.kind == EndpointKind.VOICE_GATEWAY:
        for name in ("access_key_id", "secret", "template_id"):
            if not getattr(endpoint, name):
                raise DomainError("语音通知端点必须填写此项。", code="required", field=name)
    endpoint.save()
    return endpoint


@transaction.atomic
def delete_endpoint(endpoint: ChannelEndpoint, *, actor) -> None:
    """Remove an endpoint (`config.edit`); its past messages stay in the outbox."""
    require(actor, Capability.CONFIG_EDIT)
    endpoint.delete()
