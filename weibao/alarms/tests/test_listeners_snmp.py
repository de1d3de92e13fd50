"""The SNMP listener with real senders: traps and INFORMs sent with pysnmp (v2c and v3) to the
listener on a free port; alarms are stored through accept(), re-delivery is idempotent, and an
INFORM is answered only once its alarm is committed."""

from __future__ import annotations

import asyncio
import socket
import time

import pytest
from pysnmp.hlapi.v3arch.asyncio import (
    CommunityData,
    ContextData,
    NotificationType,
    ObjectIdentity,
    OctetString,
    SnmpEngine,
    UdpTransportTarget,
    UsmUserData,
    send_notification,
    usmAesCfb128Protocol,
    usmHMACSHAAuthProtocol,
)

from weibao.alarms.listeners.snmp import SnmpListener
from weibao.alarms.models import Alarm, AlarmChange, RawDelivery
from weibao.alarms.services.intake import accept
from weibao.testing.factories import AlarmSourceFactory

pytestmark = pytest.mark.django_db(transaction=True)

RAISE = "1.3.6.1.4.1.8888.0.1"
CLEAR = "1.3.6.1.4.1.8888.0.2"
DEVICE = "1.3.6.1.4.1.8888.1.1"
SITE = "1.3.6.1.4.1.8888.1.2"
TEXT = "1.3.6.1.4.1.8888.1.3"
SENDER_ENGINE = "8000000004" + b"sender-1".hex()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def snmp_source(token="s3cret-community", **mapping):
    port = free_port()
    return AlarmSourceFactory(
        kind="snmp",
        token=token,
        mapping={
            "listen": f"127.0.0.1:{port}",
            "users": [
                {
                    "name": "ops",
                    "auth": "sha",
                    "auth_key": "auth-pass-1",
                    "priv": "aes",
                    "priv_key": "priv-pass-1",
                    "engine_id": SENDER_ENGINE,
                }
            ],
            "traps": {
                RAISE: {"name": "市电停电", "severity": "critical", "level": "L2", "key": [DEVICE]},
                CLEAR: {"action": "clear", "clears": RAISE},
            },
            "site_varbind": SITE,
            "asset_varbind": DEVICE,
            "description_varbind": TEXT,
            **mapping,
        },
    ), port


@pytest.fixture
def listening():
    started = []

    def start(source, **kwargs):
        listener = SnmpListener(source, **kwargs)
        listener.start()
        assert listener.ready.wait(10)
        assert listener.failed is None, listener.failed
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.stop()
        listener.join(10)


def send(port, kind, trap_oid, *, device="UPS-01", text="市电中断", v3=False, timeout=1, retries=0):
    """Send one notification with a real pysnmp engine; the INFORM's error indication."""

    async def go():
        sender = SnmpEngine(OctetString(hexValue=SENDER_ENGINE)) if v3 else SnmpEngine()
        auth = (
            UsmUserData(
                "ops",
                "auth-pass-1",
                "priv-pass-1",
                authProtocol=usmHMACSHAAuthProtocol,
                privProtocol=usmAesCfb128Protocol,
            )
            if v3
            else CommunityData("s3cret-community", mpModel=1)
        )
        target = await UdpTransportTarget.create(
            ("127.0.0.1", port), timeout=timeout, retries=retries
        )
        notification = NotificationType(ObjectIdentity(trap_oid)).add_varbinds(
            (DEVICE, OctetString(device.encode())),
            (SITE, OctetString(b"GZ-TH-001")),
            (TEXT, OctetString(text.encode())),
        )
        result = await send_notification(sender, auth, target, ContextData(), kind, notification)
        sender.close_dispatcher()
        return result[0]

    return asyncio.run(go())


def test_a_v2c_trap_raises_and_a_clear_trap_resolves_the_same_alarm(listening):
    source, port = snmp_source()
    listener = listening(source)

    assert send(port, "trap", RAISE) is None
    assert listener.wait_delivered(1)
    alarm = Alarm.objects.get(source=source)
    assert (alarm.name, alarm.severity, alarm.suggested_level) == ("市电停电", "critical", "L2")
    assert (alarm.site_ref, alarm.asset_ref, alarm.description) == (
        "GZ-TH-001",
        "UPS-01",
        "市电中断",
    )
    assert alarm.state == "firing"
    assert RawDelivery.objects.filter(source=source, body__contains=RAISE).exists()

    send(port, "trap", CLEAR)
    assert listener.wait_delivered(2)
    alarm.refresh_from_db()
    assert alarm.state == "resolved"
    assert list(AlarmChange.objects.filter(alarm=alarm).values_list("kind", flat=True)) == [
        "raised",
        "resolved",
    ]


def test_a_v2c_inform_is_answered_after_commit_and_a_repeat_adds_no_alarm(listening):
    source, port = snmp_source()
    listening(source)

    assert send(port, "inform", RAISE) is None  # answered: the alarm is already committed
    alarm = Alarm.objects.get(source=source)
    assert send(port, "inform", RAISE) is None
    assert Alarm.objects.filter(source=source).count() == 1
    alarm.refresh_from_db()
    assert alarm.repeat_count == 2
    assert AlarmChange.objects.filter(alarm=alarm).count() == 1


def test_a_wrong_community_is_not_stored(listening):
    source, port = snmp_source()
    source.token = "another-community"
    listening(source)

    assert send(port, "inform", RAISE) is not None  # no answer: the sender times out
    assert not Alarm.objects.filter(source=source).exists()


def test_v3_trap_and_inform_with_a_usm_user(listening):
    source, port = snmp_source()
    listener = listening(source)

    assert send(port, "inform", RAISE, device="UPS-01", v3=True) is None
    assert Alarm.objects.filter(source=source, asset_ref="UPS-01").exists()
    send(port, "trap", RAISE, device="UPS-02", v3=True)
    assert listener.wait_delivered(2)
    assert Alarm.objects.filter(source=source, asset_ref="UPS-02").exists()
    assert Alarm.objects.filter(source=source).count() == 2


def test_an_inform_whose_commit_failed_is_unanswered_and_stored_on_the_senders_retry(listening):
    source, port = snmp_source()
    calls = []

    def failing_once(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("database unavailable")
        return accept(*args, **kwargs)

    listening(source, accept=failing_once)

    # The first attempt is not answered; pysnmp's sender retries after its timeout.
    assert send(port, "inform", RAISE, timeout=1, retries=3) is None
    assert len(calls) == 2
    assert Alarm.objects.filter(source=source).count() == 1
    source.refresh_from_db()
    assert source.errors == 1 and "database unavailable" in source.last_error


def test_an_unmapped_trap_is_stored_under_its_oid_unless_ignored(listening):
    source, port = snmp_source()
    listener = listening(source)
    send(port, "trap", "1.3.6.1.4.1.8888.0.77")
    assert listener.wait_delivered(1)
    assert Alarm.objects.filter(source=source, name="1.3.6.1.4.1.8888.0.77").exists()

    quiet, quiet_port = snmp_source(token="", unmapped="ignore")
    listening(quiet)
    assert (
        send(quiet_port, "inform", "1.3.6.1.4.1.8888.0.77", v3=True) is None
    )  # handled, nothing kept
    assert not Alarm.objects.filter(source=quiet).exists()
