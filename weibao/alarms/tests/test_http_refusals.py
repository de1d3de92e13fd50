"""What a sender is refused, and what it is told, and that a refused delivery stores nothing."""

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest

from weibao.alarms.models import Alarm, AlarmChange, AlarmSource, RawDelivery
from weibao.alarms.tests.conftest import NOW, fixture_bytes

pytestmark = pytest.mark.django_db

GROUP = fixture_bytes("alertmanager_group.json")


def counters(source):
    source.refresh_from_db()
    return source.received, source.rejected, source.errors


def test_no_credential_is_401_and_a_wrong_one_403_in_the_api_envelope(make_source, post):
    source = make_source("alertmanager")
    missing = post(source, GROUP, no_auth=True)
    assert missing.status_code == 401
    assert missing.json()["code"] == "not_authenticated"
    assert set(missing.json()) == {"code", "message", "fields"}
    assert missing["WWW-Authenticate"].startswith("Bearer")
    wrong = post(source, GROUP, HTTP_AUTHORIZATION="Bearer not-the-token")
    assert (wrong.status_code, wrong.json()["code"]) == (403, "permission_denied")
    assert not RawDelivery.objects.exists() and not Alarm.objects.exists()
    assert counters(source) == (0, 2, 0)
    assert source.last_error


def test_token_in_the_query_or_as_basic_password_and_hmac_signature_are_accepted(
    make_source, post, client
):
    source = make_source("alertmanager", hmac_secret="s3cret-key")
    url = f"/api/alarms/alertmanager/{source.slug}/"
    assert (
        client.post(
            f"{url}?token={source.token}", GROUP, content_type="application/json"
        ).status_code
        == 200
    )
    basic = base64.b64encode(f"am:{source.token}".encode()).decode()
    assert post(source, GROUP, HTTP_AUTHORIZATION=f"Basic {basic}").status_code == 200
    signature = hmac.new(b"s3cret-key", GROUP, hashlib.sha256).hexdigest()
    signed = client.post(
        url, GROUP, content_type="application/json", HTTP_X_WEIBAO_SIGNATURE=f"sha256={signature}"
    )
    assert signed.status_code == 200
    tampered = GROUP.replace(b"FsuOffline", b"FsuOnline!")
    forged = client.post(
        url, tampered, content_type="application/json", HTTP_X_WEIBAO_SIGNATURE=signature
    )
    assert forged.status_code == 403
    assert counters(source) == (3, 1, 0)


def test_disabled_or_unknown_source_and_wrong_method(make_source, post, client):
    source = make_source("alertmanager", enabled=False)
    refused = post(source, GROUP)
    assert (refused.status_code, refused.json()["code"]) == (403, "source_disabled")
    unknown = client.post(
        "/api/alarms/alertmanager/no-such-source/", GROUP, content_type="application/json"
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    # The address of another kind does not reach this source.
    assert (
        client.post(
            f"/api/alarms/zabbix/{source.slug}/", GROUP, content_type="application/json"
        ).status_code
        == 404
    )
    get = client.get(f"/api/alarms/alertmanager/{source.slug}/")
    assert get.status_code == 405 and get.json()["code"] == "method_not_allowed"


def test_a_source_disabled_elsewhere_refuses_the_compatible_api_within_seconds(
    make_source, client, frozen_clock
):
    now = frozen_clock(NOW)
    source = make_source("am_api")
    alert = json.dumps([{"labels": {"alertname": "CameraOffline", "site": "EO-01"}}])

    def send():
        return client.post(
            "/api/v2/alerts", alert, content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {source.token}",
        )  # fmt: skip

    assert send().status_code == 200
    # Disabled by another process (no save signal here): still taken for a few seconds ...
    AlarmSource.objects.filter(pk=source.pk).update(enabled=False)
    assert send().status_code == 200
    # ... and refused once they are over.
    frozen_clock(now + dt.timedelta(seconds=6))
    refused = send()
    assert (refused.status_code, refused.json()["code"]) == (403, "source_disabled")
    assert RawDelivery.objects.count() == 2


def test_a_source_disabled_in_the_admin_refuses_at_once(make_source, client, frozen_clock):
    frozen_clock(NOW)
    source = make_source("am_api")
    alert = json.dumps([{"labels": {"alertname": "CameraOffline", "site": "EO-01"}}])
    headers = {"HTTP_AUTHORIZATION": f"Bearer {source.token}"}
    assert client.post("/api/v2/alerts", alert, "application/json", **headers).status_code == 200
    source.enabled = False
    source.save()
    refused = client.post("/api/v2/alerts", alert, "application/json", **headers)
    assert (refused.status_code, refused.json()["code"]) == (403, "source_disabled")


def test_api_alerts_endpoint_needs_the_token_of_an_api_source(make_source, client):
    webhook_source = make_source("alertmanager")
    body = fixture_bytes("am_api_alerts.json")
    assert client.post("/api/v2/alerts", body, content_type="application/json").status_code == 401
    wrong_kind = client.post(
        "/api/v2/alerts",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {webhook_source.token}",
    )
    assert wrong_kind.status_code == 403
    assert not Alarm.objects.exists()


@pytest.mark.parametrize(
    ("kind", "body", "field"),
    [
        ("alertmanager", b'{"version": "4", "alerts": [', None),
        (
            "alertmanager",
            b'{"version": "4", "alerts": [{"status": "firing", "labels": {}}]}',
            "alerts.0.labels",
        ),
        (
            "alertmanager",
            b'{"version": "4", "alerts": [{"status": "on fire", "labels": {"a": "b"}}]}',
            "alerts.0.status",
        ),
        (
            "alertmanager",
            b'{"version": "4", "alerts": [{"status": "firing", "labels": {"a": "b"},'
            b' "startsAt": "yesterday"}]}',
            "alerts.0.startsAt",
        ),
        ("zabbix", b'{"event_id": "{EVENT.ID}", "event_value": "1"}', "event_id"),
        ("zabbix", b'{"event_id": "7", "event_value": "2"}', "event_value"),
        ("b_interface", b"<Request><PK_Type><Name>SEND_ALARM</Name></PK_Type>", None),
        (
            "b_interface",
            b"<Request><Info><TAlarm><FsuId>1</FsuId><SerialNo>2</SerialNo><AlarmFlag>MAYBE</AlarmFlag></TAlarm></Info></Request>",
            "TAlarm.0.AlarmFlag",
        ),
        ("b_interface", b'<!DOCTYPE r [<!ENTITY a "aaaa">]><Request>&a;</Request>', None),
        ("grafana", b'["not", "an", "object"]', "body"),
    ],
)
def test_malformed_bodies_are_400_with_a_message_and_store_nothing(
    make_source, post, kind, body, field
):
    source = make_source(kind)
    response = post(
        source, body, content_type="text/xml" if kind == "b_interface" else "application/json"
    )
    assert response.status_code == 400
    answer = response.json()
    assert answer["code"] == "malformed" and answer["message"]
    if field:
        assert list(answer["fields"]) == [field]
    assert not RawDelivery.objects.exists() and not Alarm.objects.exists()
    assert counters(source) == (0, 1, 0)


def test_generic_source_without_a_key_mapping_says_so(make_source, post):
    source = make_source("generic", mapping={"time": "t"})
    response = post(source, b'{"id": 1}')
    assert response.status_code == 400
    assert response.json()["fields"] == {"mapping.key": [response.json()["message"]]}


def test_a_failed_commit_answers_503_and_keeps_nothing(
    make_source, post, inbox_refused, frozen_clock
):
    frozen_clock(NOW)
    source = make_source("alertmanager")
    response = post(source, GROUP)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["code"] == "unavailable"
    assert not RawDelivery.objects.exists() and not Alarm.objects.exists()
    assert counters(source) == (0, 0, 1)
    assert "No space left" in AlarmSource.objects.get().last_error
    inbox_refused()
    # The sender retries, and now it is stored.
    assert post(source, GROUP).status_code == 200
    assert Alarm.objects.count() == 2
    assert AlarmChange.objects.count() == 1


def test_a_body_in_gbk_is_kept_byte_for_byte(make_source, post, frozen_clock):
    frozen_clock(NOW)
    source = make_source("b_interface")
    body = (
        fixture_bytes("b_send_alarm_begin.xml")
        .decode()
        .replace('encoding="UTF-8"', 'encoding="GBK"')
        .encode("gbk")
    )
    assert post(source, body, content_type="text/xml").status_code == 200
    delivery = RawDelivery.objects.get()
    assert delivery.body.encode("gb18030") == body
    assert "stored-as=gb18030" in delivery.content_type
    assert Alarm.objects.filter(name="交流输入停电告警").exists()


def test_json_with_a_nul_escape_is_refused(make_source, post):
    source = make_source("zabbix")
    body = json.dumps({"event_id": "1", "event_value": "1", "event_name": "a\u0000b"}).encode()
    assert post(source, body).status_code == 400
