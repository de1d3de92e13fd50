"""Alarm intake (ALM-1): the sources that send alarms, every delivery kept raw, one row per
alarm (repeats update it) and the inbox of raise/resolve changes that correlation reads."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.alarms.choices import AlarmState, ChangeKind, Severity, SourceKind
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet

COUNTER_FIELDS = ("received", "rejected", "errors", "last_received_at", "last_error")


class AlarmSource(AuditedModel):
    """A monitoring platform that sends alarms for one customer: its format, its credentials
    (a token, an HMAC secret or both), its field mapping and its health counters."""

    tenant_path = "customer"
    audit_exclude = ("created_at", "updated_at", *COUNTER_FIELDS)

    name = models.CharField(_("名称"), max_length=100)
    slug = models.SlugField(
        _("标识"),
        max_length=50,
        unique=True,
        help_text=_("接收地址中的标识，如 /api/alarms/alertmanager/<标识>/"),
    )
    kind = models.CharField(_("格式"), max_length=20, choices=SourceKind.choices)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="alarm_sources",
    )
    enabled = models.BooleanField(_("启用"), default=True)
    token = models.CharField(
        _("令牌"),
        max_length=128,
        blank=True,
        help_text=_("发送方以 Authorization: Bearer <令牌> 或 ?token=<令牌> 认证"),
    )
    hmac_secret = models.CharField(
        _("HMAC 密钥"),
        max_length=128,
        blank=True,
        help_text=_("发送方以请求体的 HMAC-SHA256（十六进制）放在 X-Weibao-Signature 头中认证"),
    )
    mapping = models.JSONField(
        _("字段映射"),
        default=dict,
        blank=True,
        help_text=_("通用 JSON/MQTT：key、time、level、site、device、recovery 等字段的点分路径"),
    )
    resolve_timeout = models.DurationField(
        _("自动恢复时间"),
        default=dt.timedelta(minutes=5),
        help_text=_("Alertmanager 兼容接口：告警未给出结束时间且未重发时，经过此时间自动恢复"),
    )
    received = models.PositiveBigIntegerField(_("已接收"), default=0)
    rejected = models.PositiveBigIntegerField(_("已拒绝"), default=0)
    errors = models.PositiveBigIntegerField(_("出错"), default=0)
    last_received_at = models.DateTimeField(_("最近接收"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("告警来源")
        verbose_name_plural = _("告警来源")
        ordering = ["customer", "name"]
        constraints = [
            # /api/v2/alerts picks the source by its token alone.
            models.UniqueConstraint(
                fields=["token"], condition=~Q(token=""), name="unique_alarm_source_token"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.customer_id}


class RawDelivery(models.Model):
    """One request or message as it arrived, kept for replay and audit. Written either in the
    same transaction as the alarms it carried (`pending` false), or alone by the lean intake
    process (`pending` true): the runner then applies it to its alarms (`alarms.apply`), in
    the order received, and clears `pending` in that transaction."""

    tenant_path = "source__customer"

    source = models.ForeignKey(
        AlarmSource, verbose_name=_("来源"), on_delete=models.CASCADE, related_name="deliveries"
    )
    received_at = models.DateTimeField(_("接收时间"))
    body = models.TextField(_("原文"))
    content_type = models.CharField(_("内容类型"), max_length=100, blank=True)
    remote = models.CharField(_("发送方地址"), max_length=100, blank=True)
    alarms = models.PositiveIntegerField(_("告警数"), default=0)
    pending = models.BooleanField(_("待处理"), default=False)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("原始报文")
        verbose_name_plural = _("原始报文")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["source", "received_at"]),
            models.Index(
                fields=["source", "id"], condition=Q(pending=True), name="alarm_delivery_pending"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} @ {self.received_at:%Y-%m-%d %H:%M:%S}"


class Alarm(models.Model):
    """One alarm of a source, identified by its key (the Alertmanager fingerprint of its labels,
    or the source's own key). Repeats update it (count, last seen) instead of adding rows."""

    tenant_path = "customer"

    source = models.ForeignKey(
        AlarmSource, verbose_name=_("来源"), on_delete=models.PROTECT, related_name="alarms"
    )
    key = models.CharField(_("告警键"), max_length=200)
    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="alarms"
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="alarms",
    )
    name = models.CharField(_("告警名称"), max_length=200, blank=True)
    severity = models.CharField(
        _("严重程度"), max_length=10, choices=Severity.choices, default=Severity.WARNING
    )
    suggested_level = models.CharField(_("建议级别"), max_length=2, blank=True)
    labels = models.JSONField(_("标签"), default=dict, blank=True)
    description = models.TextField(_("描述"), blank=True)
    site_ref = models.CharField(_("来源机房标识"), max_length=200, blank=True)
    asset_ref = models.CharField(_("来源设备标识"), max_length=200, blank=True)
    state = models.CharField(
        _("状态"), max_length=10, choices=AlarmState.choices, default=AlarmState.FIRING
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    auto_resolve = models.BooleanField(
        _("到期自动恢复"), default=False, help_text=_("结束时间由接收方推定，未重发则到期恢复")
    )
    first_seen = models.DateTimeField(_("首次接收"))
    last_seen = models.DateTimeField(_("最近接收"))
    repeat_count = models.PositiveIntegerField(_("接收次数"), default=1)
    resolved_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    last_delivery = models.ForeignKey(
        RawDelivery,
        verbose_name=_("最近报文"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("告警")
        verbose_name_plural = _("告警")
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="unique_alarm_per_source_key"),
        ]
        indexes = [
            models.Index(fields=["customer", "state", "last_seen"]),
            models.Index(fields=["site", "state"]),
            models.Index(
                fields=["ends_at"],
                condition=Q(state="firing", auto_resolve=True),
                name="alarm_auto_resolve_due",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.key

    @property
    def is_firing(self) -> bool:
        return self.state == AlarmState.FIRING


class AlarmChange(models.Model):
    """The inbox of correlation: one row each time an alarm is raised (or raised again after it
    was resolved) or resolved — not for a plain repeat. Written in the transaction that changed
    the alarm; the consumer claims rows where `processed_at` is null and sets it when done."""

    tenant_path = "alarm__customer"

    alarm = models.ForeignKey(
        Alarm, verbose_name=_("告警"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("变化"), max_length=10, choices=ChangeKind.choices)
    at = models.DateTimeField(_("时间"))
    processed_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("告警变化")
        verbose_name_plural = _("告警变化")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(processed_at__isnull=True), name="alarm_change_inbox"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.alarm} {self.kind} @ {self.at:%Y-%m-%d %H:%M:%S}"
