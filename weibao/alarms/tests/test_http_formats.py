"""Each format posted over HTTP the way its sender does, with realistic payloads."""

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest

from weibao.alarms.choices import AlarmState, ChangeKind, Severity
from weibao.alarms.models import Alarm, AlarmChange, RawDelivery
from weibao.alarms.services.expiry import resolve_expired
from weibao.alarms.tests.conftest import NOW, fixture_bytes

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def kinds_of_changes():
    return sorted((c.alarm.name, c.kind) for c in AlarmChange.objects.select_related("alarm"))


def test_alertmanager_group_upserts_firing_and_resolved_alerts(
    make_source, post, site_world, frozen_clock
):
    site, asset = site_world
    frozen_clock(NOW)
    source = make_source("alertmanager")
    response = post(source, fixture_bytes("alertmanager_group.json"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "success",
        "alarms": 2,
        "raised": 1,
        "resolved": 0,
        "repeated": 1,
    }
    fsu = Alarm.objects.get(name="FsuOffline")
    assert (fsu.state, fsu.severity, fsu.site, fsu.asset) == (
        "firing",
        Severity.CRITICAL,
        site,
        asset,
    )
    assert fsu.key == "b143838468766458"  # the Alertmanager fingerprint of its labels
    assert fsu.starts_at == dt.datetime(2026, 3, 2, 0, 55, 0, 123456, tzinfo=UTC)
    assert fsu.ends_at is None
    assert "5 分钟未上报" in fsu.description
    mains = Alarm.objects.get(name="MainsFailure")
    assert mains.state == AlarmState.RESOLVED
    assert mains.resolved_at == dt.datetime(2026, 3, 2, 0, 58, 30, tzinfo=UTC)
    # A resolved alert seen for the first time opens nothing.
    assert kinds_of_changes() == [("FsuOffline", ChangeKind.RAISED)]
    delivery = RawDelivery.objects.get()
    assert json.loads(delivery.body)["groupKey"] == '{}:{site="EO-01"}'


def test_ha_pair_posting_the_same_group_twice_keeps_the_same_rows(make_source, post, frozen_clock):
    frozen_clock(NOW)
    source = make_source("alertmanager")
    body = fixture_bytes("alertmanager_group.json")
    assert post(source, body).status_code == 200
    frozen_clock(NOW + dt.timedelta(seconds=2))
    second = post(source, body)
    assert second.json()["raised"] == 0 and second.json()["repeated"] == 2
    assert Alarm.objects.count() == 2
    assert set(Alarm.objects.values_list("repeat_count", flat=True)) == {2}
    assert AlarmChange.objects.count() == 1
    assert RawDelivery.objects.count() == 2
    source.refresh_from_db()
    assert source.received == 2


def test_truncated_group_resolves_no_missing_alert(make_source, post, frozen_clock):
    frozen_clock(NOW)
    source = make_source("alertmanager")
    post(source, fixture_bytes("alertmanager_group.json"))
    frozen_clock(NOW + dt.timedelta(minutes=6))
    response = post(source, fixture_bytes("alertmanager_group_truncated.json"))
    assert response.json()["raised"] == 1  # MainsFailure again, started after it ended
    assert Alarm.objects.get(name="FsuOffline").state == AlarmState.FIRING  # left out, not over
    assert Alarm.objects.get(name="MainsFailure").state == AlarmState.FIRING
    assert kinds_of_changes() == [("FsuOffline", "raised"), ("MainsFailure", "raised")]


def test_alertmanager_api_alerts_presume_their_end_and_resolve_unless_resent(
    make_source, client, frozen_clock
):
    now = frozen_clock(NOW)
    source = make_source("am_api", resolve_timeout=dt.timedelta(minutes=5))
    response = client.post(
        "/api/v2/alerts",
        data=fixture_bytes("am_api_alerts.json"),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {source.token}",
    )
    assert response.status_code == 200
    temp, camera, door = (
        Alarm.objects.get(name=n) for n in ("HighTemperature", "CameraOffline", "DoorOpen")
    )
    assert (temp.state, temp.ends_at, temp.auto_resolve) == (
        "firing",
        dt.datetime(2026, 3, 2, 1, 4, tzinfo=UTC),
        True,
    )
    assert (camera.state, camera.starts_at, camera.ends_at) == (
        "firing",
        now,
        now + dt.timedelta(minutes=5),
    )
    assert door.state == AlarmState.RESOLVED  # endsAt before now
    assert resolve_expired(now=now + dt.timedelta(minutes=6), limit=100) == 2
    assert set(Alarm.objects.values_list("state", flat=True)) == {"resolved"}
    assert AlarmChange.objects.filter(kind=ChangeKind.RESOLVED).count() == 2
    # Sent again after the timeout: raised again.
    frozen_clock(NOW + dt.timedelta(minutes=7))
    client.post(
        "/api/v2/alerts?token=" + source.token,
        data=json.dumps([json.loads(fixture_bytes("am_api_alerts.json"))[1]]),
        content_type="application/json",
    )
    assert Alarm.objects.get(name="CameraOffline").state == AlarmState.FIRING


def test_grafana_alert_finds_its_site_and_reads_its_severity(
    make_source, post, site_world, frozen_clock
):
    frozen_clock(NOW)
    source = make_source("grafana")
    assert post(source, fixture_bytes("grafana.json")).status_code == 200
    ups = Alarm.objects.get()
    assert (ups.name, ups.severity, ups.site, ups.asset_ref) == (
        "UPS battery low",
        "major",
        site_world[0],
        "UPS-01",
    )
    assert ups.asset is None  # no asset UPS-01 on file: stored anyway
    assert "UPS 电池剩余 12%" in ups.description


def test_zabbix_problem_then_recovery_is_one_alarm(make_source, post, site_world, frozen_clock):
    frozen_clock(NOW)
    source = make_source("zabbix")
    post(source, fixture_bytes("zabbix_problem.json"))
    frozen_clock(NOW + dt.timedelta(minutes=8))
    post(source, fixture_bytes("zabbix_recovery.json"))
    post(source, fixture_bytes("zabbix_recovery.json"))  # Zabbix retries a webhook
    alarm = Alarm.objects.get()
    assert alarm.key == "zabbix:58213"
    assert (alarm.severity, alarm.suggested_level, alarm.site) == ("major", "L2", site_world[0])
    assert alarm.labels["component"] == "network"
    assert alarm.starts_at == dt.datetime(2026, 3, 2, 1, 1, 12, tzinfo=UTC)
    assert alarm.resolved_at == dt.datetime(2026, 3, 2, 1, 7, 15, tzinfo=UTC)
    assert [c.kind for c in alarm.changes.all()] == ["raised", "resolved"]


def test_generic_json_follows_the_sources_mapping(make_source, post, site_world, frozen_clock):
    site, asset = site_world
    frozen_clock(NOW + dt.timedelta(minutes=5))
    mapping = {
        "items": "data.alarms",
        "key": "alarmId",
        "time": "occurTime",
        "level": "alarmLevel",
        "name": "alarmName",
        "description": "alarmDesc",
        "site": "stationCode",
        "device": "deviceSn",
        "recovery": "alarmStatus",
        "recovery_values": ["0"],
    }
    source = make_source("generic", mapping=mapping)
    assert post(source, fixture_bytes("generic_donghuan.json")).status_code == 200
    battery = Alarm.objects.get(key="generic:DH-20260302-000117")
    assert (battery.site, battery.asset, battery.suggested_level, battery.severity) == (
        site,
        asset,
        "L2",
        "major",
    )
    assert battery.starts_at == dt.datetime(2026, 3, 2, 1, 2, tzinfo=UTC)
    water = Alarm.objects.get(key="generic:DH-20260302-000118")
    assert (water.site, water.site_ref, water.suggested_level) == (None, "NOT-A-SITE", "L3")
    assert water.starts_at == dt.datetime(2026, 3, 2, 1, 2, 10, tzinfo=UTC)
    frozen_clock(NOW + dt.timedelta(minutes=25))
    post(source, fixture_bytes("generic_donghuan_clear.json"))
    battery.refresh_from_db()
    assert battery.state == AlarmState.RESOLVED
    assert battery.resolved_at == dt.datetime(2026, 3, 2, 1, 20, tzinfo=UTC)


def _ack_result(response) -> str:
    root = ET.fromstring(response.content)
    assert root.findtext("PK_Type/Name") == "SEND_ALARM_ACK"
    return root.findtext("Info/Result")


def test_b_interface_begin_end_and_ack(make_source, post, frozen_clock):
    frozen_clock(NOW + dt.timedelta(minutes=5))
    source = make_source("b_interface")
    begin = fixture_bytes("b_send_alarm_begin.xml")
    response = post(source, begin, content_type="text/xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert _ack_result(response) == "1"
    mains = Alarm.objects.get(key="b:32010100000001/0000012345")
    assert (mains.name, mains.suggested_level, mains.severity) == (
        "交流输入停电告警",
        "L2",
        "major",
    )
    door = Alarm.objects.get(key="b:32010100000001/0000012346")
    assert (door.suggested_level, door.labels["signal_id"]) == ("L3", "0418001001")  # 三级, <ID>
    # The FSU did not see the ACK and sends the same alarms again.
    post(source, begin, content_type="text/xml")
    assert Alarm.objects.count() == 2 and AlarmChange.objects.count() == 2
    frozen_clock(NOW + dt.timedelta(minutes=45))
    assert (
        _ack_result(post(source, fixture_bytes("b_send_alarm_end.xml"), content_type="text/xml"))
        == "1"
    )
    mains.refresh_from_db()
    door.refresh_from_db()
    assert mains.state == AlarmState.RESOLVED
    assert mains.resolved_at == dt.datetime(2026, 3, 2, 1, 41, 20, tzinfo=UTC)
    assert door.state == AlarmState.FIRING
    assert kinds_of_changes() == [
        ("交流输入停电告警", "raised"),
        ("交流输入停电告警", "resolved"),
        ("门磁开关状态告警", "raised"),
    ]
