"""WeCom (企业微信) group robot.

Request: `POST <webhook url>` (the robot's key is part of the URL; WeCom robots have no
signature) with `{"msgtype": "markdown", "markdown": {"content": …}}`; the content is cut to
WeCom's 4096-byte limit.

Delivered means a JSON answer with `errcode == 0`.
"""

from __future__ import annotations

from weibao.notifications.channels.base import (
    DeliveryError,
    encode_json,
    post_json,
    require_2xx,
    robot_endpoint,
    truncate_utf8,
)

MAX_CONTENT_BYTES = 4096


def send(notification) -> None:
    endpoint = robot_endpoint(notification)
    content = truncate_utf8(f"### {notification.subject}\n{notification.body}", MAX_CONTENT_BYTES)
    reply = post_json(
        endpoint.url, encode_json({"msgtype": "markdown", "markdown": {"content": content}})
    )
    require_2xx(reply)
    answer = reply.json()
    if answer.get("errcode") != 0:
        raise DeliveryError(
            f"企业微信返回错误 {answer.get('errcode')}：{answer.get('errmsg', '')}", reply.status
        )
