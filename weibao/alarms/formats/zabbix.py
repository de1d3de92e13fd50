"""Zabbix's webhook media type: the media type's script posts its parameters as JSON. The
problem event id (`event_id`, {EVENT.ID}; a recovery message names the problem's id) is the
key; `event_value` 1 is a problem and 0 its recovery; `event_nseverity` 0–5 gives severity
and a suggested level; `event_tags` ({EVENT.TAGSJSON} or "tag:value, …") become labels with
the host. Suggested parameters: event_id, event_value, event_nseverity, event_name,
alert_message, host_name, host_ip, event_date/event_time, event_recovery_date/time,
event_tags."""

from __future__ import annotations

import datetime as dt
import json

from django.utils.translation import gettext as _

from weibao.alarms.choices import Severity
from weibao.alarms.formats import Malformed
from weibao.alarms.formats.common import first_label, load_json, need_object, parse_time
from weibao.alarms.normalised import Normalised

# {EVENT.NSEVERITY}: not classified, information, warning, average, high, disaster.
SEVERITY_OF_NSEVERITY = {
    0: Severity.INFO,
    1: Severity.INFO,
    2: Severity.WARNING,
    3: Severity.MINOR,
    4: Severity.MAJOR,
    5: Severity.CRITICAL,
}
LEVEL_OF_NSEVERITY = {5: "L1", 4: "L2", 3: "L3"}


def _tags(value) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = json.loads(text)
            except ValueError as error:
                raise Malformed(_("event_tags 不是有效的 JSON。"), field="event_tags") from error
        else:
            pairs = [part.strip() for part in text.split(",") if part.strip()]
            return {p.split(":", 1)[0]: (p.split(":", 1)[1] if ":" in p else "") for p in pairs}
    if isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if not isinstance(value, list):
        raise Malformed(_("event_tags 应为标签数组。"), field="event_tags")
    tags = {}
    for tag in value:
        if not isinstance(tag, dict) or "tag" not in tag:
            raise Malformed(_("event_tags 的每一项应有 tag 和 value。"), field="event_tags")
        tags[str(tag["tag"])] = str(tag.get("value", ""))
    return tags


def _when(document: dict, date_key: str, time_key: str) -> dt.datetime | None:
    date, time = document.get(date_key), document.get(time_key)
    if date and time:
        return parse_time(f"{date} {time}", date_key)
    return None


def parse(body: bytes, *, source, now: dt.datetime) -> list[Normalised]:
    document = need_object(load_json(body), "body")
    event_id = str(document.get("event_id") or "").strip()
    if not event_id or event_id.startswith("{"):
        raise Malformed(_("缺少 event_id（{EVENT.ID}）。"), field="event_id")
    value = str(document.get("event_value", "")).strip()
    if value not in ("0", "1"):
        raise Malformed(_("event_value 应为 1（问题）或 0（恢复）。"), field="event_value")
    try:
        nseverity = int(document.get("event_nseverity", 0) or 0)
    except (TypeError, ValueError) as error:
        raise Malformed(_("event_nseverity 应为 0–5。"), field="event_nseverity") from error
    if nseverity not in SEVERITY_OF_NSEVERITY:
        raise Malformed(_("event_nseverity 应为 0–5。"), field="event_nseverity")
    labels = _tags(document.get("event_tags"))
    host = str(document.get("host_name") or document.get("host") or "")
    if host:
        labels.setdefault("host", host)
    if document.get("host_ip"):
        labels.setdefault("host_ip", str(document["host_ip"]))
    mapping = source.mapping or {}
    site_tags = tuple(mapping.get("site_labels") or ("site", "site_code", "station"))
    resolved = value == "0"
    starts_at = _when(document, "event_date", "event_time")
    ends_at = _when(document, "event_recovery_date", "event_recovery_time") if resolved else None
    name = str(document.get("event_name") or document.get("alert_subject") or "")
    return [
        Normalised(
            key=f"zabbix:{event_id}",
            labels=labels,
            name=name,
            severity=SEVERITY_OF_NSEVERITY[nseverity],
            level=LEVEL_OF_NSEVERITY.get(nseverity, ""),
            site_code=first_label(labels, site_tags),
            asset_ref=labels.get("asset") or labels.get("device") or host,
            description=str(document.get("alert_message") or ""),
            starts_at=None if resolved else starts_at,
            ends_at=ends_at or (now if resolved else None),
            resolved=resolved,
        )
    ]
