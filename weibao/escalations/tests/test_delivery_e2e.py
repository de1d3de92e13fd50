"""From a level-1 call to the people: the 15-minute step reaches the field engineer's mailbox
on a real SMTP server and the customer's webhook on a real HTTP receiver, signed."""

import datetime as dt
import email
import email.policy
import hashlib
import hmac

import pytest

from weibao.escalations.runner import tick

pytestmark = pytest.mark.django_db


def test_escalation_reaches_mailbox_and_signed_webhook(desk, frozen_clock, smtp_server,
                                                       receiver, endpoint_factory):  # fmt: skip
    endpoint_factory("webhook", "/hooks/weibao", secret="s3cret", customer=desk.customer)
    ticket = desk.open(level="L1")

    frozen_clock(ticket.reported_at + dt.timedelta(minutes=15))
    counts = tick()

    assert counts.steps == 1
    engineer_mail = [
        email.message_from_bytes(content, policy=email.policy.default)
        for _sender, recipients, content in smtp_server.messages
        if recipients == ["engineer@example.cn"]
    ]
    assert len(engineer_mail) == 1
    assert ticket.number in engineer_mail[0]["Subject"]
    assert "升级" in engineer_mail[0]["Subject"]
    hooks = [h for h in receiver.hits("/hooks/weibao") if h.json()["kind"] == "escalation"]
    assert len(hooks) == 1
    hook = hooks[0]
    timestamp = hook.headers["X-Weibao-Timestamp"]
    expected = hmac.new(b"s3cret", f"{timestamp}.".encode() + hook.body, hashlib.sha256)
    assert hook.headers["X-Weibao-Signature"] == f"sha256={expected.hexdigest()}"
    assert hook.json()["ref_id"] == str(ticket.pk)

    tick()  # nothing is delivered twice
    assert len([h for h in receiver.hits("/hooks/weibao") if h.json()["kind"] == "escalation"]) == 1
