"""The report's sections, in order: a registry every output (browser, PDF, Word, Excel) walks.

A computed section has a `compute(scope)` that returns JSON-able figures (stored on the report
as `figures[key]`), or None when its source does not exist yet (the section then shows
"暂无数据", or its `pending_title`). Engineer-written sections have no `compute`; their text is
on the report. Adding a section — the monitoring platform's alarms, say — is one entry here and
one presenter in `reporting.presenters`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from weibao.reporting import figures, sources
from weibao.reporting.periods import ReportPeriod
from weibao.tickets.models import Ticket


@dataclass(frozen=True)
class Scope:
    """What a report is about: the contract, the period (as dates and as local-time bounds)
    and the options."""

    contract: Any
    period: ReportPeriod
    now: dt.datetime
    recurring_threshold: int = 3

    @property
    def start_at(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.period.start, dt.time.min))

    @property
    def end_at(self) -> dt.datetime:
        day_after = self.period.end + dt.timedelta(days=1)
        return timezone.make_aware(dt.datetime.combine(day_after, dt.time.min))

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    @cached_property
    def level_scheme(self) -> int:
        policy = getattr(self.contract, "policy", None)
        return policy.level_scheme if policy is not None else 3

    @cached_property
    def tickets(self):
        return Ticket.objects.filter(
            contract=self.contract, reported_at__gte=self.start_at, reported_at__lt=self.end_at
        )


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    compute: Callable[[Scope], Any] | None = None
    pending_title: Any = ""

    @property
    def written_by_engineer(self) -> bool:
        return self.compute is None


def _hardware(s: Scope) -> dict:
    p = s.period
    return {
        "repairs": sources.repairs(s.contract, p.start, p.end, today=s.today),
        "loans": sources.loans(s.contract, p.start, p.end),
        "quota": sources.quota_use(s.contract, p.start, p.end),
    }


def _feedback(s: Scope) -> dict:
    return {
        "satisfaction": figures.satisfaction(s.contract, s.start_at, s.end_at),
        "complaints": sources.complaints(s.contract, s.start_at, s.end_at),
    }


SECTIONS: tuple[Section, ...] = (
    Section("overview", _("概况"), lambda s: figures.overview(s.tickets)),
    Section("faults", _("故障统计"),
            lambda s: figures.fault_statistics(s.tickets, level_scheme=s.level_scheme)),
    Section("sla", _("服务时限达成情况"), lambda s: figures.sla_attainment(s.tickets, now=s.now)),
    Section("mttr", _("平均修复时间（MTTR）"),
            lambda s: figures.mean_time_to_repair(s.tickets, level_scheme=s.level_scheme)),
    Section("recurring", _("重复故障"),
            lambda s: figures.recurring_faults(s.tickets, threshold=s.recurring_threshold)),
    Section("hardware", _("硬件维修、备件借用与服务权益使用"), _hardware),
    Section("inspections", _("巡检完成情况"),
            lambda s: sources.inspections(s.contract, s.period.start, s.period.end)),
    Section("feedback", _("客户投诉与满意度"), _feedback),
    Section("alarms", _("告警统计"),
            lambda s: sources.alarm_statistics(s.contract, s.start_at, s.end_at),
            pending_title=_("告警统计（待接入监控平台）")),
    Section("cause_analysis", _("故障原因分析")),
    Section("maintenance_problems", _("系统维护存在的问题")),
    Section("improvement_suggestions", _("维护改进建议")),
)  # fmt: skip

COMPUTED = tuple(s for s in SECTIONS if not s.written_by_engineer)


def compute_figures(scope: Scope, *, progress: Callable[[int, str], None] | None = None) -> dict:
    """Every computed section's figures, keyed by section; `progress(i, title)` after each."""
    result: dict[str, Any] = {
        "meta": {
            "contract": scope.contract.number,
            "customer": str(scope.contract.customer),
            "period_kind": scope.period.kind,
            "period_label": scope.period.label,
            "start": scope.period.start.isoformat(),
            "end": scope.period.end.isoformat(),
            "generated_at": scope.now.isoformat(),
            "period_closed": scope.period.closed_on(scope.today),
            "recurring_threshold": scope.recurring_threshold,
        }
    }
    for i, section in enumerate(COMPUTED, start=1):
        result[section.key] = section.compute(scope)
        if progress is not None:
            progress(i, str(section.title))
    return result
