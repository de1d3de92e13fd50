"""The emergency plan register (EMP-1, EMP-2), drills and the per-site readiness checklist
(EMP-3)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.emergency.choices import DrillOutcome, Duty, EventLevel, Probability


class EmergencyEvent(AuditedModel):
    """An event needing emergency handling (表 17): the assets involved, its impact,
    probability and level, how it is prevented and what is done when it happens. Rows without
    a customer are the standard register every customer's plan starts from."""

    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("留空表示适用于所有客户的标准预案"),
    )
    code = models.SlugField(_("代码"), max_length=40)
    name = models.CharField(_("事件"), max_length=100)
    source_name = models.CharField(
        _("表 17 原文"), max_length=100, blank=True, help_text=_("方案文本中的事件名称")
    )
    assets_involved = models.CharField(_("涉及资产"), max_length=300)
    impact = models.CharField(_("事件影响"), max_length=300)
    probability = models.CharField(_("发生概率"), max_length=10, choices=Probability.choices)
    level = models.PositiveSmallIntegerField(_("故障级别"), choices=EventLevel.choices)
    prevention = models.TextField(_("防范措施"), max_length=bounds.NOTE_MAX)
    emergency_measures = models.TextField(_("应急措施"), max_length=bounds.NOTE_MAX)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("应急事件")
        verbose_name_plural = _("应急预案登记")
        ordering = ["order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(customer__isnull=True),
                name="unique_standard_event_code",
            ),
            models.UniqueConstraint(fields=["customer", "code"], name="unique_event_code"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.name

    def archive_scope(self):
        return {"customer": self.customer_id}


class AlternativePlan(AuditedModel):
    """One of an event's alternative plans (备用方案), each independently executable, ranked
    (1 is tried first)."""

    event = models.ForeignKey(
        EmergencyEvent, verbose_name=_("事件"), on_delete=models.CASCADE,
        related_name="alternatives",
    )  # fmt: skip
    rank = models.PositiveSmallIntegerField(_("优先顺序"), validators=[MinValueValidator(1)])
    title = models.CharField(_("方案"), max_length=200)
    steps = models.TextField(_("实施步骤"), max_length=bounds.NOTE_MAX)
    target_minutes = models.PositiveIntegerField(_("预计恢复时间（分钟）"), null=True, blank=True)

    class Meta:
        verbose_name = _("备用方案")
        verbose_name_plural = _("备用方案")
        ordering = ["event", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["event", "rank"], name="unique_alternative_rank"),
        ]

    def __str__(self) -> str:
        return f"{self.event} · {self.rank}. {self.title}"

    def archive_scope(self):
        return {"customer": self.event.customer_id}


class Responsibility(AuditedModel):
    """A named person answering for an event (or, without an event, for every event) for one
    customer (or for all): the lead, the technical lead, executors."""

    event = models.ForeignKey(
        EmergencyEvent, verbose_name=_("事件"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="responsibilities", help_text=_("留空表示负责所有应急事件"),
    )  # fmt: skip
    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="+", help_text=_("留空表示适用于所有客户"),
    )  # fmt: skip
    duty = models.CharField(_("职责"), max_length=20, choices=Duty.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("人员"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    name = models.CharField(_("姓名"), max_length=100)
    phone = models.CharField(_("电话"), max_length=32)
    address = models.CharField(_("住址"), max_length=200, blank=True)
    tasks = models.TextField(_("职责说明"), max_length=bounds.NOTE_MAX, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("应急责任人")
        verbose_name_plural = _("应急责任人")
        ordering = ["order", "duty", "name"]

    def __str__(self) -> str:
        return _("%(name)s（%(detail)s）") % {"name": self.name, "detail": self.get_duty_display()}

    def archive_scope(self):
        return {"customer": self.customer_id}


class Drill(AuditedModel):
    """A drill of the emergency plan (预案演练): when, which scenario, who took part, how it
    went and what must follow."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.CASCADE, related_name="+"
    )
    site = models.ForeignKey(
        "sites.Site", verbose_name=_("机房"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    event = models.ForeignKey(
        EmergencyEvent, verbose_name=_("演练事件"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="drills",
    )  # fmt: skip
    alternative = models.ForeignKey(
        AlternativePlan, verbose_name=_("演练方案"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    held_on = models.DateField(_("演练日期"), validators=[bounds.not_after_today])
    scenario = models.TextField(_("演练场景"), max_length=bounds.NOTE_MAX)
    participants = models.TextField(_("参加人员"), max_length=bounds.NOTE_MAX)
    outcome = models.CharField(_("演练结果"), max_length=10, choices=DrillOutcome.choices)
    outcome_note = models.TextField(_("结果说明"), max_length=bounds.NOTE_MAX, blank=True)
    follow_ups = models.TextField(_("后续改进事项"), max_length=bounds.NOTE_MAX, blank=True)
    follow_ups_done = models.BooleanField(_("改进事项已完成"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急演练")
        verbose_name_plural = _("应急演练")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} {self.event or self.scenario[:30]}"

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id}


class SiteReadiness(AuditedModel):
    """What a site has in place for emergencies (EMP-3), as last checked. Ranked alternatives,
    named responsibilities and drills are derived from the register; the rest is observed on
    site."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.CASCADE, related_name="+"
    )
    site = models.OneToOneField(
        "sites.Site", verbose_name=_("机房"), on_delete=models.CASCADE,
        related_name="emergency_readiness",
    )  # fmt: skip
    flowchart_posted = models.BooleanField(_("应急流程图已张贴在显著位置"), default=False)
    contacts_posted = models.BooleanField(
        _("应急联系信息已张贴（火警、报警、负责人电话和住址）"), default=False
    )
    ups_minutes = models.PositiveIntegerField(
        _("UPS 后备时间（分钟）"), null=True, blank=True, validators=[MaxValueValidator(10000)]
    )
    dual_power_feed = models.BooleanField(_("双路电源进线"), default=False)
    hot_standby = models.BooleanField(_("关键设备双机热备"), default=False)
    offsite_backup = models.BooleanField(_("关键数据异地备份"), default=False)
    note = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)
    checked_on = models.DateField(
        _("检查日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("检查人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("应急准备检查")
        verbose_name_plural = _("应急准备检查")

    def __str__(self) -> str:
        return str(_("%(site)s 应急准备") % {"site": self.site})

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id}
