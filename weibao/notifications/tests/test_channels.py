"""Each channel against a real local receiver. The signatures are recomputed here from the
vendors' published algorithms, independently of the production signers."""

import base64
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json

import pytest

from weibao.notifications.channels import DeliveryError, send
from weibao.notifications.choices import EndpointKind, State
from weibao.notifications.delivery import deliver_due
from weibao.notifications.models import Notification
from weibao.notifications.services import notify

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 1, 11, 0, 5)  # Asia/Shanghai
SUBJECT = "【升级】工单 T-2026-0001 已超过响应时限"
BODY = "南京端局 FSU 离线，L1 故障，已通知应急小组。"


def _notify(recipients=(), **fields):
    return notify(
        recipients=recipients,
        subject=SUBJECT,
        body=BODY,
        kind="escalation",
        dedupe_key="ticket:1:escalation:2",
        ref_type="ticket",
        ref_id="T-2026-0001",
        payload={"level": "L1"},
        **fields,
    )


def test_email_reaches_a_real_smtp_server_with_the_chinese_subject(smtp_server, staff):
    [notification] = _notify([staff])
    assert deliver_due().sent == 1
    [(mail_from, rcpt_tos, content)] = smtp_server.messages
    assert mail_from == "weibao@example.com" and rcpt_tos == ["duty@example.com"]
    message = email.message_from_bytes(content, policy=email.policy.default)
    # Django 5.2 folds a long encoded subject onto a continuation line ("Subject:\n =?utf-8?…");
    # unfolding keeps that one leading space, which mail clients trim.
    assert message["Subject"].strip() == SUBJECT
    assert BODY in message.get_content()
    notification.refresh_from_db()
    assert notification.state == State.SENT


def test_dingtalk_signs_the_url_as_dingtalk_documents(receiver, endpoint_factory, frozen_clock):
    now = frozen_clock(NOW)
    secret = "SEC0123456789abcdef"
    endpoint_factory(EndpointKind.DINGTALK, "/ding", secret=secret)
    receiver.respond("/ding", 200, {"errcode": 0, "errmsg": "ok"})
    _notify()
    assert deliver_due().sent == 1
    [hit] = receiver.hits("/ding")
    timestamp = hit.query["timestamp"]
    assert timestamp == str(int(now.timestamp() * 1000))
    # Vendor: Base64(HmacSHA256(key=secret, msg=timestamp + "\n" + secret)), then urlEncode.
    # parse_qsl has already undone the urlEncode.
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert hit.query["sign"] == expected
    body = hit.json()
    assert body["msgtype"] == "markdown"
    assert body["markdown"]["title"] == SUBJECT
    assert BODY in body["markdown"]["text"]


def test_dingtalk_errcode_is_a_failure_with_the_vendor_message(receiver, endpoint_factory):
    endpoint_factory(EndpointKind.DINGTALK, "/ding")
    receiver.respond("/ding", 200, {"errcode": 310000, "errmsg": "sign not match"})
    [notification] = _notify()
    with pytest.raises(DeliveryError, match=r"310000.*sign not match"):
        send(notification)


def test_wecom_posts_markdown_without_a_signature(receiver, endpoint_factory):
    endpoint_factory(EndpointKind.WECOM, "/wecom")
    receiver.respond("/wecom", 200, {"errcode": 0, "errmsg": "ok"})
    _notify()
    assert deliver_due().sent == 1
    [hit] = receiver.hits("/wecom")
    assert hit.query == {}
    body = hit.json()
    assert body["msgtype"] == "markdown"
    assert SUBJECT in body["markdown"]["content"] and BODY in body["markdown"]["content"]


def test_wecom_errcode_fails(receiver, endpoint_factory):
    endpoint_factory(EndpointKind.WECOM, "/wecom")
    receiver.respond("/wecom", 200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    [notification] = _notify()
    with pytest.raises(DeliveryError, match="93000"):
        send(notification)


def test_feishu_signs_the_body_as_feishu_documents(receiver, endpoint_factory, frozen_clock):
    now = frozen_clock(NOW)
    secret = "feishu-secret-xyz"
    endpoint_factory(EndpointKind.FEISHU, "/feishu", secret=secret)
    receiver.respond("/feishu", 200, {"code": 0, "msg": "success", "data": {}})
    _notify()
    assert deliver_due().sent == 1
    body = receiver.hits("/feishu")[0].json()
    assert body["timestamp"] == str(int(now.timestamp()))
    # Vendor: HmacSHA256 keyed with timestamp + "\n" + secret over an empty message, Base64.
    key = f"{body['timestamp']}\n{secret}".encode()
    assert body["sign"] == base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "text"
    assert SUBJECT in body["content"]["text"] and BODY in body["content"]["text"]


def test_feishu_old_style_status_code_counts_and_errors_fail(receiver, endpoint_factory):
    endpoint_factory(EndpointKind.FEISHU, "/feishu")
    [notification] = _notify()
    receiver.respond("/feishu", 200, {"StatusCode": 0, "StatusMessage": "success"}, times=1)
    send(notification)
    receiver.respond("/feishu", 200, {"code": 19021, "msg": "sign match fail"}, times=1)
    with pytest.raises(DeliveryError, match="19021"):
        send(notification)


def test_sms_gateway_gets_phone_message_and_bearer_token(receiver, endpoint_factory, staff):
    endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms", token="gw-token-1")
    receiver.respond("/sms", 202, "accepted")
    _notify([staff])
    assert deliver_due().sent == 2  # the SMS, and the e-mail (to the test mailbox)
    [hit] = receiver.hits("/sms")
    assert hit.headers["Authorization"] == "Bearer gw-token-1"
    body = hit.json()
    assert body["phone"] == "13900000001"
    assert SUBJECT in body["message"] and BODY in body["message"]


def test_sms_gateway_error_status_fails_with_the_status(receiver, endpoint_factory, staff):
    endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms")
    receiver.respond("/sms", 401, "bad token")
    notification = next(n for n in _notify([staff]) if n.channel == "sms")
    with pytest.raises(DeliveryError) as failure:
        send(notification)
    assert failure.value.status_code == 401
    assert "Authorization" not in receiver.hits("/sms")[0].headers


def test_webhook_is_signed_so_a_receiver_can_verify_it(receiver, endpoint_factory, frozen_clock):
    now = frozen_clock(NOW)
    secret = "hook-secret"
    endpoint_factory(EndpointKind.WEBHOOK, "/hook", secret=secret)
    receiver.respond("/hook", 204)
    [notification] = _notify()
    assert deliver_due().sent == 1
    [hit] = receiver.hits("/hook")
    timestamp = hit.headers["X-Weibao-Timestamp"]
    assert timestamp == str(int(now.timestamp()))
    # The receiver's side, as the README tells it: HMAC over "<timestamp>." + raw body.
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + hit.body, hashlib.sha256)
    assert hmac.compare_digest(hit.headers["X-Weibao-Signature"], f"sha256={mac.hexdigest()}")
    assert hit.headers["X-Weibao-Event"] == "escalation"
    assert hit.headers["X-Weibao-Delivery"] == str(notification.pk)
    body = json.loads(hit.body)
    assert body == {
        "id": notification.pk,
        "kind": "escalation",
        "subject": SUBJECT,
        "body": BODY,
        "payload": {"level": "L1"},
        "ref_type": "ticket",
        "ref_id": "T-2026-0001",
        "created_at": now.astimezone(dt.UTC).isoformat(),
    }


def test_webhook_without_secret_is_sent_unsigned(receiver, endpoint_factory):
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    _notify()
    assert deliver_due().sent == 1
    assert "X-Weibao-Signature" not in receiver.hits("/hook")[0].headers


def test_unreachable_receiver_is_a_delivery_error(endpoint_factory, receiver):
    endpoint = endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    endpoint.url = "http://127.0.0.1:9/unreachable"  # discard port: nothing listens
    endpoint.save()
    [notification] = _notify()
    with pytest.raises(DeliveryError, match="无法连接"):
        send(notification)


def test_disabled_endpoint_is_not_delivered_to(endpoint_factory, receiver):
    endpoint = endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    [notification] = _notify()
    endpoint.enabled = False
    endpoint.save()
    deliver_due()
    notification = Notification.objects.get(pk=notification.pk)
    assert "已停用" in notification.last_error
    assert receiver.hits("/hook") == []
