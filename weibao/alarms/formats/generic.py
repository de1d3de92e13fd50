"""A generic JSON source, for 动环 platforms that follow no standard: where each field
is read from is the source's mapping (dotted paths into one alarm), set in the admin:

    {"items": "data.alarms",          # where the list of alarms is (absent: the body is one
                                      #   alarm, or a list of alarms)
     "key": "alarmId",                # required: the platform's own id of the alarm
     "time": "occurTime",             # when it started (RFC 3339, "2026-03-02 09:00:00", epoch)
     "end_time": "clearTime",
     "level": "alarmLevel",           # 1–4, L1–L4 or 一级…四级: a suggested ticket level
     "severity": "severity",          # critical/major/… or 紧急/重要/…
     "name": "alarmName", "description": "alarmDesc",
     "site": "stationCode", "device": "deviceSn",
     "recovery": "alarmStatus",       # the field saying it is over…
     "recovery_values": ["0", "恢复"]} # …when it has one of these values (default: true,
                                      #   "true", "1", "recovered", "resolved", "clear", "end")

The MQTT listener reads its messages with the same mapping."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from weibao.alarms.choices import Severity
from weibao.alarms.formats import Malformed
from weibao.alarms.formats.common import (
    SEVERITY_OF_LEVEL,
    dotted,
    level_of,
    load_json,
    need_object,
    parse_time,
    severity_of,
)
from weibao.alarms.normalised import Normalised

DEFAULT_RECOVERY_VALUES = ("true", "1", "recovered", "resolved", "clear", "cleared", "end", "ok")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        raise Malformed(_("映射的字段应为文本或数字。"))
    return str(value).strip()


def read_alarm(alarm: Any, mapping: dict, *, index: int, now: dt.datetime) -> Normalised:
    """One alarm (a JSON object) read through the mapping."""
    where = str(index)
    alarm = need_object(alarm, where)

    def field(name: str) -> Any:
        path = mapping.get(name)
        return dotted(alarm, path) if path else None

    key = _text(field("key"))
    if not key:
        raise Malformed(
            _("第 %(n)d 条告警缺少键（映射 key = %(path)s）。")
            % {"n": index + 1, "path": mapping["key"]},
            field=f"{where}.{mapping['key']}",
        )
    values = mapping.get("recovery_values") or DEFAULT_RECOVERY_VALUES
    recovery = field("recovery")
    resolved = recovery is not None and _text(recovery).lower() in {str(v).lower() for v in values}
    level = level_of(field("level"))
    severity = severity_of(field("severity"), SEVERITY_OF_LEVEL.get(level, Severity.WARNING))
    started = parse_time(field("time"), f"{where}.{mapping.get('time')}")
    ended = parse_time(field("end_time"), f"{where}.{mapping.get('end_time')}")
    labels = {
        name: _text(field(name))
        for name in ("site", "device", "name")
        if mapping.get(name) and field(name) is not None
    }
    return Normalised(
        key=f"generic:{key}",
        labels=labels,
        name=_text(field("name")),
        severity=severity,
        level=level,
        site_code=_text(field("site")),
        asset_ref=_text(field("device")),
        description=_text(field("description")),
        # A recovery message's one time is usually when it cleared.
        starts_at=(started if ended else None) if resolved else started,
        ends_at=(ended or started or now) if resolved else None,
        resolved=resolved,
        raw_index=index,
    )


def parse(body: bytes, *, source, now: dt.datetime) -> list[Normalised]:
    mapping = source.mapping or {}
    if not mapping.get("key"):
        raise Malformed(_("来源的字段映射未设置 key，无法识别告警。"), field="mapping.key")
    return parse_document(load_json(body), mapping, now=now)


def parse_document(document: Any, mapping: dict, *, now: dt.datetime) -> list[Normalised]:
    if mapping.get("items"):
        alarms = dotted(document, mapping["items"])
        if not isinstance(alarms, list):
            raise Malformed(
                _("映射 items = %(path)s 处没有告警数组。") % {"path": mapping["items"]},
                field=mapping["items"],
            )
    else:
        alarms = document if isinstance(document, list) else [document]
    return [read_alarm(alarm, mapping, index=i, now=now) for i, alarm in enumerate(alarms)]
