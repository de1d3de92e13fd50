"""Reading the pieces every format shares: JSON bodies, times, severities and levels, label
values that name a site or an asset, and dotted paths into a JSON document."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.alarms.choices import Severity
from weibao.alarms.formats import Malformed

# Go's zero time: Alertmanager's endsAt of an alert that has not ended.
_GO_ZERO_YEAR = 1
_UTC_LENGTHS = (20, 22, 23, 24, 25, 26, 27)  # …T00:00:00Z to …T00:00:00.000000Z
_HOST_PORT = re.compile(r"[^:\[\]]+:\d+")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_NAIVE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y.%m.%d %H:%M:%S", "%Y/%m/%d %H:%M:%S", "%Y%m%d%H%M%S")

SITE_LABELS = ("site", "site_code", "station")
ASSET_LABELS = ("asset", "device", "serial_number", "serial", "instance", "host")

_SEVERITY_WORDS = {
    Severity.CRITICAL: ("critical", "crit", "disaster", "fatal", "emergency", "紧急", "严重", "p1"),
    Severity.MAJOR: ("major", "high", "error", "重要", "主要", "p2"),
    Severity.MINOR: ("minor", "average", "次要", "p3"),
    Severity.WARNING: ("warning", "warn", "一般", "警告", "p4"),
    Severity.INFO: (
        "info",
        "information",
        "informational",
        "notice",
        "not classified",
        "none",
        "ok",
        "提示",
    ),
}
SEVERITY_OF_WORD = {word: sev for sev, words in _SEVERITY_WORDS.items() for word in words}
_LEVEL_WORDS = {"一级": "L1", "二级": "L2", "三级": "L3", "四级": "L4"}
# B interface AlarmLevel 1–4 (1 the most severe) → severity.
SEVERITY_OF_LEVEL = {
    "L1": Severity.CRITICAL,
    "L2": Severity.MAJOR,
    "L3": Severity.MINOR,
    "L4": Severity.WARNING,
}


def load_json(body: bytes) -> Any:
    try:
        return json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise Malformed(_("请求体不是 UTF-8 文本。")) from error
    except ValueError as error:
        raise Malformed(_("请求体不是有效的 JSON：%(error)s") % {"error": error}) from error


def need_object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise Malformed(_("%(where)s 应为 JSON 对象。") % {"where": where}, field=where)
    return value


def need_list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise Malformed(_("%(where)s 应为 JSON 数组。") % {"where": where}, field=where)
    return value


def string_map(value: Any, where: str) -> dict[str, str]:
    """A label set: names to string values (numbers and booleans read as their text)."""
    if value is None:
        return {}
    value = need_object(value, where)
    out = {}
    for name, item in value.items():
        if item.__class__ is str:  # the usual case, first
            out[str(name)] = item
            continue
        if isinstance(item, (dict, list)):
            raise Malformed(
                _("%(where)s 的值应为文本。") % {"where": where}, field=f"{where}.{name}"
            )
        out[str(name)] = "" if item is None else _text(item)
    return out


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def parse_time(value: Any, where: str) -> dt.datetime | None:
    """RFC 3339 (nanoseconds allowed), a naive local time in the formats Chinese platforms use
    (read in Weibao's time zone), or epoch seconds/milliseconds. Empty and Go's zero time are
    None."""
    if value is None or value == "":
        return None
    if value.__class__ is str and value[-1:] == "Z" and len(value) in _UTC_LENGTHS:
        try:  # the usual RFC 3339 UTC time, at most microseconds: read directly
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
        if parsed is not None and parsed.year != _GO_ZERO_YEAR:
            return parsed
    if isinstance(value, bool):
        raise Malformed(_("%(where)s 不是有效的时间。") % {"where": where}, field=where)
    if isinstance(value, (int, float)) or (
        isinstance(value, str) and value.isdigit() and len(value) in (10, 13)
    ):
        seconds = float(value)
        if seconds > 1e12:
            seconds /= 1000
        try:
            return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
        except (OverflowError, OSError, ValueError) as error:
            raise Malformed(
                _("%(where)s 不是有效的时间。") % {"where": where}, field=where
            ) from error
    text = str(value).strip()
    try:
        parsed = dt.datetime.fromisoformat(_FRACTION.sub(r"\1", text.replace("z", "Z")))
    except ValueError:
        parsed = None
        for pattern in _NAIVE_FORMATS:
            try:
                parsed = dt.datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if parsed is None:
            raise Malformed(
                _("%(where)s 不是有效的时间：%(value)s") % {"where": where, "value": text[:60]},
                field=where,
            ) from None
    if parsed.year == _GO_ZERO_YEAR:
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, timezone.get_default_timezone())
    return parsed


def severity_of(value: Any, default: str = Severity.WARNING) -> str:
    if value is None or value == "":
        return default
    found = SEVERITY_OF_WORD.get(value) if value.__class__ is str else None
    return found or SEVERITY_OF_WORD.get(str(value).strip().lower(), default)


def level_of(value: Any) -> str:
    """A ticket level from "L2", "2", 2 or "二级"; "" when it names none."""
    if value in (None, "") or isinstance(value, bool):
        return ""
    text = str(value).strip().upper()
    if text in _LEVEL_WORDS:
        return _LEVEL_WORDS[text]
    text = text.removeprefix("L")
    return f"L{text}" if text in ("1", "2", "3", "4") else ""


def first_label(labels: Mapping[str, str], names: tuple[str, ...]) -> str:
    for name in names:
        if labels.get(name):
            return labels[name]
    return ""


def asset_ref_of(labels: Mapping[str, str], names: tuple[str, ...] = ASSET_LABELS) -> str:
    """The asset a label set names; an `instance` of host:port names the host."""
    for name in names:
        value = labels.get(name)
        if value:
            if name == "instance" and _HOST_PORT.fullmatch(value):
                value = value.rsplit(":", 1)[0]
            return value
    return ""


def dotted(document: Any, path: str) -> Any:
    """The value at a dotted path ("alarm.device.id", "items.0.key"); None when absent."""
    value = document
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
        if value is None:
            return None
    return value
