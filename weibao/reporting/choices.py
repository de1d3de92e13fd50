"""Choices of the reporting app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    """Calendar months or calendar quarters of the contract period (ANA-1)."""

    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")


class ReportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    GENERATING = "generating", _("生成中")
    READY = "ready", _("已生成")
    FAILED = "failed", _("生成失败")


# The shared stylesheet's badge colour for each report state.
STATE_BADGES = {
    ReportState.QUEUED: "running",
    ReportState.GENERATING: "running",
    ReportState.READY: "done",
    ReportState.FAILED: "breached",
}


class Trigger(models.TextChoices):
    AUTO = "auto", _("期末自动生成")
    MANUAL = "manual", _("手动生成")


class ExportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"


class ReportEvent(models.TextChoices):
    """Event kinds reports write to the timeline (`core.audit.record_event`)."""

    REQUESTED = "report.requested", _("申请生成报告")
    READY = "report.ready", _("报告已生成")
    FAILED = "report.failed", _("报告生成失败")
