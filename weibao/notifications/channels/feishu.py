"""Feishu (飞书) custom group robot.

Request: `POST <webhook url>` with `{"msg_type": "text", "content": {"text": …}}`. With a
signing secret ("签名校验"), the vendor's scheme is applied: `timestamp` is seconds since the
epoch (a string), the string to sign is `f"{timestamp}\n{secret}"`, and the sign is
`base64(HMAC-SHA256(key=string_to_sign, msg=b""))` — note the string is the *key* and the
message is empty, unlike DingTalk. Both go in the body as `"timestamp"` and `"sign"`.

Delivered means a JSON answer with `code == 0` (current API) or `StatusCode == 0` (older).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from weibao.core import clock
from weibao.notifications.channels.base import (
    DeliveryError,
    encode_json,
    post_json,
    require_2xx,
    robot_endpoint,
    truncate_utf8,
)

MAX_TEXT_BYTES = 20000


def sign(secret: str, timestamp: str) -> str:
    """Feishu's signature of `timestamp` with `secret`."""
    string_to_sign = f"{timestamp}\n{secret}"
    digest = hmac.new(string_to_sign.encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def send(notification) -> None:
    endpoint = robot_endpoint(notification)
    text = truncate_utf8(f"{notification.subject}\n{notification.body}", MAX_TEXT_BYTES)
    body: dict = {"msg_type": "text", "content": {"text": text}}
    if endpoint.secret:
        timestamp = str(int(clock.now().timestamp()))
        body = {"timestamp": timestamp, "sign": sign(endpoint.secret, timestamp), **body}
    reply = post_json(endpoint.url, encode_json(body))
    require_2xx(reply)
    answer = reply.json()
    code = answer.get("code", answer.get("StatusCode"))
    if code != 0:
        message = answer.get("msg") or answer.get("StatusMessage") or ""
        raise DeliveryError(f"飞书返回错误 {code}：{message}", reply.status)
