"""SMS through the configured gateway (an `sms_gateway` endpoint).

Request: `POST <endpoint url>` with JSON `{"phone": "<number>", "message": "<text>"}` and, when
the endpoint has a token, `Authorization: Bearer <token>`. Any 2xx answer means the gateway
took the message.
"""

from __future__ import annotations

from django.db.models import F, Q

from weibao.notifications.channels.base import (
    DeliveryError,
    encode_json,
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
    """The gateway chosen when the message was written, or today's enabled one."""
    from weibao.notifications.choices import EndpointKind
    from weibao.notifications.models import ChannelEndpoint

    endpoint = notification.endpoint
    if endpoint is not None and endpoint.enabled and endpoint.kind == EndpointKind.SMS_GATEWAY:
        return endpoint
    scope = Q(customer__isnull=True)
    if notification.customer_id:
        scope |= Q(customer_id=notification.customer_id)
    gateway = (
        ChannelEndpoint.objects.filter(scope, kind=EndpointKind.SMS_GATEWAY, enabled=True)
        .order_by(F("customer").asc(nulls_last=True), "name")
        .first()
    )
    if gateway is None:
        raise DeliveryError("没有启用的短信网关。")
    return gateway
