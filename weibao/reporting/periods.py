"""Report periods (ANA-1): calendar months and calendar quarters, clipped to the contract.

A contract running 2025-07-15 – 2026-07-14 has the quarters 2025-07-15 – 2025-09-30 (the
first one starts with the contract), 2025-10-01 – 2025-12-31, … and 2026-07-01 – 2026-07-14
(the last one ends with it). Calendar periods were chosen over periods aligned on the contract
start because the customer's own monthly/quarterly reporting follows the calendar, and the
monitoring platform's alarm statistics (which join the report later) are calendar-based too.

Which kinds a contract gets automatically follows its plan: the entitlement of service item
011 (系统运行情况分析) with period "quarter" or "month" (Gold: quarterly). Any kind can be
generated on demand.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from weibao.catalog.models import Entitlement, Period
from weibao.core.errors import DomainError
from weibao.core.events import EventText, event_text
from weibao.reporting.choices import PeriodKind

ANALYSIS_ITEM = "operation_analysis"
KIND_OF_PERIOD = {Period.MONTH: PeriodKind.MONTH, Period.QUARTER: PeriodKind.QUARTER}


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    start: dt.date
    end: dt.date  # inclusive
    calendar_start: dt.date
    calendar_end: dt.date

    @property
    def label(self) -> str:
        return str(self.label_text)

    @property
    def label_text(self) -> EventText:
        """The label as an event's parameter, read in the reader's language."""
        if self.kind == PeriodKind.MONTH:
            text = event_text("%(y)d年%(m)d月", y=self.start.year, m=self.start.month)
        else:
            quarter = (self.calendar_start.month - 1) // 3 + 1
            text = event_text("%(y)d年第%(q)d季度", y=self.start.year, q=quarter)
        return event_text("%(event)s（部分）", event=text) if self.is_partial else text

    @property
    def is_partial(self) -> bool:
        return (self.start, self.end) != (self.calendar_start, self.calendar_end)

    @property
    def dates(self) -> str:
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"

    def closed_on(self, today: dt.date) -> bool:
        """Whether the period is over (its last day has passed)."""
        return today > self.end


def calendar_period(kind: str, day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month or quarter containing `day`."""
    months = 1 if kind == PeriodKind.MONTH else 3
    first_month = day.month if months == 1 else (day.month - 1) // 3 * 3 + 1
    start = dt.date(day.year, first_month, 1)
    next_month = first_month + months
    following = dt.date(day.year + (next_month > 12), (next_month - 1) % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _clip(contract, kind: str, calendar: tuple[dt.date, dt.date]) -> ReportPeriod | None:
    start, end = max(calendar[0], contract.start_date), min(calendar[1], contract.end_date)
    if start > end:
        return None
    return ReportPeriod(kind, start, end, *calendar)


def period_at(contract, kind: str, day: dt.date) -> ReportPeriod:
    """The contract's period of `kind` containing `day`; refused outside the contract."""
    if kind not in PeriodKind.values:
        raise DomainError(_("无效的报告周期。"), field="period_kind")
    period = _clip(contract, kind, calendar_period(kind, day))
    if period is None or not contract.start_date <= day <= contract.end_date:
        raise DomainError(_("该日期不在合同期内。"), code="outside_contract", field="period_start")
    return period


def periods_of(contract, kind: str, *, until: dt.date) -> list[ReportPeriod]:
    """The contract's periods of `kind` that have started by `until`, oldest first."""
    periods = []
    day = contract.start_date
    while day <= min(until, contract.end_date):
        period = period_at(contract, kind, day)
        periods.append(period)
        day = period.end + dt.timedelta(days=1)
    return periods


def last_closed(contract, kind: str, today: dt.date) -> ReportPeriod | None:
    """The most recent period of `kind` that has ended before `today`."""
    last_day = min(today - dt.timedelta(days=1), contract.end_date)
    if last_day < contract.start_date:
        return None
    period = period_at(contract, kind, last_day)
    if period.end > last_day:  # yesterday's period is still running: take the one before
        before = period.start - dt.timedelta(days=1)
        if before < contract.start_date:
            return None
        period = period_at(contract, kind, before)
    return period


def automatic_kinds(plan_ids) -> dict[int, set[str]]:
    """For each plan: the report kinds its analysis entitlement promises (month/quarter)."""
    kinds: dict[int, set[str]] = {}
    rows = Entitlement.objects.filter(plan_id__in=plan_ids, item__slug=ANALYSIS_ITEM)
    for plan_id, period in rows.values_list("plan_id", "period"):
        if period in KIND_OF_PERIOD:
            kinds.setdefault(plan_id, set()).add(KIND_OF_PERIOD[period])
    return kinds
