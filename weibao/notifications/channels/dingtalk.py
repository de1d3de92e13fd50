"""DingTalk (钉钉) custom group robot.

Request: `POST <webhook url>` with `{"msgtype": "markdown", "markdown": {"title", "text"}}`.
With a signing secret ("加签", the `SEC…` string), the vendor's scheme is applied: `timestamp`
is milliseconds since the epoch, the string to sign is `f"{timestamp}\n{secret}"`, the sign is
`urlencode(base64(HMAC-SHA256(key=secret, msg=string_to_sign)))`, and `&timestamp=…&sign=…` is
appended to the URL. DingTalk rejects timestamps more than an hour off, so keep time in sync.

Delivered means HTTP 200 and a JSON answer with `errcode == 0` (DingTalk answers 200 with a
non-zero `errcode` for a bad sign, a missing keyword or rate limiting).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import urllib.parse

from weibao.core import clock
from weibao.notifications.channels.base import (
    DeliveryError,
    encode_json,
    post_json,
    robot_endpoint,
    truncate_utf8,
    with_query,
)

MAX_TEXT_BYTES = 18000


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The webhook URL with DingTalk's `timestamp` and `sign` parameters."""
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return with_query(url, timestamp=str(timestamp_ms), sign=sign)


def send(notification) -> None:
    endpoint = robot_endpoint(notification)
    url = endpoint.url
    if endpoint.secret:
        url = signed_url(url, endpoint.secret, int(clock.now().timestamp() * 1000))
    text = truncate_utf8(f"### {notification.subject}\n\n{notification.body}", MAX_TEXT_BYTES)
    data = encode_json(
        {"msgtype": "markdown", "markdown": {"title": notification.subject, "text": text}}
    )
    reply = post_json(url, data)
    if reply.status != 200:
        raise DeliveryError(f"HTTP {reply.status}：{reply.text[:500]}", reply.status)
    answer = reply.json()
    if answer.get("errcode") != 0:
        raise DeliveryError(
            f"钉钉返回错误 {answer.get('errcode')}：{answer.get('errmsg', '')}", reply.status
        )
