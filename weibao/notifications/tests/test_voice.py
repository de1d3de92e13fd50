"""The voice-call channel (ESC-5) against a local receiver that verifies the signature the
way the cloud voice-notification services do: HMAC-SHA256 over the canonical request,
recomputed here independently of the production signer."""

import base64
import datetime as dt
import hashlib
import hmac
import json

import pytest

from weibao.escalations.runner import tick
from weibao.notifications.choices import Channel, EndpointKind, NotificationKind, State
from weibao.notifications.delivery import deliver_due
from weibao.notifications.models import Notification
from weibao.notifications.services import notify

pytestmark = pytest.mark.django_db

KEY_ID, SECRET = "LTAI5tVoiceKey", "vOiCeSeCrEt-0123456789"


def verifying(receiver, secret=SECRET):
    """Make the receiver answer like the provider: 403 unless the signature verifies."""
    plain_answer = receiver.answer
    seen_nonces = set()

    def answer(request):
        headers = {k.lower(): v for k, v in request.headers.items()}
        digest = hashlib.sha256(request.body).hexdigest()
        canonical = "\n".join(
            ["POST", request.path, digest, headers["x-access-key-id"], headers["x-timestamp"],
             headers["x-nonce"]]
        )  # fmt: skip
        expected = base64.b64encode(
            hmac.new(secret.encode(), canonical.encode(), hashlib.sha256).digest()
        ).decode()
        dt.datetime.strptime(headers["x-timestamp"], "%Y-%m-%dT%H:%M:%SZ")  # UTC, ISO 8601
        ok = (
            hmac.compare_digest(expected, headers["x-signature"])
            and headers["x-signature-method"] == "HMAC-SHA256"
            and headers["x-access-key-id"] == KEY_ID
            and headers["x-nonce"] not in seen_nonces
        )
        seen_nonces.add(headers["x-nonce"])
        plain_answer(request)  # keep the request log
        if not ok:
            return 403, json.dumps({"Code": "SignatureDoesNotMatch"}).encode()
        return 200, json.dumps({"Code": "OK", "CallId": "call-1"}).encode()

    receiver.answer = answer
    return receiver


@pytest.fixture
def voice_gateway(receiver, endpoint_factory):
    return endpoint_factory(
        EndpointKind.VOICE_GATEWAY, "/voice/call", access_key_id=KEY_ID, secret=SECRET,
        template_id="TTS_10001",
    )  # fmt: skip


def with_phone(user, phone):
    user.phone = phone
    user.save()
    return user


def test_l1_ladder_step_rings_the_engineer_with_a_signed_request(desk, frozen_clock, receiver,
                                                                 voice_gateway):  # fmt: skip
    verifying(receiver)
    with_phone(desk.engineer, "13900000015")
    ticket = desk.open(level="L1")
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=15))
    tick(deliver=False)
    step = ticket.escalation_steps.get(after_minutes=15)
    [call] = Notification.objects.filter(dedupe_key=f"step:{step.pk}", channel=Channel.VOICE)
    assert (call.recipient, call.address, call.endpoint) == (
        desk.engineer,
        "13900000015",
        voice_gateway,
    )
    deliver_due(limit=50)
    call.refresh_from_db()
    assert call.state == State.SENT, call.last_error
    [request] = receiver.hits("/voice/call")
    body = request.json()
    assert body["CalledNumber"] == "13900000015" and body["TemplateId"] == "TTS_10001"
    assert body["TemplateParam"]["ticket"] == ticket.number
    assert body["OutId"] == str(call.pk)


def test_a_wrong_secret_is_refused_by_the_provider_and_retried(receiver, endpoint_factory, staff):
    verifying(receiver)
    endpoint_factory(
        EndpointKind.VOICE_GATEWAY, "/voice/call", access_key_id=KEY_ID, secret="not-the-secret",
        template_id="TTS_10001",
    )  # fmt: skip
    notify(recipients=[staff], subject="一级故障", body="", kind=NotificationKind.L1_NOTICE,
           dedupe_key="l1:1")  # fmt: skip
    counts = deliver_due()
    call = Notification.objects.get(channel=Channel.VOICE)
    assert counts.retried >= 1 and call.state == State.PENDING
    assert "HTTP 403" in call.last_error and "SignatureDoesNotMatch" in call.last_error


def test_a_provider_refusal_code_is_a_failure(receiver, voice_gateway, staff):
    receiver.respond("/voice/call", 200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "限流"})
    notify(recipients=[staff], subject="一级故障", body="", kind=NotificationKind.L1_NOTICE,
           dedupe_key="l1:2")  # fmt: skip
    deliver_due()
    call = Notification.objects.get(channel=Channel.VOICE)
    assert call.state == State.PENDING and "isv.BUSINESS_LIMIT_CONTROL" in call.last_error


@pytest.mark.parametrize(
    ("kind", "voice", "calls"),
    [
        (NotificationKind.L1_NOTICE, None, 1),  # the 15-minute L1 notice rings by default
        (NotificationKind.ESCALATION, None, 0),  # other kinds do not
        (NotificationKind.ESCALATION, True, 1),  # unless the writer asks (L1 ladder steps)
    ],
)
def test_which_notifications_ring(voice_gateway, staff, kind, voice, calls):
    rows = notify(recipients=[staff], subject="s", body="b", kind=kind, dedupe_key="k",
                  voice=voice)  # fmt: skip
    assert sum(1 for n in rows if n.channel == Channel.VOICE) == calls


def test_l2_ladder_steps_do_not_ring(desk, frozen_clock, voice_gateway):
    with_phone(desk.engineer, "13900000015")
    ticket = desk.open(level="L2")
    frozen_clock(ticket.reported_at + dt.timedelta(minutes=15))
    tick(deliver=False)
    assert not Notification.objects.filter(channel=Channel.VOICE).exists()
