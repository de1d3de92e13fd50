"""From 1 November until next year's schedule is imported: a banner for administrators on
every page and ONE notification; the import is reachable through the API too (config.edit)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from rest_framework.test import APIClient

from weibao.calendars.models import CalendarYear
from weibao.calendars.tasks import remind_missing_schedule
from weibao.calendars.tests.test_notice import MALFORMED_2027
from weibao.notifications.models import Notification

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def _banner(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load calendar_tags %}{% schedule_warning %}")
    return template.render(Context({"request": request}))


@pytest.mark.parametrize(
    ("today", "shown"),
    [(dt.datetime(2026, 10, 31, 12), False), (dt.datetime(2026, 11, 1, 8), True)],
)
def test_admins_see_the_warning_from_1_november(staff, user, frozen_clock, today, shown):
    frozen_clock(today.replace(tzinfo=SH))
    assert ('data-testid="schedule-warning"' in _banner(staff)) is shown
    assert 'data-testid="schedule-warning"' not in _banner(user)  # not an administrator


def test_one_notification_until_the_year_is_imported(staff, frozen_clock, schedule_2027):
    from weibao.calendars import services

    frozen_clock(dt.datetime(2026, 11, 29, 10, tzinfo=SH))
    now = dt.datetime(2026, 11, 29, 10, tzinfo=SH)
    assert remind_missing_schedule(now=now, limit=10) == 1
    assert remind_missing_schedule(now=now + dt.timedelta(days=1), limit=10) == 0
    assert Notification.objects.filter(kind="calendar_schedule_missing").count() >= 1
    assert {n.recipient for n in Notification.objects.filter(kind="calendar_schedule_missing")} == {
        staff
    }
    services.import_year(2027, schedule_2027, actor=staff)
    assert 'data-testid="schedule-warning"' not in _banner(staff)


def test_api_previews_then_imports_the_notice(staff, schedule_2027):
    from weibao.calendars.tests.test_notice import NOTICE_2026

    api = APIClient()
    api.force_authenticate(staff)
    text = NOTICE_2026
    CalendarYear.objects.filter(year=2026).delete()
    answer = api.post("/api/calendar/import/", {"year": 2026, "text": text, "preview": True})
    assert answer.status_code == 200, answer.json()
    assert answer.json()["saved"] is False and answer.json()["holidays"] == 33
    assert not CalendarYear.objects.filter(year=2026).exists()
    answer = api.post("/api/calendar/import/", {"year": 2026, "text": text}, format="json")
    assert answer.status_code == 201 and CalendarYear.objects.filter(year=2026).exists()


def test_api_refuses_a_malformed_notice_and_a_user_without_config_edit(staff, user):
    api = APIClient()
    api.force_authenticate(staff)
    answer = api.post("/api/calendar/import/", {"year": 2027, "text": MALFORMED_2027})
    assert answer.status_code == 400 and answer.json()["code"] == "calendar_import_invalid"
    assert "第 4 行" in answer.json()["message"]
    api.force_authenticate(user)
    answer = api.post("/api/calendar/import/", {"year": 2027, "text": "2027-01-01,holiday,元旦"})
    assert answer.status_code == 403 and answer.json()["code"] == "permission_denied"
    answer = api.post("/api/calendar/days/2026-10-08/correct/", {"is_working_day": False})
    assert answer.status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_api_day_correction_by_an_administrator(staff):
    api = APIClient()
    api.force_authenticate(staff)
    answer = api.post(
        "/api/calendar/days/2026-10-08/correct/", {"is_working_day": False, "name": "国庆节"}
    )
    assert answer.status_code == 200 and answer.json()["source"] == "manual"


def test_month_of_an_unimported_year_shows_the_statutory_estimate(client, user):
    client.force_login(user)
    html = client.get("/calendar/", {"month": "2027-02"}).content.decode()
    assert "2027 年的工作日历尚未导入" in html and "暂定休" in html
    assert 'data-date="2027-02-05"' in html  # 除夕 2027, off by the statutory rules
