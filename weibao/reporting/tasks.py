"""The due source `reporting.reports` (run by `weibao tick` with every other due source):

1. after a period closes, queue the report of every contract whose plan promises reports of
   that kind (Gold: quarterly) for its last closed period — exactly once: the report row is
   unique per contract and period, so a second tick, or a second worker, finds it there.
   Only periods that closed within the last `AUTO_WINDOW` (7 days, room for a worker that
   was down) are queued; a contract entered long after a period closed, or an older period,
   gets its report on demand;
2. re-queue reports whose generation stalled (no progress for 10 minutes: the process that
   ran it stopped);
3. dispatch the queued reports nobody is generating: the new automatic ones at once, and
   on-demand ones whose web process did not pick them up within 30 seconds.

Generation runs in a background thread started once this source's writes are committed (see
`reporting.generation`), so the tick is not held up; the customer is notified when an
automatic report is ready.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from weibao.contracts.models import Contract
from weibao.core import due
from weibao.reporting import generation
from weibao.reporting.choices import ReportState, Trigger
from weibao.reporting.models import AnalysisReport
from weibao.reporting.periods import automatic_kinds, last_closed
from weibao.reporting.services import STALE_AFTER

PICKUP_GRACE = dt.timedelta(seconds=30)
AUTO_WINDOW = dt.timedelta(days=7)


def process_reports(*, now: dt.datetime, limit: int) -> int:
    """Due source: queue reports of closed periods, recover stalled ones, dispatch."""
    queued = queue_closed_periods(now=now, limit=limit)
    stalled = AnalysisReport.objects.filter(
        state=ReportState.GENERATING, heartbeat_at__lt=now - STALE_AFTER
    )
    stalled_ids = list(stalled.values_list("id", flat=True))
    stalled.filter(pk__in=stalled_ids).update(state=ReportState.QUEUED)
    with transaction.atomic():
        waiting = AnalysisReport.objects.filter(state=ReportState.QUEUED).filter(
            Q(trigger=Trigger.AUTO)
            | Q(requested_at__lte=now - PICKUP_GRACE)
            | Q(pk__in=stalled_ids)
        )
        ids = list(
            due.claim(waiting.order_by("requested_at", "id")).values_list("id", flat=True)[:limit]
        )
    for report_id in ids:
        # After commit: a thread's own connection must see the row (and a rolled-back tick
        # dispatches nothing).
        transaction.on_commit(lambda pk=report_id: generation.dispatch(pk))
    return queued + len(ids)


def queue_closed_periods(*, now: dt.datetime, limit: int) -> int:
    """Create the queued automatic report of each contract's last closed period, if missing."""
    today = timezone.localdate(now)
    contracts = list(
        Contract.objects.filter(start_date__lt=today, end_date__gte=today - AUTO_WINDOW)
        .select_related("customer")
        .order_by("id")
    )
    kinds = automatic_kinds({c.plan_id for c in contracts})
    wanted = []
    for contract in contracts:
        for kind in sorted(kinds.get(contract.plan_id, ())):
            period = last_closed(contract, kind, today)
            if period is not None and today - period.end <= AUTO_WINDOW:
                wanted.append((contract, period))
    if not wanted:
        return 0
    existing = set(
        AnalysisReport.objects.filter(contract__in={c for c, _p in wanted}).values_list(
            "contract_id", "period_kind", "period_start"
        )
    )
    created = 0
    for contract, period in wanted:
        if (contract.pk, period.kind, period.start) in existing or created >= limit:
            continue
        try:
            with transaction.atomic():
                AnalysisReport.objects.create(
                    contract=contract, period_kind=period.kind, period_start=period.start,
                    period_end=period.end, trigger=Trigger.AUTO, state=ReportState.QUEUED,
                    requested_at=now,
                )  # fmt: skip
        except IntegrityError:  # another worker queued it a moment ago
            continue
        created += 1
    return created
