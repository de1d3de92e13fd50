"""Delivery channels: one module per way a message travels, each with `send(notification)`
that performs the real send and raises `DeliveryError` when the message was not delivered.

`send(notification)` below picks the module from the notification's channel.
"""

from __future__ import annotations

from collections.abc import Callable

from weibao.notifications.channels import dingtalk, email, feishu, sms, voice, webhook, wecom
from weibao.notifications.channels.base import DeliveryError
from weibao.notifications.choices import Channel

__all__ = ["REGISTRY", "DeliveryError", "send"]

REGISTRY: dict[str, Callable] = {
    Channel.EMAIL: email.send,
    Channel.SMS: sms.send,
    Channel.DINGTALK: dingtalk.send,
    Channel.WECOM: wecom.send,
    Channel.FEISHU: feishu.send,
    Channel.WEBHOOK: webhook.send,
    Channel.VOICE: voice.send,
}


def send(notification) -> None:
    """Send `notification` on its channel; `DeliveryError` when it was not delivered."""
    sender = REGISTRY.get(notification.channel)
    if sender is None:
        raise DeliveryError(f"未知的通知渠道：{notification.channel}")
    sender(notification)
