"""What every channel shares: the delivery error and a small JSON-over-HTTP client.

HTTP goes through the standard library's `urllib.request` (no extra dependency) with a
10-second timeout, so a hanging receiver can never hold a worker for long.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

HTTP_TIMEOUT_SECONDS = 10
MAX_REPLY_BYTES = 64 * 1024
USER_AGENT = "Weibao-Notifications/1.0"


class DeliveryError(Exception):
    """A message was not delivered. `status_code` is the receiver's HTTP status, if any."""

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        self.status_code = status_code


@dataclass(frozen=True)
class HttpReply:
    status: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    def json(self) -> dict[str, Any]:
        """The reply as a JSON object; a `DeliveryError` when it is not one."""
        try:
            value = json.loads(self.text)
        except ValueError:
            value = None
        if not isinstance(value, dict):
            raise DeliveryError(f"接收方返回的不是 JSON 对象：{self.text[:200]}", self.status)
        return value


def encode_json(body: dict[str, Any]) -> bytes:
    """Compact UTF-8 JSON, Chinese kept readable (the bytes signed are the bytes sent)."""
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def post_json(url: str, data: bytes, headers: dict[str, str] | None = None) -> HttpReply:
    """POST `data` (already encoded JSON) and return the reply, whatever its status.
    Network failures (refused, DNS, timeout, TLS) raise `DeliveryError`."""
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            **(headers or {}),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT_SECONDS) as response:
            return HttpReply(response.status, _text(response.read(MAX_REPLY_BYTES)))
    except urllib.error.HTTPError as exc:
        with exc:
            return HttpReply(exc.code, _text(exc.read(MAX_REPLY_BYTES)))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"无法连接 {_host(url)}：{reason}") from exc


def require_2xx(reply: HttpReply) -> None:
    if not reply.ok:
        raise DeliveryError(f"HTTP {reply.status}：{reply.text[:500]}", reply.status)


def truncate_utf8(text: str, max_bytes: int) -> str:
    """Cut `text` to at most `max_bytes` of UTF-8 without splitting a character."""
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[: max_bytes - 3].decode("utf-8", errors="ignore") + "…"


def with_query(url: str, **params: str) -> str:
    """Append already-encoded query parameters to a URL that may have a query already."""
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}{'&' if '?' in url else '?'}{query}"


def robot_endpoint(notification):
    """The robot or webhook endpoint a message goes to; it must still exist and be enabled."""
    endpoint = notification.endpoint
    if endpoint is None:
        raise DeliveryError("通知端点已被删除。")
    if not endpoint.enabled:
        raise DeliveryError(f"通知端点“{endpoint.name}”已停用。")
    return endpoint


def _text(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _host(url: str) -> str:
    return urllib.parse.urlparse(url).netloc or url


def gateway_for(notification, *, kind: str, missing: str):
    """The gateway endpoint of `kind` (SMS, voice) for a notification: the one chosen when it
    was written while still enabled, else today's enabled one — the customer's own before the
    provider-wide one. `DeliveryError(missing)` when there is none."""
    from django.db.models import F, Q

    from weibao.notifications.models import ChannelEndpoint

    endpoint = notification.endpoint
    if endpoint is not None and endpoint.enabled and endpoint.kind == kind:
        return endpoint
    scope = Q(customer__isnull=True)
    if notification.customer_id:
        scope |= Q(customer_id=notification.customer_id)
    gateway = (
        ChannelEndpoint.objects.filter(scope, kind=kind, enabled=True)
        .order_by(F("customer").asc(nulls_last=True), "name")
        .first()
    )
    if gateway is None:
        raise DeliveryError(missing)
    return gateway
