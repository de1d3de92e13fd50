"""Writes of the reporting app: asking for a report, and the engineer-written sections."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.accounts.capabilities import Capability
from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.errors import DomainError
from weibao.core.events import event_text
from weibao.core.permissions import require
from weibao.reporting import generation
from weibao.reporting.choices import ReportEvent, ReportState, Trigger
from weibao.reporting.models import ENGINEER_SECTIONS, AnalysisReport
from weibao.reporting.periods import period_at

STALE_AFTER = dt.timedelta(minutes=10)


def _require(actor, capability: str, contract) -> None:
    """PRM-1: generating needs `report.generate` (maintenance manager, account manager),
    editing the sections `report.edit` (also engineers). `actor=None` is the system (the
    automatic reports of each period)."""
    if actor is not None:
        require(actor, capability, customer_id=contract.customer_id)


@transaction.atomic
def request_report(
    contract,
    *,
    period_kind: str,
    day: dt.date,
    actor,
    recurring_threshold: int | None = None,
    trigger: str = Trigger.MANUAL,
    start: bool = True,
) -> AnalysisReport:
    """Ask for the report of the contract's period of `period_kind` containing `day` (new, or
    regenerated; the engineer-written sections are kept). Generation starts after commit, in
    the background (`reporting.generation`); the page shows its progress. A report already
    being generated is returned as it is. With `start=False` the report is only queued (the
    caller generates it, or the due source does)."""
    _require(actor, Capability.REPORT_GENERATE, contract)
    period = period_at(contract, period_kind, day)
    now = clock.now()
    if period.start > clock.today():
        raise DomainError(_("该周期尚未开始。"), code="period_not_started", field="period_start")
    if recurring_threshold is not None and recurring_threshold < 2:
        raise DomainError(_("重复故障阈值至少为 2。"), field="recurring_threshold")
    report, created = AnalysisReport.objects.select_for_update().get_or_create(
        contract=contract,
        period_kind=period.kind,
        period_start=period.start,
        defaults={"period_end": period.end, "requested_at": now, "trigger": trigger,
                  "requested_by": actor},
    )  # fmt: skip
    fresh = report.heartbeat_at is not None and now - report.heartbeat_at < STALE_AFTER
    if not created and report.state == ReportState.GENERATING and fresh:
        return report
    report.period_end = period.end
    report.state, report.progress, report.progress_note = ReportState.QUEUED, 0, _("排队中")
    report.requested_at, report.requested_by = now, actor
    report.error = ""
    if recurring_threshold is not None:
        report.recurring_threshold = recurring_threshold
    report.save()
    record_event(
        report,
        kind=ReportEvent.REQUESTED,
        actor=actor,
        message=event_text("申请生成运行分析报告：%(period)s", period=period.label_text),
    )
    if start:
        transaction.on_commit(lambda: generation.dispatch(report.pk))
    return report


@transaction.atomic
def save_sections(report: AnalysisReport, *, actor, **texts: str) -> AnalysisReport:
    """Save the engineer-written sections (cause analysis, maintenance problems, improvement
    suggestions). The exported files are rendered again on their next download."""
    _require(actor, Capability.REPORT_EDIT, report.contract)
    unknown = set(texts) - set(ENGINEER_SECTIONS)
    if unknown:
        raise DomainError(_("未知的报告章节。"), field=sorted(unknown)[0])
    report = AnalysisReport.objects.select_for_update().get(pk=report.pk)
    for name, text in texts.items():
        setattr(report, name, (text or "").strip())
    report.sections_updated_by = actor
    for fmt in ("pdf", "docx", "xlsx"):
        field = getattr(report, fmt)
        if field:
            field.delete(save=False)
    report.save()
    return report
