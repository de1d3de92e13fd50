"""`notify` writes the outbox in the caller's transaction: who gets what, and never twice."""

import pytest
from django.db import transaction

from weibao.core.errors import DomainError
from weibao.notifications.choices import Channel, EndpointKind, State
from weibao.notifications.models import Notification, NotificationPreference
from weibao.notifications.services import notify, set_preferences
from weibao.testing.factories import CustomerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _notify(recipients, **overrides):
    fields = {
        "subject": "工单 T-1 升级",
        "body": "L1 故障 30 分钟未响应",
        "kind": "escalation",
        "dedupe_key": "ticket:1:escalation:1",
    }
    return notify(recipients=recipients, **{**fields, **overrides})


def _targets(rows):
    return sorted((n.channel, n.address) for n in rows)


def test_user_without_preferences_gets_email_and_no_sms_without_gateway(staff):
    rows = _notify([staff])
    assert _targets(rows) == [("email", "duty@example.com")]
    assert rows[0].state == State.PENDING and rows[0].recipient == staff


def test_user_with_phone_gets_sms_once_a_gateway_is_enabled(staff, endpoint_factory):
    gateway = endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms", token="t")
    rows = _notify([staff])
    assert _targets(rows) == [("email", "duty@example.com"), ("sms", "13900000001")]
    assert next(n for n in rows if n.channel == Channel.SMS).endpoint == gateway


def test_preferences_switch_channels_off_and_replace_addresses(staff, endpoint_factory):
    endpoint_factory(EndpointKind.SMS_GATEWAY, "/sms")
    set_preferences(
        staff,
        email_enabled=True,
        email_address="oncall@example.com",
        sms_enabled=False,
        sms_address="",
        actor=staff,
    )
    assert _targets(_notify([staff])) == [("email", "oncall@example.com")]


def test_user_without_any_address_gets_nothing(db):
    assert _notify([UserFactory(email="", phone="")]) == []


def test_robots_of_the_customer_and_global_ones_subscribed_to_the_kind(endpoint_factory):
    customer, other = CustomerFactory(), CustomerFactory()
    endpoint_factory(EndpointKind.DINGTALK, "/ding", customer=customer)
    endpoint_factory(EndpointKind.WECOM, "/wecom")
    endpoint_factory(EndpointKind.FEISHU, "/feishu", customer=other)
    endpoint_factory(EndpointKind.WEBHOOK, "/hook", kinds=["breach"])
    endpoint_factory(EndpointKind.WEBHOOK, "/off", enabled=False)
    rows = _notify([], customer=customer)
    assert _targets(rows) == [("dingtalk", "dingtalk-ding"), ("wecom", "wecom-wecom")]
    breach = _notify([], customer=customer, kind="breach", dedupe_key="ticket:1:breach")
    assert ("webhook", "webhook-hook") in _targets(breach)


def test_notify_twice_with_the_same_dedupe_key_creates_nothing_new(staff, endpoint_factory):
    endpoint_factory(EndpointKind.WEBHOOK, "/hook")
    first = _notify([staff, staff])
    second = _notify([staff], subject="再次触发")
    assert Notification.objects.count() == 2
    assert [n.pk for n in second] == [n.pk for n in first]
    assert Notification.objects.filter(subject="再次触发").count() == 0


def test_two_people_sharing_an_address_get_one_message(db):
    a, b = UserFactory(email="team@example.com"), UserFactory(email="team@example.com")
    assert len(_notify([a, b])) == 1


def test_rolled_back_change_leaves_no_outbox_row(staff):
    """Written with the state change that causes it: no change, no message."""
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify([staff])
        assert Notification.objects.count() == 1
        raise RuntimeError("the state change failed")
    assert Notification.objects.count() == 0


def test_notify_needs_a_kind_and_a_dedupe_key(staff):
    with pytest.raises(DomainError):
        _notify([staff], dedupe_key="")


def test_preferences_are_stored_once_per_channel(staff):
    for _ in range(2):
        set_preferences(
            staff,
            email_enabled=False,
            email_address="",
            sms_enabled=True,
            sms_address="13800000000",
            actor=staff,
        )
    assert NotificationPreference.objects.filter(user=staff).count() == 2
