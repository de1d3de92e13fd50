"""Due source of the calendar app, run by the one scheduler (`weibao.core.due`).

* `calendars.schedule_reminder` from 1 November, while next year's schedule is not
  imported, administrators get ONE notification (a `ScheduleReminder` row per year makes it
  once, even with two workers). The banner (`{% schedule_warning %}`) shows meanwhile.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from weibao.core.events import event_text
from weibao.notifications.services import notify

from .models import ScheduleReminder
from .selectors import schedule_missing


def remind_missing_schedule(*, now: dt.datetime, limit: int) -> int:
    """Tell the administrators once that next year's schedule must be imported."""
    year = schedule_missing(timezone.localdate(now))
    if year is None:
        return 0
    with transaction.atomic():
        _row, created = ScheduleReminder.objects.get_or_create(year=year)
        if not created:
            return 0
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        notify(
            recipients=admins,
            subject=event_text("【工作日历】请导入 %(year)s 年国务院放假安排", year=year),
            body=event_text(
                "%(year)s 年的放假安排尚未导入。跨入 %(year)s 年的返修应返回日期和巡检日期目前按"
                "法定节假日暂定（不含调休），导入后自动重算。请在“工作日历 → 导入国务院放假安排”"
                "粘贴通知原文，预览后导入。",
                year=year,
            ),
            kind="calendar_schedule_missing",
            dedupe_key=f"calendar:schedule_missing:{year}",
        )
    return 1


SOURCES = {"calendars.schedule_reminder": remind_missing_schedule}
