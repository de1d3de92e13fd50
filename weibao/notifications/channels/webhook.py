"""Generic webhook: Weibao's own signed JSON POST, for any system that wants the events.

Request: `POST <endpoint url>` with the JSON body

    {"id": 42, "kind": "escalation", "subject": "…", "body": "…", "payload": {…},
     "ref_type": "ticket", "ref_id": "T-2026-0001", "created_at": "2026-03-01T03:00:00+00:00"}

and the headers

    X-Weibao-Event: escalation
    X-Weibao-Delivery: 42                      (the notification id; the same on every retry)
    X-Weibao-Timestamp: 1772334000             (seconds since the epoch, when it was sent)
    X-Weibao-Signature: sha256=<hex>           (only when the endpoint has a secret)

where `<hex>` is the lowercase hex HMAC-SHA256, keyed with the endpoint's secret, of the
timestamp, a dot and the raw request body bytes: `f"{timestamp}.".encode() + raw_body`.

How a receiver verifies a request:

1. read the raw body bytes *before* parsing JSON (re-serialising changes the bytes);
2. compute `hmac.new(secret.encode(), f"{ts}.".encode() + raw_body, hashlib.sha256).hexdigest()`
   with `ts` taken from `X-Weibao-Timestamp`;
3. compare `"sha256=" + hex` with `X-Weibao-Signature` using a constant-time comparison
   (`hmac.compare_digest`);
4. reject timestamps more than five minutes from your clock (replay protection);
5. delivery is at-least-once: use `X-Weibao-Delivery` (or `id`) to ignore duplicates.

Delivered means any 2xx answer.
"""

from __future__ import annotations

import hashlib
import hmac

from weibao.core import clock
from weibao.notifications.channels.base import (
    encode_json,
    post_json,
    require_2xx,
    robot_endpoint,
)


def signature(secret: str, timestamp: str, raw_body: bytes) -> str:
    """The `X-Weibao-Signature` value for a body sent at `timestamp`."""
    message = f"{timestamp}.".encode() + raw_body
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def body_of(notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "subject": notification.subject,
        "body": notification.body,
        "payload": notification.payload,
        "ref_type": notification.ref_type,
        "ref_id": notification.ref_id,
        "created_at": notification.created_at.isoformat(),
    }


def send(notification) -> None:
    endpoint = robot_endpoint(notification)
    raw_body = encode_json(body_of(notification))
    timestamp = str(int(clock.now().timestamp()))
    headers = {
        "X-Weibao-Event": notification.kind,
        "X-Weibao-Delivery": str(notification.pk),
        "X-Weibao-Timestamp": timestamp,
    }
    if endpoint.secret:
        headers["X-Weibao-Signature"] = signature(endpoint.secret, timestamp, raw_body)
    require_2xx(post_json(endpoint.url, raw_body, headers))
