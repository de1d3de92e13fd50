"""Incidents (ALM-2): alarms of one customer, site and rule grouped while they last, the
database holding at most one open incident per key; maintenance windows set by hand; the
FLT-2 classification rules as data (ALM-3); per-customer correlation settings and the
contract's alarm terms."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.incidents.choices import Condition, IncidentState, Suppression
from weibao.tickets.choices import Level

POSITIVE = [MinValueValidator(1)]


class ClassificationRule(AuditedModel):
    """One FLT-2 criterion as a rule over an incident and its site's inventory: when its
    condition holds, the incident's ticket gets `level` (the most severe matching rule wins;
    `alarm_level` rules take the level the alarm itself carries). Edited by administrators;
    a dry run counts what the rules would have opened over the last days."""

    name = models.CharField(_("名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)
    condition = models.CharField(_("条件"), max_length=30, choices=Condition.choices)
    level = models.CharField(
        _("级别"), max_length=2, choices=Level.choices, blank=True,
        help_text=_("“按告警自带级别”的规则可留空"),
    )  # fmt: skip
    criterion = models.ForeignKey(
        "tickets.ClassificationCriterion",
        verbose_name=_("分级标准"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("开单时勾选的 FLT-2 判定标准"),
    )
    site_kinds = models.JSONField(
        _("机房类型"), default=list, blank=True, help_text=_("只对这些类型的机房生效；空为全部")
    )
    categories = models.JSONField(
        _("设备类别"), default=list, blank=True, help_text=_("设备类别代码，如 camera、sensor")
    )
    alarm_names = models.CharField(
        _("告警名称"), max_length=300, blank=True,
        help_text=_("逗号分隔，可用 * 通配；空为任何告警"),
    )  # fmt: skip
    inhibits = models.BooleanField(
        _("抑制本机房的单设备事件"), default=False,
        help_text=_("匹配时，本机房及下级机房新的告警事件不再开单"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("告警分级规则")
        verbose_name_plural = _("告警分级规则")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.condition != Condition.ALARM_LEVEL and not self.level:
            raise ValidationError({"level": _("请选择级别。")})
        for field in ("site_kinds", "categories"):
            value = getattr(self, field)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationError({field: _("请填写代码列表。")})


class IncidentQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(state=IncidentState.OPEN)


class Incident(models.Model):
    """The alarms of one customer, site and rule while they last (ALM-2): one ticket for a
    storm, its level raised as it grows, resolved when every alarm has recovered. At most one
    open incident per key, enforced by the database (a partial unique index)."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    rule = models.CharField(_("告警规则"), max_length=200, blank=True)
    key = models.CharField(_("事件键"), max_length=300)
    title = models.CharField(_("标题"), max_length=300)
    state = models.CharField(
        _("状态"), max_length=10, choices=IncidentState.choices, default=IncidentState.OPEN
    )
    flapping = models.BooleanField(_("振荡"), default=False)
    level = models.CharField(_("级别"), max_length=2, choices=Level.choices, blank=True)
    classification = models.ForeignKey(
        ClassificationRule,
        verbose_name=_("分级规则"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suppression = models.CharField(
        _("抑制"), max_length=20, choices=Suppression.choices, blank=True, default=""
    )
    suppression_note = models.CharField(_("抑制说明"), max_length=300, blank=True)
    inhibited_by = models.ForeignKey(
        "self",
        verbose_name=_("抑制它的事件"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inhibits",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incidents",
    )
    opened_at = models.DateTimeField(_("产生时间"))
    resolved_at = models.DateTimeField(_("恢复时间"), null=True, blank=True)
    last_change_at = models.DateTimeField(_("最近变化"))
    alarm_count = models.PositiveIntegerField(_("告警数"), default=0)
    firing_count = models.PositiveIntegerField(_("告警中"), default=0)
    raise_count = models.PositiveIntegerField(_("产生次数"), default=0)
    # When a suppressed incident with alarms still firing is looked at again (its window may
    # have ended, its inhibiting incident recovered): `incidents.recheck`.
    recheck_at = models.DateTimeField(_("复查时间"), null=True, blank=True)

    objects = IncidentQuerySet.as_manager()

    class Meta:
        verbose_name = _("告警事件")
        verbose_name_plural = _("告警事件")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(state=IncidentState.OPEN),
                name="one_open_incident_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["key", "resolved_at"]),
            models.Index(fields=["customer", "state", "opened_at"]),
            models.Index(fields=["site", "state"]),
            models.Index(
                fields=["recheck_at"],
                condition=Q(state=IncidentState.OPEN, recheck_at__isnull=False),
                name="incident_recheck_due",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.customer_id, "site": self.site_id}

    @property
    def is_open(self) -> bool:
        return self.state == IncidentState.OPEN


class IncidentAlarm(models.Model):
    """An alarm's membership of an incident (an alarm raised again after the incident's
    window belongs to the next one as well)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links")
    alarm = models.ForeignKey("alarms.Alarm", on_delete=models.CASCADE, related_name="+")
    joined_at = models.DateTimeField(_("加入时间"))

    class Meta:
        verbose_name = _("事件告警")
        verbose_name_plural = _("事件告警")
        constraints = [
            models.UniqueConstraint(fields=["incident", "alarm"], name="unique_incident_alarm"),
        ]
        indexes = [models.Index(fields=["alarm", "incident"])]

    def __str__(self) -> str:
        return f"{self.incident_id}:{self.alarm_id}"


class MaintenanceWindow(AuditedModel):
    """A period when a site (with the sites below it) or one asset is worked on: its alarms
    are stored, its incidents recorded as suppressed, no ticket opened. Set by hand; windows
    of planned inspections and approved major operations are derived, never copied here."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="maintenance_windows",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="maintenance_windows",
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    reason = models.CharField(_("原因"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("维护窗口")
        verbose_name_plural = _("维护窗口")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["customer", "ends_at"])]

    def __str__(self) -> str:
        return f"{self.asset or self.site} {self.starts_at:%Y-%m-%d %H:%M}"

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.asset_id}


class CorrelationPolicy(AuditedModel):
    """A customer's correlation settings (defaults in `weibao.incidents.policy`): how long
    after recovery an alarm of the same key joins the incident again, what counts as flapping
    (N raises in M minutes), and how long an approved major operation silences its site."""

    customer = models.OneToOneField(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.CASCADE,
        related_name="correlation_policy",
    )
    window_minutes = models.PositiveIntegerField(
        _("合并窗口（分钟）"), validators=POSITIVE,
        help_text=_("事件恢复后这段时间内同一告警再次产生，仍归入该事件"),
    )  # fmt: skip
    flap_count = models.PositiveIntegerField(_("振荡次数"), validators=POSITIVE)
    flap_minutes = models.PositiveIntegerField(_("振荡时段（分钟）"), validators=POSITIVE)
    operation_hours = models.PositiveIntegerField(
        _("重大操作维护时长（小时）"), validators=POSITIVE,
        help_text=_("重大操作批准后、现场服务签退前，或最多这么长时间内不开单"),
    )  # fmt: skip

    class Meta:
        verbose_name = _("告警关联设置")
        verbose_name_plural = _("告警关联设置")

    def __str__(self) -> str:
        return str(self.customer)

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.customer_id}


class AlarmTerms(AuditedModel):
    """What a contract says about alarm-opened tickets: whether an L3 ticket is resolved
    automatically when its incident recovers (off unless the contract says so)."""

    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.CASCADE,
        related_name="alarm_terms",
    )
    auto_resolve_l3 = models.BooleanField(
        _("告警恢复后自动解决三级故障"), default=False,
        help_text=_("监控平台告警全部恢复时，由告警开出的三级故障工单自动解决"),
    )  # fmt: skip
    note = models.CharField(_("说明"), max_length=bounds.NAME_MAX, blank=True)

    class Meta:
        verbose_name = _("合同告警条款")
        verbose_name_plural = _("合同告警条款")

    def __str__(self) -> str:
        return str(self.contract)

    def archive_scope(self) -> dict[str, int | None]:
        return {"customer": self.contract.customer_id}
