"""Operation analysis reports (ANA-1, ANA-2): one row per contract and period, holding the
computed figures, the charts, the engineer-written sections and the exported files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.reporting.choices import STATE_BADGES, PeriodKind, ReportState, Trigger
from weibao.reporting.periods import ReportPeriod, calendar_period

ENGINEER_SECTIONS = ("cause_analysis", "maintenance_problems", "improvement_suggestions")


def _upload_to(instance, filename: str) -> str:
    return f"reports/{instance.contract_id}/{filename}"


class AnalysisReport(AuditedModel):
    """A monthly or quarterly operation analysis report of one contract.

    `figures` is what `reporting.sections` computed (plain numbers, JSON), `charts` the PNG
    images drawn from them (base64, by chart key), shown in the browser and embedded in the
    PDF, Word and Excel files. The engineer-written sections survive a regeneration.
    Generation state and progress are written by `reporting.generation`; they and the large
    fields are left out of the audit log (the report's events say when it was generated).
    """

    tenant_path = "contract__customer"
    audit_exclude = (
        "created_at", "updated_at", "state", "progress", "progress_note", "requested_at",
        "started_at", "heartbeat_at", "generated_at", "figures", "charts", "pdf", "docx",
        "xlsx", "error", "notified_at",
    )  # fmt: skip

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        on_delete=models.CASCADE,
        related_name="analysis_reports",
    )
    period_kind = models.CharField(_("周期"), max_length=10, choices=PeriodKind.choices)
    period_start = models.DateField(_("开始日期"), validators=[bounds.plausible_date])
    period_end = models.DateField(_("结束日期"), validators=[bounds.plausible_date])
    trigger = models.CharField(
        _("生成方式"), max_length=10, choices=Trigger.choices, default=Trigger.MANUAL
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=ReportState.choices, default=ReportState.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    progress_note = models.CharField(_("当前步骤"), max_length=100, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("申请时间"))
    started_at = models.DateTimeField(_("开始生成"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    generated_at = models.DateTimeField(_("生成时间"), null=True, blank=True)
    recurring_threshold = models.PositiveSmallIntegerField(
        _("重复故障阈值"),
        default=3,
        help_text=_("同一设备或机房在本期故障次数达到此数即列为重复故障"),
    )
    figures = models.JSONField(_("统计数据"), default=dict, blank=True)
    charts = models.JSONField(_("图表"), default=dict, blank=True, editable=False)
    cause_analysis = models.TextField(_("故障原因分析"), max_length=bounds.NOTE_MAX, blank=True)
    maintenance_problems = models.TextField(
        _("系统维护存在的问题"), max_length=bounds.NOTE_MAX, blank=True
    )
    improvement_suggestions = models.TextField(
        _("维护改进建议"), max_length=bounds.NOTE_MAX, blank=True
    )
    sections_updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分析撰写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    pdf = models.FileField(_("PDF"), upload_to=_upload_to, blank=True, max_length=200)
    docx = models.FileField(_("Word"), upload_to=_upload_to, blank=True, max_length=200)
    xlsx = models.FileField(_("Excel"), upload_to=_upload_to, blank=True, max_length=200)
    error = models.TextField(_("错误"), blank=True)
    notified_at = models.DateTimeField(_("已通知客户"), null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("运行分析报告")
        verbose_name_plural = _("运行分析报告")
        ordering = ["-period_start", "period_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "period_kind", "period_start"], name="one_report_per_period"
            ),
        ]
        indexes = [models.Index(fields=["state", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.contract.number} {self.period.label}"

    def archive_scope(self):
        return {"customer": self.contract.customer_id}

    @property
    def period(self) -> ReportPeriod:
        return ReportPeriod(
            self.period_kind,
            self.period_start,
            self.period_end,
            *calendar_period(self.period_kind, self.period_start),
        )

    @property
    def is_running(self) -> bool:
        return self.state in (ReportState.QUEUED, ReportState.GENERATING)

    @property
    def has_failed(self) -> bool:
        return self.state == ReportState.FAILED

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def has_content(self) -> bool:
        return bool(self.figures) and self.generated_at is not None
