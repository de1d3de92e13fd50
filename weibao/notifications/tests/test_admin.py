"""The admin: endpoints with a test action, and the read-only outbox with a retry action."""

import pytest
from django.urls import reverse

from weibao.notifications.choices import EndpointKind, State
from weibao.notifications.models import Notification
from weibao.notifications.services import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    return client


def test_send_test_message_action_delivers_to_the_endpoint(
    admin_client_, receiver, endpoint_factory
):
    endpoint = endpoint_factory(EndpointKind.WECOM, "/wecom")
    receiver.respond("/wecom", 200, {"errcode": 0, "errmsg": "ok"})
    response = admin_client_.post(
        reverse("admin:notifications_channelendpoint_changelist"),
        {"action": "send_test_message", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "测试消息已送达" in response.content.decode()
    [hit] = receiver.hits("/wecom")
    assert "维保通知测试" in hit.json()["markdown"]["content"]
    assert Notification.objects.get(kind="test").state == State.SENT


def test_send_test_message_reports_the_failure(admin_client_, receiver, endpoint_factory):
    endpoint = endpoint_factory(EndpointKind.DINGTALK, "/ding")
    receiver.respond("/ding", 200, {"errcode": 300001, "errmsg": "token is not exist"})
    response = admin_client_.post(
        reverse("admin:notifications_channelendpoint_changelist"),
        {"action": "send_test_message", "_selected_action": [endpoint.pk]},
        follow=True,
    )
    assert "token is not exist" in response.content.decode()


def test_endpoint_forms_render(admin_client_, endpoint_factory):
    endpoint = endpoint_factory(EndpointKind.FEISHU, "/feishu", secret="s")
    for url in (
        reverse("admin:notifications_channelendpoint_add"),
        reverse("admin:notifications_channelendpoint_change", args=[endpoint.pk]),
        reverse("admin:notifications_notificationpreference_add"),
    ):
        assert admin_client_.get(url).status_code == 200


def test_outbox_admin_is_read_only_and_retries(admin_client_, db):
    from weibao.testing.factories import UserFactory

    [notification] = notify(
        recipients=[UserFactory(email="a@example.com")],
        subject="工单升级",
        body="",
        kind="escalation",
        dedupe_key="k",
    )
    Notification.objects.filter(pk=notification.pk).update(
        state=State.FAILED, last_error="SMTP 550"
    )
    changelist = reverse("admin:notifications_notification_changelist")
    page = admin_client_.get(changelist, {"state__exact": "failed"})
    assert page.status_code == 200 and "SMTP 550" in page.content.decode()
    detail = admin_client_.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert detail.status_code == 200
    admin_client_.post(
        changelist, {"action": "retry_now", "_selected_action": [notification.pk]}, follow=True
    )
    notification.refresh_from_db()
    assert notification.state == State.PENDING


def test_admin_configures_a_voice_gateway_with_kinds_as_checkboxes(admin_client_):
    from weibao.notifications.models import ChannelEndpoint

    add = reverse("admin:notifications_channelendpoint_add")
    page = admin_client_.get(add).content.decode()
    assert 'type="checkbox" name="kinds" value="escalation"' in page
    assert 'value="voice_gateway"' in page
    fields = {
        "name": "语音通知", "kind": EndpointKind.VOICE_GATEWAY, "url": "https://voice.example.cn/call",
        "enabled": "on", "kinds": ["l1_notice", "escalation"], "access_key_id": "LTAI5t",
        "secret": "s3cret",
    }  # fmt: skip
    refused = admin_client_.post(add, fields)
    assert refused.status_code == 200 and "语音通知端点必须填写此项" in refused.content.decode()
    assert not ChannelEndpoint.objects.exists()
    admin_client_.post(add, {**fields, "template_id": "TTS_10001"})
    endpoint = ChannelEndpoint.objects.get()
    assert endpoint.kinds == ["l1_notice", "escalation"]
    assert endpoint.subscribes_to("escalation") and not endpoint.subscribes_to("breach")
