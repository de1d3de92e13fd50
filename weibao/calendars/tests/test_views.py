"""The month page and the admin: import page and day corrections."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from weibao.calendars.models import CalendarDay, CalendarYear
from weibao.calendars.workdays import add_working_days
from weibao.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_month_needs_login(client):
    response = client.get(reverse("calendars:month"))
    assert response.status_code == 302


def test_october_2026_shows_holidays_and_makeup_days(signed_in):
    response = signed_in.get(reverse("calendars:month"), {"month": "2026-10"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="cal-grid"' in html
    assert "国庆节" in html
    assert 'cal-work cal-makeup" data-date="2026-10-10"' in html
    assert 'cal-off cal-holiday" data-date="2026-10-01"' in html
    assert 'class="cal-off" data-date="2026-10-11"' in html
    assert "?month=2026-09" in html and "?month=2026-11" in html
    # October 2026: 22 weekdays, 5 of them in the holiday (1, 2, 5, 6, 7), + Sat 10 = 18.
    assert response.context["grid"].working_days == 18
    assert reverse("admin:calendars_calendaryear_import") not in html


def test_default_month_is_today(signed_in):
    with clock.frozen_at(dt.datetime(2026, 2, 10, 4, tzinfo=dt.UTC)):
        response = signed_in.get(reverse("calendars:month"))
    assert response.context["grid"].first == dt.date(2026, 2, 1)
    assert "春节" in response.content.decode()


def test_bad_month_falls_back_with_a_message(signed_in):
    response = signed_in.get(reverse("calendars:month"), {"month": "2026-13"})
    assert response.status_code == 200
    assert "月份格式应为 YYYY-MM" in response.content.decode()


def test_unknown_year_says_so(signed_in):
    response = signed_in.get(reverse("calendars:month"), {"month": "2030-05"})
    html = response.content.decode()
    assert "2030 年的工作日历尚未导入" in html
    assert "cal-unknown" in html


def test_staff_sees_the_import_link(client, staff):
    client.force_login(staff)
    html = client.get(reverse("calendars:month")).content.decode()
    assert reverse("admin:calendars_calendaryear_import") in html


def test_admin_import_shows_line_errors(client, staff):
    client.force_login(staff)
    url = reverse("admin:calendars_calendaryear_import")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"year": 2027, "text": "2027-01-01,holiday,元旦\n2027-02-31,holiday,x"}
    )
    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()
    assert response.context["form"].errors["text"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_admin_import_by_upload(client, staff, schedule_2027):
    client.force_login(staff)
    upload = SimpleUploadedFile("2027.csv", schedule_2027.encode("utf-8-sig"))
    response = client.post(
        reverse("admin:calendars_calendaryear_import"), {"year": 2027, "file": upload}
    )
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2027).official is True
    assert add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 4)


def test_admin_import_refuses_existing_year_on_the_year_field(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:calendars_calendaryear_import"),
        {"year": 2026, "text": "2026-05-01,holiday,劳动节"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"]


def test_admin_day_edit_is_a_correction(client, staff):
    client.force_login(staff)
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 9))
    assert add_working_days(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    response = client.post(
        reverse("admin:calendars_calendarday_change", args=[day.pk]),
        {"is_working_day": "", "name": "国庆节（延长）"},
    )
    assert response.status_code == 302
    day.refresh_from_db()
    assert (day.is_working_day, day.source, day.updated_by) == (False, "manual", staff)
    # 8 Oct (1), 9 Oct now off, Sat 10 Oct make-up (2).
    assert add_working_days(dt.date(2026, 9, 30), 2) == dt.date(2026, 10, 10)


def test_admin_lists(client, staff):
    client.force_login(staff)
    response = client.get(
        reverse("admin:calendars_calendarday_changelist"), {"date__year": 2026, "q": "春节"}
    )
    assert response.status_code == 200
    assert client.get(reverse("admin:calendars_calendaryear_changelist")).status_code == 200
