"""Due sources of the repairs app, run by the one scheduler (`weibao tick`, see
`weibao.core.due`). Each claims its due rows in one transaction, acts, marks them done there,
and is safe to run twice or in two workers at once.

* `repairs.overdue`    a repair not back by its due date → a free loaner from the provider's
                       pool and a notice to the spare keepers, exactly once (RMA-4)
* `repairs.provisional` a provisional due date whose year is now imported → recomputed
                       (normally done at import by the `year_imported` signal)
* `repairs.trial_end`  a trial past its end date without a failure → passed (RMA-5)
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.audit import record_event
from weibao.core.due import claim
from weibao.core.events import event_text, followed_by
from weibao.repairs.choices import OPEN_STATUSES, RepairEvent, RepairStatus, TrialResult
from weibao.repairs.models import Repair
from weibao.repairs.services.due_dates import settle_due
from weibao.repairs.services.lifecycle import notify_keepers_of_loaner
from weibao.spares.choices import LoanKind
from weibao.spares.services.loans import lend_free_loaner


def lend_for_overdue_repairs(*, now: dt.datetime, limit: int) -> int:
    """A repair still not back the day after its due date gets a free loaner (RMA-4)."""
    today = timezone.localdate(now)
    with transaction.atomic():
        repairs = list(
            claim(
                Repair.objects.filter(
                    status__in=OPEN_STATUSES, overdue_at__isnull=True, due_date__lt=today
                )
            )
            .select_related("customer__provider", "site", "part_type")
            .order_by("due_date", "id")[:limit]
        )
        for repair in repairs:
            repair.overdue_at = now
            if repair.loaner_id is None:
                repair.loaner = lend_free_loaner(
                    customer=repair.customer,
                    part_type=repair.part_type,
                    kind=LoanKind.REPAIR_OVERDUE,
                    site=repair.site,
                    reason=_("返修单 %(n)s 超过 %(due)s 未返回")
                    % {"n": repair.number, "due": repair.due_date},
                )
            repair.save(update_fields=["overdue_at", "loaner", "updated_at"])
            why = event_text("返修超期（应于 %(due)s 前返回）", due=repair.due_date)
            if repair.due_provisional:
                why = event_text(
                    "%(event)s（暂定日期，%(year)s 年放假安排尚未导入）",
                    event=why,
                    year=repair.due_calendar_year,
                )
            notify_keepers_of_loaner(repair, why=why)
            if repair.loaner_id:
                done = event_text("已免费借出 %(part)s", part=repair.loaner.part)
            else:
                done = event_text("没有可借的备件，已通知备件管理员")
            message = followed_by(why, done)
            record_event(repair, kind=RepairEvent.OVERDUE, message=message)
    return len(repairs)


def close_finished_trials(*, now: dt.datetime, limit: int) -> int:
    """The trial ends on `trial_ends_on`; from the next day, unless it failed, it passed."""
    today = timezone.localdate(now)
    with transaction.atomic():
        repairs = list(
            claim(
                Repair.objects.filter(status=RepairStatus.IN_TRIAL, trial_ends_on__lt=today)
            ).order_by("trial_ends_on", "id")[:limit]
        )
        for repair in repairs:
            repair.status = RepairStatus.CLOSED
            repair.trial_result = TrialResult.PASSED
            repair.save(update_fields=["status", "trial_result", "updated_at"])
            record_event(
                repair,
                kind=RepairEvent.PASS_TRIAL,
                message=event_text(
                    "试用期至 %(day)s 结束，未报告不合格，视为试用合格，结案。",
                    day=repair.trial_ends_on,
                ),
            )
    return len(repairs)


SOURCES = {
    "repairs.overdue": lend_for_overdue_repairs,
    "repairs.provisional": settle_due,
    "repairs.trial_end": close_finished_trials,
}
