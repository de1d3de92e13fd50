"""Voice calls (语音通知) through a cloud voice-notification service (a `voice_gateway`
endpoint), in the shape of the common Chinese cloud voice APIs: a text-to-speech template id,
its parameters and the called number, in a request signed with an access key.

Request: `POST <endpoint url>` with the JSON body

    {"CalledNumber": "13900000001", "TemplateId": "TTS_10001",
     "TemplateParam": {"subject": "…", "ticket": "T-2026-0001"}, "PlayTimes": 2, "OutId": "42"}

and the headers

    X-Access-Key-Id: <the endpoint's access key id>
    X-Timestamp: 2026-03-01T03:00:05Z            (UTC, ISO 8601, when it was sent)
    X-Nonce: 9f1c…                               (random, never reused)
    X-Signature-Method: HMAC-SHA256
    X-Signature: <base64>

where `<base64>` is the Base64 HMAC-SHA256, keyed with the endpoint's access key secret, of
the canonical string — these lines joined by "\\n":

    POST
    <the URL path, e.g. /voice/call>
    <lowercase hex SHA-256 of the raw body bytes>
    <access key id>
    <timestamp>
    <nonce>

Delivered means a 2xx answer whose JSON has `"Code": "OK"` (with a `CallId`); any other
`Code` is the provider's refusal, kept as the error (e.g. `isv.BUSINESS_LIMIT_CONTROL`).
The receiver should reject timestamps more than five minutes off and nonces seen before.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import urllib.parse
import uuid

from weibao.core import clock
from weibao.notifications.channels.base import (
    DeliveryError,
    encode_json,
    gateway_for,
    post_json,
    truncate_utf8,
)

PLAY_TIMES = 2
PARAM_MAX_BYTES = 60  # TTS template variables are short


def canonical_string(
    *, path: str, raw_body: bytes, access_key_id: str, timestamp: str, nonce: str
) -> str:
    """The text that is signed (see the module docstring)."""
    digest = hashlib.sha256(raw_body).hexdigest()
    return "\n".join(["POST", path or "/", digest, access_key_id, timestamp, nonce])


def signature(secret: str, canonical: str) -> str:
    """Base64 of HMAC-SHA256(secret, canonical)."""
    mac = hmac.new(secret.encode("utf-8"), canonical.encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def template_params(notification) -> dict[str, str]:
    """The template variables: `payload["voice"]` when the writer gave them, else the subject
    and the ticket number."""
    given = (notification.payload or {}).get("voice")
    if isinstance(given, dict):
        return {str(k): truncate_utf8(str(v), PARAM_MAX_BYTES) for k, v in given.items()}
    return {
        "subject": truncate_utf8(notification.subject, PARAM_MAX_BYTES),
        "ticket": str((notification.payload or {}).get("ticket", notification.ref_id)),
    }


def send(notification) -> None:
    gateway = _gateway_for(notification)
    if not gateway.template_id:
        raise DeliveryError(f"语音通知端点“{gateway.name}”未配置模板编号。")
    raw_body = encode_json(
        {
            "CalledNumber": notification.address,
            "TemplateId": gateway.template_id,
            "TemplateParam": template_params(notification),
            "PlayTimes": PLAY_TIMES,
            "OutId": str(notification.pk),
        }
    )
    timestamp = clock.now().astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    nonce = uuid.uuid4().hex
    canonical = canonical_string(
        path=urllib.parse.urlsplit(gateway.url).path,
        raw_body=raw_body,
        access_key_id=gateway.access_key_id,
        timestamp=timestamp,
        nonce=nonce,
    )
    headers = {
        "X-Access-Key-Id": gateway.access_key_id,
        "X-Timestamp": timestamp,
        "X-Nonce": nonce,
        "X-Signature-Method": "HMAC-SHA256",
        "X-Signature": signature(gateway.secret, canonical),
    }
    reply = post_json(gateway.url, raw_body, headers)
    if not reply.ok:
        raise DeliveryError(f"HTTP {reply.status}：{reply.text[:500]}", reply.status)
    answer = reply.json()
    if answer.get("Code") != "OK":
        message = answer.get("Message") or ""
        raise DeliveryError(f"语音通知被拒绝：{answer.get('Code')} {message}".strip(), reply.status)


def _gateway_for(notification):
    from weibao.notifications.choices import EndpointKind

    return gateway_for(
        notification, kind=EndpointKind.VOICE_GATEWAY, missing="没有启用的语音通知端点。"
    )
