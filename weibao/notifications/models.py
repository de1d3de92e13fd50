"""The notification outbox (发件箱) and where it delivers to.

A `Notification` row is one message on one channel to one address. It is written in the same
database transaction as the state change that causes it (`services.notify`), so a rolled-back
change never notifies and a committed one always does; `delivery.deliver_due` then sends it,
retrying with back-off until it is sent or marked failed with the error visible.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import clock
from weibao.core.models import AuditedModel, TimeStampedModel
from weibao.notifications.choices import (
    STATE_BADGES,
    Channel,
    EndpointKind,
    NotificationKind,
    PersonalChannel,
    State,
)


class ChannelEndpoint(AuditedModel):
    """A configured destination: an SMS gateway, a voice-call service, a DingTalk / WeCom /
    Feishu group robot or a generic webhook. Robots and webhooks get one message per
    notification of the kinds they subscribe to (for their customer, or for every customer when
    `customer` is empty); the SMS gateway carries the text messages addressed to people, the
    voice gateway the phone calls (L1 ladder steps, the 15-minute L1 notice)."""

    # Secrets never go into the change log.
    audit_exclude = ("created_at", "updated_at", "secret", "token")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=EndpointKind.choices)
    url = models.URLField(_("地址"), max_length=500)
    secret = models.CharField(
        _("签名密钥"),
        max_length=200,
        blank=True,
        help_text=_(
            "钉钉“加签”、飞书“签名校验”、通用 Webhook 的签名密钥或语音通知的 AccessKey Secret；"
            "企业微信无需填写"
        ),
    )
    access_key_id = models.CharField(
        _("AccessKey ID"), max_length=100, blank=True, help_text=_("语音通知服务的访问密钥 ID")
    )
    template_id = models.CharField(
        _("语音模板编号"), max_length=100, blank=True, help_text=_("语音通知服务的文本转语音模板")
    )
    token = models.CharField(
        _("访问令牌"), max_length=500, blank=True, help_text=_("例如短信网关的 Bearer 令牌")
    )
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notification_endpoints",
        help_text=_("留空表示接收所有客户的通知"),
    )
    kinds = models.JSONField(
        _("订阅的通知类别"),
        default=list,
        blank=True,
        help_text=_("勾选要接收的通知类别；都不勾选表示全部"),
    )
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("通知端点")
        verbose_name_plural = _("通知端点")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.customer_id}

    def subscribes_to(self, kind: str) -> bool:
        """Whether notifications of `kind` go to this endpoint (an empty list means all)."""
        return not self.kinds or kind in self.kinds


class NotificationPreference(AuditedModel):
    """A person's choice for one personal channel (e-mail or SMS).

    Defaults, per channel, when a user has no row for it: e-mail is on when the user has an
    e-mail address; SMS is on when the user has a phone number and an enabled SMS gateway
    endpoint exists. A row decides for its channel: `enabled` switches it, and a non-empty
    `address` replaces the user's own e-mail address or phone number.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=PersonalChannel.choices)
    enabled = models.BooleanField(_("启用"), default=True)
    address = models.CharField(
        _("接收地址"), max_length=254, blank=True, help_text=_("留空则使用账户中的邮箱或手机号")
    )

    class Meta:
        verbose_name = _("通知偏好")
        verbose_name_plural = _("通知偏好")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel"], name="unique_notification_preference"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_channel_display()}"

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.user.customer_id}


class Notification(TimeStampedModel):
    """One message on one channel to one address: a row of the outbox.

    `(dedupe_key, channel, address)` is unique, so enqueueing the same event twice never
    doubles a message. `claimed_until` is the lease of the worker sending it right now.
    """

    kind = models.CharField(_("类别"), max_length=40, choices=NotificationKind.choices)
    subject = models.CharField(_("主题"), max_length=200)
    body = models.TextField(_("正文"), blank=True)
    payload = models.JSONField(_("数据"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    dedupe_key = models.CharField(_("去重键"), max_length=200)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("接收地址"), max_length=254)
    endpoint = models.ForeignKey(
        ChannelEndpoint,
        verbose_name=_("端点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )
    ref_type = models.CharField(_("关联对象类型"), max_length=40, blank=True)
    ref_id = models.CharField(_("关联对象编号"), max_length=64, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("失败次数"), default=0)
    next_attempt_at = models.DateTimeField(_("下次发送时间"), default=clock.now)
    claimed_until = models.DateTimeField(_("发送租约到期"), null=True, blank=True)
    claim_token = models.CharField(_("租约标识"), max_length=32, blank=True, editable=False)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key", "channel", "address"], name="unique_notification_message"
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="notification_due"),
            models.Index(fields=["ref_type", "ref_id"], name="notification_ref"),
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.address}"

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.customer_id}

    @property
    def can_retry(self) -> bool:
        """Only a message that has given up can be put back in the queue."""
        return self.state == State.FAILED

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]


class DeliveryAttempt(models.Model):
    """One try to send a notification, successful or not (the delivery log)."""

    notification = models.ForeignKey(
        Notification, verbose_name=_("通知"), on_delete=models.CASCADE, related_name="attempt_log"
    )
    at = models.DateTimeField(_("时间"), default=clock.now)
    ok = models.BooleanField(_("成功"))
    status_code = models.PositiveIntegerField(_("状态码"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        ordering = ["notification", "at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {'OK' if self.ok else self.error[:60]}"
