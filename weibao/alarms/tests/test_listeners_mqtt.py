"""The MQTT listener against the real local Mosquitto (127.0.0.1:1883) with a real MQTT client
publishing: alarms stored through accept() with the generic mapping, repeats idempotent, what
is published while Weibao is down delivered when it is back (persistent session), and a
message whose commit failed re-delivered (PUBACK only after commit)."""

from __future__ import annotations

import json
import os
import socket
import time
import uuid

import paho.mqtt.client as mqtt
import pytest

from weibao.alarms.listeners.mqtt import MqttListener
from weibao.alarms.models import Alarm, AlarmChange, RawDelivery
from weibao.alarms.services.intake import accept
from weibao.testing.factories import AlarmSourceFactory

pytestmark = pytest.mark.django_db(transaction=True)

BROKER = ("127.0.0.1", 1883)


@pytest.fixture(autouse=True)
def broker():
    try:
        socket.create_connection(BROKER, timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":  # CI has the broker: a missing one is a failure
            pytest.fail("no MQTT broker answers on 127.0.0.1:1883 (CI must run mosquitto)")
        pytest.skip("no MQTT broker answers on 127.0.0.1:1883 (install and start mosquitto)")


def mqtt_source(**extra):
    run = uuid.uuid4().hex[:12]
    return AlarmSourceFactory(
        kind="mqtt",
        token="",
        mapping={
            "broker": "127.0.0.1:1883",
            "topics": [f"weibao-test/{run}/+/alarm"],
            "client_id": f"weibao-test-{run}",
            "key": "id",
            "name": "name",
            "level": "level",
            "site": "station",
            "device": "device",
            "recovery": "status",
            "recovery_values": ["clear"],
            **extra,
        },
    )


def topic(source, site="GZ-TH-001"):
    return source.mapping["topics"][0].replace("+", site)


def publish(source, *payloads):
    client = mqtt.Client(callback_api_version=mqtt.CallbackAPIVersion.VERSION2)
    client.connect(*BROKER)
    client.loop_start()
    try:
        for payload in payloads:
            body = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
            info = client.publish(topic(source), body, qos=1)
            info.wait_for_publish(5)
            assert info.is_published()
    finally:
        client.disconnect()
        client.loop_stop()


@pytest.fixture
def listening():
    started = []

    def start(source, **kwargs):
        listener = MqttListener(source, **kwargs)
        listener.start()
        assert listener.ready.wait(10), "not subscribed"
        assert listener.failed is None, listener.failed
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.stop()
        listener.join(10)
    for client_id in {listener.config.client_id for listener in started}:
        forget_session(client_id)


def forget_session(client_id):
    """End the broker's persistent session of a test client (a clean connection does)."""
    client = mqtt.Client(
        callback_api_version=mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id,
        clean_session=True,
    )
    client.connect(*BROKER)
    client.loop(timeout=0.5)
    client.disconnect()


ALARM = {
    "id": "A-1",
    "name": "市电停电",
    "level": "二级",
    "station": "GZ-TH-001",
    "device": "UPS-01",
}


def test_a_published_alarm_is_stored_and_its_repeat_and_clear_update_it(listening):
    source = mqtt_source()
    listener = listening(source)

    publish(source, ALARM, ALARM)
    assert listener.wait_delivered(2)
    alarm = Alarm.objects.get(source=source)
    assert (alarm.name, alarm.suggested_level, alarm.site_ref, alarm.asset_ref) == (
        "市电停电",
        "L2",
        "GZ-TH-001",
        "UPS-01",
    )
    assert alarm.repeat_count == 2 and alarm.state == "firing"
    assert (
        RawDelivery.objects.filter(source=source, content_type__contains="mqtt-topic").count() == 2
    )

    publish(source, {**ALARM, "status": "clear"})
    assert listener.wait_delivered(3)
    alarm.refresh_from_db()
    assert alarm.state == "resolved"
    assert [c.kind for c in AlarmChange.objects.filter(alarm=alarm).order_by("pk")] == [
        "raised",
        "resolved",
    ]


def test_what_is_published_while_weibao_is_down_arrives_when_it_is_back(listening):
    source = mqtt_source()
    first = listening(source)  # subscribes: the broker keeps the session from now on
    first.stop()
    first.join(10)

    publish(source, {**ALARM, "id": "while-down"})
    assert not Alarm.objects.filter(source=source).exists()

    again = listening(source)
    assert again.wait_delivered(1)
    assert Alarm.objects.filter(source=source, key="generic:while-down").exists()


def test_a_message_whose_commit_failed_is_not_acknowledged_and_comes_again(listening):
    source = mqtt_source()
    calls = []

    def failing_once(*args, **kwargs):
        calls.append(time.monotonic())
        if len(calls) == 1:
            raise RuntimeError("database unavailable")
        return accept(*args, **kwargs)

    listener = listening(source, accept=failing_once)
    publish(source, ALARM)

    assert listener.wait_delivered(2, timeout=15)  # the failure, then the broker's re-send
    assert (listener.failures, listener.delivered) == (1, 1)
    assert Alarm.objects.filter(source=source).count() == 1
    source.refresh_from_db()
    assert source.errors == 1 and "database unavailable" in source.last_error


def test_a_message_the_mapping_cannot_read_is_counted_as_rejected_and_not_resent(listening):
    source = mqtt_source()
    listener = listening(source)

    publish(source, "not json", {"name": "no id"}, ALARM)
    assert listener.wait_delivered(1)
    assert Alarm.objects.filter(source=source).count() == 1
    source.refresh_from_db()
    assert source.rejected == 2 and listener.failures == 0
