"""Inspection plans (INS-1, INS-2): per-contract settings, the planned visits and their moves."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds, clock
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.inspections.choices import Holiday, VisitKind, VisitState


class InspectionSettings(AuditedModel):
    """How a contract's inspections are planned. Created with the defaults the first time a
    plan is generated; an administrator edits it per contract."""

    tenant_path = "contract__customer"

    contract = models.OneToOneField(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.CASCADE,
        related_name="inspection_settings",
    )
    include_front_end = models.BooleanField(
        _("含前端设备季度巡检"), default=False, help_text=_("合同包含前端设备巡检时勾选")
    )
    pre_holiday_working_days = models.PositiveSmallIntegerField(
        _("节前巡检提前工作日数"),
        default=2,
        validators=[MaxValueValidator(20)],
        help_text=_("在节假日第一个休息日之前的第几个工作日巡检监控中心"),
    )
    notify_days_ahead = models.PositiveSmallIntegerField(
        _("提前通知客户天数"), default=3, validators=[MaxValueValidator(60)]
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡检计划设置")
        verbose_name_plural = _("巡检计划设置")

    def __str__(self) -> str:
        return str(_("%(contract)s 的巡检设置") % {"contract": self.contract})

    def archive_scope(self):
        return {"customer": self.contract.customer_id}


class InspectionVisit(AuditedModel):
    """One planned inspection of one site: its date, why it was planned, and — once the
    engineer is on site — its progress, findings and paperwork."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="+"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.CASCADE,
        related_name="inspection_visits",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        on_delete=models.PROTECT,
        related_name="inspection_visits",
    )
    kind = models.CharField(_("巡检类型"), max_length=20, choices=VisitKind.choices)
    plan_key = models.CharField(
        _("计划键"), max_length=100, help_text=_("同一合同内唯一，使重复生成计划不会重复")
    )
    contract_year = models.PositiveSmallIntegerField(_("合同年度"))
    period_start = models.DateField(_("周期开始"), validators=[bounds.plausible_date])
    period_end = models.DateField(_("周期结束"), validators=[bounds.plausible_date])
    holiday = models.CharField(_("节日"), max_length=20, choices=Holiday.choices, blank=True)
    holiday_year = models.PositiveSmallIntegerField(_("节日年份"), null=True, blank=True)
    holiday_names = models.CharField(
        _("节假日"), max_length=60, blank=True, help_text=_("合并放假时可能包含两个节日")
    )
    holiday_first_day_off = models.DateField(
        _("第一个休息日"), null=True, blank=True, validators=[bounds.plausible_date]
    )
    planned_date = models.DateField(
        _("计划日期"), db_index=True, validators=[bounds.plausible_date]
    )
    generated_date = models.DateField(_("生成时的日期"))
    provisional = models.BooleanField(
        _("暂定"), default=False, help_text=_("该年度放假安排尚未导入，日期按节日推算")
    )
    calendar_year = models.PositiveSmallIntegerField(
        _("待导入日历年度"), null=True, blank=True, help_text=_("暂定日期所等待的日历年度")
    )
    moved_by_planner = models.BooleanField(_("计划员已调整"), default=False)
    state = models.CharField(
        _("状态"), max_length=20, choices=VisitState.choices, default=VisitState.PLANNED
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("巡检工程师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inspection_visits",
    )
    started_at = models.DateTimeField(_("到场时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    remind_at = models.DateTimeField(_("通知客户时间"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("已通知客户"), null=True, blank=True)
    summary = models.TextField(_("巡检结论与建议"), max_length=bounds.NOTE_MAX, blank=True)
    config_changed = models.BooleanField(_("更改了设备配置"), default=False)
    config_change_description = models.TextField(
        _("配置更改说明"), max_length=bounds.NOTE_MAX, blank=True
    )
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("巡检")
        verbose_name_plural = _("巡检")
        ordering = ["planned_date", "site__code"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "plan_key"], name="unique_visit_key"),
        ]
        indexes = [models.Index(fields=["state", "remind_at"])]

    def __str__(self) -> str:
        return f"{self.planned_date:%Y-%m-%d} {self.site} {self.get_kind_display()}"

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id}

    @property
    def title(self) -> str:
        if self.kind == VisitKind.PRE_HOLIDAY and self.holiday_names:
            return str(_("%(holiday)s前监控中心巡检") % {"holiday": self.holiday_names})
        return str(self.get_kind_display())


class VisitMove(models.Model):
    """A planner moved a visit to another date, and why."""

    visit = models.ForeignKey(
        InspectionVisit, verbose_name=_("巡检"), on_delete=models.CASCADE, related_name="moves"
    )
    from_date = models.DateField(_("原日期"))
    to_date = models.DateField(_("新日期"), validators=[bounds.plausible_date])
    reason = models.CharField(_("原因"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), default=clock.now)

    class Meta:
        verbose_name = _("巡检改期")
        verbose_name_plural = _("巡检改期")
        ordering = ["visit", "at", "id"]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.from_date} → {self.to_date}"
