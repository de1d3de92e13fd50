"""RMA-3/SLA-7: a repair is always registered. When its working days run into a year whose
State Council schedule is not imported (2027, today being 2026-11-29) it gets a provisional
due date from the statutory rules, flagged everywhere; importing the year's notice recomputes
it, writes the change to its history and tells its owner."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from weibao.calendars import services as calendar_services
from weibao.calendars import workdays
from weibao.core.models import ChangeLog
from weibao.notifications.models import Notification
from weibao.repairs import services
from weibao.repairs.tasks import lend_for_overdue_repairs

SH = ZoneInfo("Asia/Shanghai")
D = dt.date

#: A 2027 notice in the published form (invented: the real one is not out on 2026-11-29).
NOTICE_2027 = """\
国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至13日（农历正月初八、周六）放假调休，共9天。2月20日（周六）、2月28日（周日）上班。
三、清明节：4月3日（周六）至5日（周一）放假，共3天。
四、劳动节：5月1日（周六）至5日（周三）放假调休，共5天。4月25日（周日）上班。
五、端午节：6月9日（周三）放假，共1天。
六、中秋节：9月15日（周三）放假，共1天。
七、国庆节：10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。
"""


@pytest.fixture(autouse=True)
def fresh_calendar_index():
    workdays.invalidate_index()
    yield
    workdays.invalidate_index()


@pytest.fixture
def today(frozen_clock):
    frozen_clock(dt.datetime(2026, 11, 29, 10, 0, tzinfo=SH))


@pytest.mark.parametrize(
    ("origin", "provisional_due", "official_due", "changed"),
    [
        # 24 working days left in 2026, then 2027-01-04..08 and 01-11 (1 January off).
        ("domestic", D(2027, 1, 11), D(2027, 1, 11), False),
        # 36 in 2027: January 20, 02-01..04, then 春节 (除夕 02-05, 初三 02-08, 补假 02-09/10):
        # 02-11/12, 02-15..19, 02-22..26 → 02-26. Officially 02-05..13 off, 02-20 and 02-28
        # (Sunday) worked → 02-28.
        ("foreign", D(2027, 2, 26), D(2027, 2, 28), True),
    ],
)
def test_repair_received_2026_11_29_is_registered_provisionally_then_recomputed(
    hw, today, origin, provisional_due, official_due, changed
):
    # given a repair received today whose due date runs into 2027
    repair = services.register_repair(
        asset=hw.asset,
        fault_description="主控板无法启动",
        received_on=D(2026, 11, 29),
        repair_origin=origin,
        actor=hw.keeper,
    )
    assert (repair.due_date, repair.due_provisional, repair.due_calendar_year) == (
        provisional_due,
        True,
        2027,
    )
    registered = ChangeLog.objects.filter(object_id=str(repair.pk), kind="repair.registered")
    assert "暂定" in registered.get().message

    # when the administrator imports the 2027 notice as published
    admin = get_user_model().objects.create_superuser("root", "root@example.cn", "pw-123456")
    calendar_services.import_year(2027, NOTICE_2027, actor=admin)

    # then the due date is official, the change is in the history and the owner is told
    repair.refresh_from_db()
    assert (repair.due_date, repair.due_provisional, repair.due_calendar_year) == (
        official_due,
        False,
        None,
    )
    event = ChangeLog.objects.get(object_id=str(repair.pk), kind="repair.due_recomputed")
    assert str(official_due) in event.message
    assert str(provisional_due) in event.message
    assert ("改为" in event.message) is changed
    told = Notification.objects.filter(kind="repair_due_recomputed", recipient=hw.keeper)
    assert told.count() == 1 and repair.number in told.first().subject

    # and importing again (replace) does not recompute or notify twice
    calendar_services.import_year(2027, NOTICE_2027, actor=admin, replace=True)
    assert ChangeLog.objects.filter(kind="repair.due_recomputed").count() == 1


def test_failed_trial_is_re_registered_with_a_provisional_date(hw, frozen_clock):
    frozen_clock(dt.datetime(2026, 9, 15, 10, 0, tzinfo=SH))
    repair = services.register_repair(
        asset=hw.asset, fault_description="风扇不转", received_on=D(2026, 9, 15), actor=hw.keeper
    )
    services.move(repair, "repaired", actor=hw.keeper)
    frozen_clock(dt.datetime(2026, 11, 29, 10, 0, tzinfo=SH))
    services.record_return(repair, returned_on=D(2026, 11, 20), actor=hw.keeper)
    again = services.fail_trial(repair, reason="又不转了", actor=hw.keeper)
    assert again.previous_id == repair.pk
    assert again.due_provisional and again.due_calendar_year == 2027
    assert again.due_date == D(2027, 1, 11)


def test_overdue_check_uses_the_provisional_date(hw, today):
    repair = services.register_repair(
        asset=hw.asset, fault_description="x", received_on=D(2026, 11, 29), actor=hw.keeper
    )
    hw.stock(hw.board, "MB-0001")
    assert lend_for_overdue_repairs(now=dt.datetime(2027, 1, 11, 23, 0, tzinfo=SH), limit=10) == 0
    assert lend_for_overdue_repairs(now=dt.datetime(2027, 1, 12, 9, 0, tzinfo=SH), limit=10) == 1
    repair.refresh_from_db()
    assert repair.loaner_id is not None
    body = Notification.objects.filter(kind="repair_loaner").first().subject
    assert "暂定" in body


def test_api_and_pages_flag_the_provisional_date(hw, today, client):
    from rest_framework.test import APIClient

    repair = services.register_repair(
        asset=hw.asset, fault_description="x", received_on=D(2026, 11, 29), actor=hw.keeper
    )
    api = APIClient()
    api.force_authenticate(hw.keeper)
    body = api.get(f"/api/repairs/{repair.pk}/").json()
    assert body["due_provisional"] is True and body["due_calendar_year"] == 2027
    client.force_login(hw.keeper)
    for url in (f"/repairs/{repair.pk}/", "/repairs/", "/repairs/board/"):
        page = client.get(url).content.decode()
        assert 'data-testid="due-provisional"' in page, url
    pdf = client.get(f"/repairs/{repair.pk}/registration.pdf")
    assert pdf.status_code == 200
