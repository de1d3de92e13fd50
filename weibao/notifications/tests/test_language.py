"""Each person reads their notifications in their own language (`User.language`); robots,
webhooks and gateway tests read the provider's default language. The words are chosen when
the outbox row is written, whoever caused it and in whatever language they were working."""

import datetime as dt
import json

import pytest
from django.utils import translation

from weibao.accounts.choices import Role
from weibao.accounts.services import set_language
from weibao.escalations.runner import tick
from weibao.notifications.choices import Channel, EndpointKind, NotificationKind
from weibao.notifications.delivery import deliver_due, tell_duty_manager
from weibao.notifications.models import Notification
from weibao.notifications.services import notify, send_test
from weibao.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def rows_of(ticket, kind):
    return Notification.objects.filter(kind=kind, ref_id=str(ticket.pk))


def text_of(rows, user, channel=Channel.EMAIL):
    row = rows.get(recipient=user, channel=channel)
    return row.subject, row.body


def test_a_new_l1_ticket_reaches_each_person_in_their_own_language(
    desk, frozen_clock, endpoint_factory, receiver, smtp_server
):
    # given an SMS gateway, a webhook, and an English-preferring engineer and manager beside
    # a Chinese-preferring engineer and centre head
    endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms")
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    english = desk.engineer
    english.phone = "13900000011"
    english.save(update_fields=["phone"])
    chinese = UserFactory(
        username="engineer-zh", provider=desk.engineer.provider, email="zh@example.cn",
        phone="13900000012", roles=[Role.ENGINEER],
    )  # fmt: skip
    set_language(english, language="en", actor=english)
    set_language(desk.manager, language="en", actor=desk.manager)

    # when an agent working in English takes an L1 call
    with translation.override("en"):
        ticket = desk.open(level="L1")

    # then the 15-minute L1 notice reads English to the manager, Chinese to the head
    notices = rows_of(ticket, NotificationKind.L1_NOTICE)
    subject, body = text_of(notices, desk.manager)
    assert subject == f"[L1 fault] {ticket.number} 华东通信"
    assert "Judged an L1 fault: 2026-03-02 03:00" in body  # local time
    subject, body = text_of(notices, desk.head)
    assert subject == f"【一级故障】{ticket.number} 华东通信"
    assert "判定为一级故障：2026-03-02 03:00" in body
    # and the webhook (nobody's account) reads the provider's default language
    to_hook = notices.filter(channel=Channel.WEBHOOK)
    assert to_hook and all(n.subject.startswith("【一级故障】") for n in to_hook)

    # when nobody resolves it for 15 minutes, the field engineers are escalated to
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=15))
    tick(deliver=False)
    steps = rows_of(ticket, NotificationKind.ESCALATION)
    subject, body = text_of(steps, english)
    assert subject == f"[L1 escalation] {ticket.number} unresolved for 15 minutes"
    assert "Reported: 2026-03-02 03:00" in body and "Field service engineer" in body
    assert text_of(steps, english, Channel.SMS) == (subject, body)
    subject, body = text_of(steps, chinese, Channel.SMS)
    assert subject == f"【L1 升级】{ticket.number} 已 15 分钟未解决"
    assert "请现场服务工程师介入" in body

    # and what reaches the phones and mailboxes is in those words
    Notification.objects.exclude(pk__in=steps.values("pk")).delete()
    deliver_due(limit=50)
    sms = {r.json()["phone"]: r.json()["message"] for r in receiver.hits("/sms")}
    assert sms["13900000011"].startswith(f"【[L1 escalation] {ticket.number} unresolved")
    assert sms["13900000012"].startswith(f"【【L1 升级】{ticket.number} 已 15 分钟未解决")
    mails = {tuple(to): content.decode() for _from, to, content in smtp_server.messages}
    assert "unresolved for 15 minutes" in mails[(english.email,)]
    assert "Field service engineer" in mails[(english.email,)]
    hook = receiver.hits("/hook")
    assert hook and all(json.loads(r.body)["subject"].startswith("【L1 升级】") for r in hook)


def test_a_failed_message_is_reported_to_each_manager_in_their_language(desk):
    # given a message to the webhook that failed for good, and an English manager
    set_language(desk.manager, language="en", actor=desk.manager)
    failed = Notification.objects.create(
        kind=NotificationKind.BREACH, subject="【超时】T-1", dedupe_key="x", attempts=8,
        channel=Channel.WEBHOOK, address="hook", last_error="HTTP 500", customer=desk.customer,
    )  # fmt: skip
    # when the duty manager is told
    tell_duty_manager(failed)
    # then in English, with the failed message's own subject as it was written
    told = Notification.objects.get(kind=NotificationKind.DELIVERY_FAILED, channel="email")
    assert told.recipient == desk.manager
    assert told.subject == "[Notification failed] 【超时】T-1"
    assert told.body.startswith("The notification to Webhook hook failed 8 times")


def test_a_plain_text_message_is_sent_as_its_caller_worded_it(desk):
    set_language(desk.manager, language="en", actor=desk.manager)
    rows = notify(
        recipients=[desk.manager], subject="已写好的主题", body="正文", kind="escalation",
        dedupe_key="plain",
    )  # fmt: skip
    assert [(n.subject, n.body) for n in rows] == [("已写好的主题", "正文")]


def test_a_gateway_test_reads_the_testers_language(desk, endpoint_factory):
    gateway = endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms")
    robot = endpoint_factory(EndpointKind.DINGTALK, "/ding")
    admin = UserFactory(phone="13900000099", is_superuser=True, language="en")
    assert send_test(gateway, actor=admin).subject == "Weibao notification test"
    assert send_test(robot, actor=admin).subject == "维保通知测试"  # the group's language
