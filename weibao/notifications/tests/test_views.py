"""The preferences page, the outbox page and the outbox API."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from weibao.notifications.choices import EndpointKind, State
from weibao.notifications.models import Notification, NotificationPreference
from weibao.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def failed(staff):
    [notification] = notify(
        recipients=[staff], subject="工单 T-9 升级", body="…", kind="escalation", dedupe_key="t9"
    )
    Notification.objects.filter(pk=notification.pk).update(
        state=State.FAILED, attempts=8, last_error="HTTP 500：服务器内部错误"
    )
    return notification


def test_pages_need_login(client):
    for name in ("notifications:preferences", "notifications:outbox"):
        assert client.get(reverse(name)).status_code == 302


def test_preferences_page_shows_the_defaults(client, staff):
    client.force_login(staff)
    response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "通知设置" in html and "接收邮件通知" in html
    assert "尚未配置短信网关" in html
    assert response.context["form"].initial["email_enabled"] is True
    assert response.context["form"].initial["sms_enabled"] is False


def test_preferences_are_saved(client, staff, endpoint_factory):
    endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms")
    client.force_login(staff)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_address": "", "sms_enabled": "on", "sms_address": "13800000000"},
        follow=True,
    )
    assert "通知设置已保存" in response.content.decode()
    prefs = {p.channel: p for p in NotificationPreference.objects.filter(user=staff)}
    assert prefs["email"].enabled is False
    assert (prefs["sms"].enabled, prefs["sms"].address) == (True, "13800000000")


def test_preferences_errors_are_shown_in_chinese(client, db):
    from weibao.testing.factories import UserFactory

    user = UserFactory(email="", phone="")
    client.force_login(user)
    response = client.post(
        reverse("notifications:preferences"),
        {"email_enabled": "on", "email_address": "", "sms_enabled": "on", "sms_address": "abc"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "您的账户中没有邮箱，请填写接收邮件的地址。" in html
    assert "请输入有效的手机号码" in html
    assert not NotificationPreference.objects.exists()


def test_outbox_lists_notifications_with_state_badges(client, staff, failed):
    client.force_login(staff)
    response = client.get(reverse("notifications:outbox"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "工单 T-9 升级" in html
    assert 'class="badge badge-expired"' in html and "发送失败" in html
    assert "HTTP 500：服务器内部错误" in html
    assert reverse("notifications:retry", args=[failed.pk]) in html


def test_outbox_filters_by_state(client, staff, failed):
    client.force_login(staff)
    response = client.get(reverse("notifications:outbox"), {"state": "sent"})
    assert "工单 T-9 升级" not in response.content.decode()


def test_retry_button_puts_a_failed_message_back(client, staff, failed):
    client.force_login(staff)
    response = client.post(reverse("notifications:retry", args=[failed.pk]), follow=True)
    assert "通知已重新排队" in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == State.PENDING and failed.attempts == 8


def test_retry_needs_post_and_csrf(staff, failed):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    url = reverse("notifications:retry", args=[failed.pk])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    failed.refresh_from_db()
    assert failed.state == State.FAILED


def test_customer_user_gets_403_on_the_outbox(client, customer_user, failed):
    client.force_login(customer_user)
    assert client.get(reverse("notifications:outbox")).status_code == 403
    assert client.post(reverse("notifications:retry", args=[failed.pk])).status_code == 403


def test_customer_user_can_edit_own_preferences(client, customer_user):
    client.force_login(customer_user)
    assert client.get(reverse("notifications:preferences")).status_code == 200


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_api_lists_and_filters_the_outbox_for_staff(staff, failed):
    api = _api(staff)
    body = api.get("/api/notifications/", {"state": "failed"}).json()
    assert [n["id"] for n in body["results"]] == [failed.pk]
    assert body["results"][0]["last_error"] == "HTTP 500：服务器内部错误"
    assert api.get("/api/notifications/", {"state": "sent"}).json()["count"] == 0
    assert api.get("/api/notifications/", {"channel": "email"}).json()["count"] == 1
    assert api.get("/api/notifications/", {"kind": "breach"}).json()["count"] == 0


def test_api_retry(staff, failed):
    api = _api(staff)
    response = api.post(f"/api/notifications/{failed.pk}/retry/")
    assert response.status_code == 200 and response.json()["state"] == "pending"
    again = api.post(f"/api/notifications/{failed.pk}/retry/")
    assert again.status_code == 400 and again.json()["code"] == "notification_not_failed"


def test_api_refuses_customer_users(customer_user, failed):
    api = _api(customer_user)
    assert api.get("/api/notifications/").status_code == 403
    assert api.post(f"/api/notifications/{failed.pk}/retry/").status_code == 403


def test_api_is_read_only(staff, failed):
    assert _api(staff).delete(f"/api/notifications/{failed.pk}/").status_code == 405


def test_outbox_searches_sorts_counts_and_exports_what_it_shows(
    client, staff, customer_user, failed
):
    import io

    from openpyxl import load_workbook

    notify(recipients=[staff], subject="巡检提醒 3 月", body="…", kind="inspection_reminder",
           dedupe_key="r3")  # fmt: skip
    client.force_login(staff)
    page = client.get(reverse("notifications:outbox"), {"sort": "subject"}).content.decode()
    assert "共 2 条" in page and page.index("巡检提醒 3 月") < page.index(
        "工单 T-9 升级"
    )  # 巡 U+5DE1 < 工 U+5DE5
    page = client.get(reverse("notifications:outbox"), {"q": "巡检"}).content.decode()
    assert "共 1 条" in page and "工单 T-9 升级" not in page
    export = client.get(reverse("notifications:outbox"), {"state": "failed", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("时间", "类别", "主题", "渠道", "接收地址", "状态", "失败次数", "最近错误")
    assert [(r[2], r[5], r[6]) for r in rows[1:]] == [("工单 T-9 升级", "发送失败", 8)]
    client.force_login(customer_user)
    assert client.get(reverse("notifications:outbox"), {"format": "xlsx"}).status_code == 403


def test_api_exports_the_outbox_for_staff_only(staff, customer_user, failed):
    import io

    from openpyxl import load_workbook

    notify(recipients=[staff], subject="巡检提醒", body="…", kind="inspection_reminder",
           dedupe_key="r4")  # fmt: skip
    answer = _api(staff).get("/api/notifications/export/", {"state": "failed"})
    rows = list(load_workbook(io.BytesIO(answer.content)).active.iter_rows(values_only=True))
    assert rows[0][2] == "主题" and [r[2] for r in rows[1:]] == ["工单 T-9 升级"]
    assert _api(customer_user).get("/api/notifications/export/").status_code == 403
