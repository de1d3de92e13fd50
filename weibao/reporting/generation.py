"""Generating a report: compute the figures, draw the charts, render the PDF, Word and Excel
files, store them, tell the customer. Progress is written to the report row as it goes, in
its own short transactions, so the report page can poll it.

Where it runs: `dispatch(report_id)` starts a background thread in the current process (the
web server for an on-demand report, the worker for an automatic one), so neither the request
nor the tick waits for it; with `WEIBAO_REPORT_THREADS = False` (tests, or a deployment that
prefers it) it runs inline. Whoever runs it first claims the report (queued → generating, a
conditional UPDATE), so a thread and a tick never generate the same report twice. A report
left queued or stalled (its process restarted) is picked up again by the due source
`reporting.reports` (see `reporting.tasks`).
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core import clock
from weibao.core.audit import record_event
from weibao.core.events import event_text
from weibao.library.selectors import account_managers, customer_people
from weibao.notifications.services import notify
from weibao.reporting import charts, exports
from weibao.reporting.choices import ExportFormat, ReportEvent, ReportState
from weibao.reporting.models import AnalysisReport
from weibao.reporting.presenters import charts_of, present
from weibao.reporting.sections import COMPUTED, Scope, compute_figures

log = logging.getLogger(__name__)

# Progress milestones (percent) of the steps after the figures.
FIGURES_DONE, CHARTS_DONE = 60, 70
FILE_DONE = {ExportFormat.PDF: 85, ExportFormat.DOCX: 92, ExportFormat.XLSX: 98}
FILE_NOTE = {
    ExportFormat.PDF: "生成 PDF",
    ExportFormat.DOCX: "生成 Word",
    ExportFormat.XLSX: "生成 Excel",
}


# At most this many reports are generated at once by one process's background threads; the
# due source leaves the rest queued for a later tick.
MAX_THREADS = 2
_running: set[int] = set()
_running_lock = threading.Lock()


def in_threads() -> bool:
    return getattr(settings, "WEIBAO_REPORT_THREADS", True)


def capacity() -> int:
    """How many more reports the due source may hand to this process now."""
    if not in_threads():
        return MAX_THREADS
    with _running_lock:
        return max(0, MAX_THREADS - len(_running))


def dispatch(report_id: int) -> None:
    """Generate the report in a background thread (or inline, see the module doc)."""
    if not in_threads():
        generate_report(report_id)
        return
    with _running_lock:
        if report_id in _running:
            return
        _running.add(report_id)
    thread = threading.Thread(
        target=_run_in_thread, args=(report_id,), name=f"report-{report_id}", daemon=False
    )
    thread.start()


def _run_in_thread(report_id: int) -> None:
    close_old_connections()
    try:
        generate_report(report_id)
    finally:
        connections.close_all()
        with _running_lock:
            _running.discard(report_id)


def _claim(report_id: int) -> bool:
    now = clock.now()
    return bool(
        AnalysisReport.objects.filter(pk=report_id, state=ReportState.QUEUED).update(
            state=ReportState.GENERATING, progress=0, progress_note=_("开始"), started_at=now,
            heartbeat_at=now, error="",
        )
    )  # fmt: skip


def _progress(report_id: int, percent: int, note: str) -> None:
    AnalysisReport.objects.filter(pk=report_id).update(
        progress=percent, progress_note=note[:100], heartbeat_at=clock.now()
    )


def generate_report(report_id: int, *, files: bool = True) -> AnalysisReport | None:
    """Generate a queued report; None when someone else has claimed it already. With
    `files=False` the PDF, Word and Excel files are left to their first download (the demo
    loader does this to stay fast)."""
    if not _claim(report_id):
        return None
    report = AnalysisReport.objects.select_related("contract__customer", "contract__policy").get(
        pk=report_id
    )
    try:
        rendered = _build(report, files=files)
    except Exception as error:  # a failed report must say so, whatever broke
        log.exception("report %s failed", report_id)
        AnalysisReport.objects.filter(pk=report_id).update(
            state=ReportState.FAILED, error=str(error)[:2000], heartbeat_at=clock.now()
        )
        record_event(
            report, kind=ReportEvent.FAILED, message=event_text("报告生成失败：%(e)s", e=error)
        )
        return AnalysisReport.objects.get(pk=report_id)
    return _store(report, rendered)


def _build(report: AnalysisReport, *, files: bool) -> dict[str, bytes]:
    scope = Scope(
        contract=report.contract,
        period=report.period,
        now=clock.now(),
        recurring_threshold=report.recurring_threshold,
    )
    steps = len(COMPUTED)

    def step(i: int, title: str) -> None:
        _progress(report.pk, 5 + (FIGURES_DONE - 5) * i // steps, title)

    report.figures = compute_figures(scope, progress=step)
    report.generated_at = scope.now
    report.charts = charts.render_all(charts_of(present(report)))
    _progress(report.pk, CHARTS_DONE, _("绘制图表"))
    rendered = {}
    for fmt in ExportFormat.values if files else ():
        rendered[fmt] = exports.render(report, fmt)
        _progress(report.pk, FILE_DONE[fmt], FILE_NOTE[fmt])
    return rendered


@transaction.atomic
def _store(report: AnalysisReport, files: dict[str, bytes]) -> AnalysisReport:
    locked = AnalysisReport.objects.select_for_update().get(pk=report.pk)
    for fmt in ExportFormat.values:
        field = getattr(locked, fmt)
        if field:  # the previous generation's file
            field.delete(save=False)
        if fmt in files:
            field.save(file_name(locked, fmt), ContentFile(files[fmt]), save=False)
    locked.figures, locked.charts = report.figures, report.charts
    locked.generated_at = report.generated_at
    locked.state, locked.progress, locked.progress_note = ReportState.READY, 100, _("完成")
    locked.heartbeat_at = clock.now()
    locked.save()
    record_event(
        locked,
        kind=ReportEvent.READY,
        message=event_text("运行分析报告已生成：%(period)s", period=locked.period.label_text),
        data={"tickets": report.figures.get("overview", {}).get("tickets")},
    )
    if locked.notified_at is None and locked.period.closed_on(
        timezone.localdate(locked.generated_at)
    ):
        _tell_customer(locked)
    return locked


def file_name(report: AnalysisReport, fmt: str) -> str:
    return f"report-{report.pk}-{report.period_kind}-{report.period_start:%Y%m%d}.{fmt}"


def download_name(report: AnalysisReport, fmt: str) -> str:
    return f"运行分析报告-{report.contract.number}-{report.period.label}.{fmt}"


def _tell_customer(report: AnalysisReport) -> None:
    """The customer hears once per report that it is ready (ANA-1)."""
    customer = report.contract.customer
    notify(
        recipients=customer_people(customer.pk) + account_managers(customer.pk),
        subject=event_text("运行分析报告已生成：%(period)s", period=report.period.label),
        body=event_text(
            "%(customer)s 合同 %(number)s 的%(period)s系统运行情况分析报告已生成，"
            "请登录维保服务台查看或下载（PDF / Word / Excel）。",
            customer=customer,
            number=report.contract.number,
            period=report.period.label,
        ),
        kind="analysis_report",
        dedupe_key=f"report:{report.pk}:ready",
        customer=customer,
        ref_type="analysis_report",
        ref_id=str(report.pk),
    )
    report.notified_at = clock.now()
    report.save(update_fields=["notified_at"])


def ensure_file(report: AnalysisReport, fmt: str) -> AnalysisReport:
    """The report's file of `fmt`, rendered again from the stored figures when an edit of the
    engineer-written sections cleared it."""
    if getattr(report, fmt):
        return report
    content = exports.render(report, fmt)
    with transaction.atomic():
        locked = AnalysisReport.objects.select_for_update().get(pk=report.pk)
        field = getattr(locked, fmt)
        if not field:
            field.save(file_name(locked, fmt), ContentFile(content), save=False)
            locked.save(update_fields=[fmt])
    return locked
