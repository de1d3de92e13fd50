"""The demo's monitoring platform: a generic-JSON alarm source of the provincial monitoring
center (华东), and an alarm storm it sent a few minutes ago — the center reporting every one of
its front-end devices (at least 200 alarms) unreachable in one delivery, through the real
intake (`receive` → `accept`), then correlated once as the runner would: the storm becomes one
level-1 incident (FLT-2: all front-end devices unreachable) with one ticket (channel 告警). A
door alarm of an end office that came and went twice shows a resolved incident. Skipped when
the customer already has the source."""

from __future__ import annotations

import datetime as dt
import json

from weibao.alarms.models import AlarmSource
from weibao.alarms.services.receive import receive
from weibao.assets.models import Asset
from weibao.core import clock, due
from weibao.incidents.facts import subtree
from weibao.incidents.seed import FRONT_END
from weibao.incidents.services import correlate
from weibao.sites.models import Site

SLUG = "huadong-donghuan"
STORM = 200  # at least this many alarms, padded with devices not in the inventory
MAPPING = {
    "items": "alarms", "key": "alarmId", "time": "occurTime", "end_time": "clearTime",
    "name": "alarmName", "severity": "severity", "description": "alarmDesc",
    "site": "stationCode", "device": "deviceSn", "recovery": "status",
    "recovery_values": ["0", "恢复"],
}  # fmt: skip


def _post(source: AlarmSource, alarms: list[dict], *, at: dt.datetime) -> None:
    body = json.dumps({"alarms": alarms}, ensure_ascii=False).encode()
    receive(source, body, content_type="application/json", remote="10.20.0.8", now=at)


def _storm(source: AlarmSource, at: dt.datetime) -> None:
    center = Site.objects.filter(customer=source.customer, code="MC-01").first()
    below = subtree(center.pk) if center is not None else {}
    devices = list(
        Asset.objects.filter(site_id__in=below, category__code__in=FRONT_END)
        .order_by("site__code", "serial_number")
        .values_list("serial_number", "name")
    )  # every front-end device of the center: the FLT-2 level-1 case
    devices += [(f"FE-{i:04d}", f"前端设备 {i}") for i in range(len(devices) + 1, STORM + 1)]
    started = (at - dt.timedelta(minutes=3)).isoformat()
    _post(source, [
        {"alarmId": f"MC01-{serial}", "occurTime": started, "alarmName": "前端设备通信中断",
         "severity": "重要", "stationCode": "MC-01", "deviceSn": serial, "status": "1",
         "alarmDesc": f"{name} 与监控中心通信中断"}
        for serial, name in devices
    ], at=at)  # fmt: skip


def _door(source: AlarmSource, at: dt.datetime) -> None:
    door = {"alarmId": "EO01-DOOR", "alarmName": "门禁告警", "severity": "次要",
            "stationCode": "EO-01", "alarmDesc": "江宁端局机房门被打开"}  # fmt: skip
    for minutes, status in ((50, "1"), (45, "0"), (30, "1"), (25, "0")):
        moment = at - dt.timedelta(minutes=minutes)
        fields = {"occurTime": moment.isoformat(), "status": status}
        if status == "0":
            fields["clearTime"] = moment.isoformat()
        _post(source, [door | fields], at=moment)


def load_alarms(customer) -> None:
    """The source, a door alarm that came and went, the storm; correlated once."""
    if AlarmSource.objects.filter(slug=SLUG).exists():
        return
    source = AlarmSource.objects.create(
        name="省监控中心动环平台", slug=SLUG, kind="generic", customer=customer,
        token="demo-donghuan-token", mapping=MAPPING,
    )  # fmt: skip
    now = clock.now()
    _door(source, now)
    _storm(source, now)
    due.drain(correlate.correlate, now=now, batch=500)
