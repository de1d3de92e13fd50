"""The demo shows a repair with a provisional due date and a 2027 notice draft to import."""

import datetime as dt
from zoneinfo import ZoneInfo

from weibao.calendars import services as calendar_services
from weibao.calendars import workdays
from weibao.calendars.models import ScheduleDraft
from weibao.demo.calendars import load_calendar_drafts
from weibao.demo.repairs import load_provisional_repair


def test_demo_provisional_repair_and_2027_draft(hw, frozen_clock):
    workdays.invalidate_index()
    frozen_clock(dt.datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    users = {"keeper": hw.keeper}
    repair = load_provisional_repair(hw.customer, users)
    assert repair.due_provisional and repair.due_calendar_year == 2027
    assert load_provisional_repair(hw.customer, users) == repair  # idempotent
    load_calendar_drafts()
    load_calendar_drafts()
    draft = ScheduleDraft.objects.get(year=2027)
    reading = calendar_services.read_schedule(2027, draft.text)  # the draft is importable
    assert reading.from_notice and reading.holidays > 20
    workdays.invalidate_index()
