"""SMS through the configured gateway (an `sms_gateway` endpoint).

Request: `POST <endpoint url>` with JSON `{"phone": "<number>", "message": "<text>"}` and, when
the endpoint has a token, `Authorization: Bearer <token>`. Any 2xx answer means the gateway
took the message.
"""

from __future__ import annotations

from weibao.notifications.channels.base import (
    encode_json,
    gateway_for,
    post_json,
    require_2xx,
)

SMS_MAX_CHARS = 500


def send(notification) -> None:
    gateway = _gateway_for(notification)
    text = f"【{notification.subject}】{notification.body}"[:SMS_MAX_CHARS]
    headers = {"Authorization": f"Bearer {gateway.token}"} if gateway.token else {}
    data = encode_json({"phone": notification.address, "message": text})
    require_2xx(post_json(gateway.url, data, headers))


def _gateway_for(notification):
    from weibao.notifications.choices import EndpointKind

    return gateway_for(notification, kind=EndpointKind.SMS_GATEWAY, missing="没有启用的短信网关。")
