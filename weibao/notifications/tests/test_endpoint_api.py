"""Notification endpoints are configuration (PRM-1): provider staff read them through the
API; only administrators (`config.edit`) add, change, test or remove them — anyone else gets
403 naming the capability, and nothing changes."""

import pytest

from weibao.notifications.choices import EndpointKind
from weibao.notifications.models import ChannelEndpoint

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("weibao.notifications.tests.endpoint_urls"),
]

URL = "/api-notifications/notification-endpoints/"
VOICE = {
    "name": "语音通知", "kind": EndpointKind.VOICE_GATEWAY, "url": "https://voice.example.cn/call",
    "kinds": ["l1_notice", "escalation"], "access_key_id": "LTAI5t", "secret": "s3cret",
    "template_id": "TTS_10001",
}  # fmt: skip


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.com", "pw-123456")


@pytest.fixture
def endpoint(db):
    return ChannelEndpoint.objects.create(
        name="值班群", kind=EndpointKind.WEBHOOK, url="https://hooks.example.cn/x", secret="k"
    )


def test_administrator_adds_a_voice_gateway(api, admin):
    api.force_authenticate(admin)
    response = api.post(URL, VOICE, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kinds"] == ["l1_notice", "escalation"] and body["has_secret"] is True
    assert "secret" not in body  # write-only
    assert ChannelEndpoint.objects.get().template_id == "TTS_10001"


def test_unknown_kinds_and_incomplete_voice_gateways_are_refused(api, admin):
    api.force_authenticate(admin)
    response = api.post(URL, {**VOICE, "kinds": ["gossip"]}, format="json")
    assert response.status_code == 400 and "kinds" in response.json()["fields"]
    response = api.post(URL, {**VOICE, "template_id": ""}, format="json")
    assert response.status_code == 400 and "template_id" in response.json()["fields"]
    assert not ChannelEndpoint.objects.exists()


@pytest.mark.parametrize("role", ["engineer", "manager", "agent", "account", "gm"])
def test_staff_read_endpoints_but_cannot_write_them(api, desk, endpoint, role):
    user = getattr(desk, role)
    api.force_authenticate(user)
    listed = api.get(URL)
    assert listed.status_code == 200 and listed.json()["results"][0]["name"] == "值班群"
    attempts = [
        api.post(URL, VOICE, format="json"),
        api.patch(f"{URL}{endpoint.pk}/", {"enabled": False}, format="json"),
        api.delete(f"{URL}{endpoint.pk}/"),
        api.post(f"{URL}{endpoint.pk}/test/"),
    ]
    for response in attempts:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == "permission_denied"
        assert response.json()["capability"] == "config.edit"
    endpoint.refresh_from_db()
    assert endpoint.enabled and ChannelEndpoint.objects.count() == 1


def test_customer_users_do_not_see_endpoints(api, endpoint):
    from weibao.testing.factories import CustomerUserFactory

    api.force_authenticate(CustomerUserFactory())
    assert api.get(URL).status_code == 403


def test_administrator_changes_and_removes_an_endpoint(api, admin, endpoint):
    api.force_authenticate(admin)
    response = api.patch(f"{URL}{endpoint.pk}/", {"kinds": ["breach"]}, format="json")
    assert response.status_code == 200 and response.json()["kinds"] == ["breach"]
    assert api.delete(f"{URL}{endpoint.pk}/").status_code == 204
    assert not ChannelEndpoint.objects.exists()


def test_the_admin_pages_refuse_non_administrators(client, desk):
    client.force_login(desk.engineer)
    response = client.get("/admin/notifications/channelendpoint/add/")
    assert response.status_code in (302, 403)  # the admin site is for administrators
