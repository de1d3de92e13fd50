"""Choices of the notifications app: channels, endpoint kinds, outbox states."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EndpointKind(models.TextChoices):
    """What an administrator-configured endpoint talks to."""

    SMS_GATEWAY = "sms_gateway", _("短信网关")
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")
    FEISHU = "feishu", _("飞书群机器人")
    WEBHOOK = "webhook", _("通用 Webhook")


# Endpoints that receive one message per notification themselves (not per person).
BROADCAST_KINDS = frozenset(
    {EndpointKind.DINGTALK, EndpointKind.WECOM, EndpointKind.FEISHU, EndpointKind.WEBHOOK}
)


class PersonalChannel(models.TextChoices):
    """Channels that reach one person at their own address."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")


class Channel(models.TextChoices):
    """How one outbox row travels."""

    EMAIL = "email", _("电子邮件")
    SMS = "sms", _("短信")
    DINGTALK = "dingtalk", _("钉钉")
    WECOM = "wecom", _("企业微信")
    FEISHU = "feishu", _("飞书")
    WEBHOOK = "webhook", _("Webhook")


class State(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")
