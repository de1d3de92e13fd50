"""Alertmanager's two ways in.

The webhook (version 4) carries a whole group per POST — its firing and resolved alerts
together — re-sent every group interval and by each member of an HA pair, so every alert is an
upsert keyed by its label fingerprint. An alert missing from a group is never taken as
resolved: with `truncatedAlerts` > 0 some alerts were left out, and even without it only an
alert reported `resolved` is over.

`POST /api/v2/alerts` is what Prometheus, Grafana and vmalert send to an Alertmanager: a list
of alerts with labels, annotations and times. A missing `startsAt` is now; a missing `endsAt`
is now + the source's resolve timeout, and such an alert resolves by itself unless it is sent
again (as does one whose `endsAt` lies ahead); an `endsAt` at or before now is resolved.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.formats.common import (
    SITE_LABELS,
    asset_ref_of,
    first_label,
    level_of,
    load_json,
    need_list,
    need_object,
    parse_time,
    severity_of,
    string_map,
)
from weibao.alarms.normalised import Normalised

FIRING, RESOLVED = "firing", "resolved"


def _description(annotations: dict[str, str]) -> str:
    get = annotations.get
    return "\n".join(
        [part for part in (get("summary"), get("description"), get("message")) if part]
    )


def alert_from_labels(
    labels: dict[str, str],
    annotations: dict[str, str],
    *,
    index: int,
    starts_at: dt.datetime | None,
    ends_at: dt.datetime | None,
    resolved: bool,
    auto_resolve: bool = False,
    mapping: dict | None = None,
) -> Normalised:
    """One label-based alert (Alertmanager, Grafana): keyed by its fingerprint; site, asset,
    severity and level read from the labels the source's mapping names (defaults: `site`,
    `instance`…, `severity`, `level`)."""
    if mapping:
        site_labels = tuple(mapping.get("site_labels") or SITE_LABELS)
        asset_labels = mapping.get("asset_labels")
        severity_label = mapping.get("severity_label", "severity")
        level_label = mapping.get("level_label", "level")
    else:  # the usual case: the defaults
        site_labels, asset_labels, severity_label, level_label = (
            SITE_LABELS,
            None,
            "severity",
            "level",
        )
    return Normalised(
        labels=labels,
        name=labels.get("alertname", ""),
        severity=severity_of(labels.get(severity_label)),
        level=level_of(labels.get(level_label)),
        site_code=first_label(labels, site_labels),
        asset_ref=asset_ref_of(labels, tuple(asset_labels))
        if asset_labels
        else asset_ref_of(labels),
        description=_description(annotations),
        starts_at=starts_at,
        ends_at=ends_at,
        resolved=resolved,
        auto_resolve=auto_resolve,
        raw_index=index,
    )


def parse_webhook(body: bytes, *, source, now: dt.datetime) -> list[Normalised]:
    """The alerts of one webhook notification (version 4)."""
    document = need_object(load_json(body), "body")
    version = str(document.get("version", "4"))
    if version != "4":
        raise Malformed(
            _("不支持的 webhook 版本：%(v)s（应为 4）") % {"v": version[:10]}, field="version"
        )
    alerts = need_list(document.get("alerts"), "alerts")
    items = []
    for index, alert in enumerate(alerts):
        where = f"alerts.{index}"
        alert = need_object(alert, where)
        labels = string_map(alert.get("labels"), f"{where}.labels")
        if not labels:
            raise Malformed(_("告警缺少标签。"), field=f"{where}.labels")
        status = alert.get("status", document.get("status"))
        if status not in (FIRING, RESOLVED):
            raise Malformed(_("status 应为 firing 或 resolved。"), field=f"{where}.status")
        items.append(
            alert_from_labels(
                labels,
                string_map(alert.get("annotations"), f"{where}.annotations"),
                index=index,
                starts_at=parse_time(alert.get("startsAt"), f"{where}.startsAt"),
                ends_at=parse_time(alert.get("endsAt"), f"{where}.endsAt"),
                resolved=status == RESOLVED,
                mapping=source.mapping,
            )
        )
    return items


def parse_api_alerts(body: bytes, *, source, now: dt.datetime) -> list[Normalised]:
    """The alerts of one `POST /api/v2/alerts` (a JSON array of postable alerts)."""
    alerts = need_list(load_json(body), "body")
    items = []
    for index, alert in enumerate(alerts):
        where = str(index)
        alert = need_object(alert, where)
        labels = string_map(alert.get("labels"), f"{where}.labels")
        if not labels:
            raise Malformed(_("告警缺少标签。"), field=f"{where}.labels")
        starts_at = parse_time(alert.get("startsAt"), f"{where}.startsAt") or now
        ends_at = parse_time(alert.get("endsAt"), f"{where}.endsAt")
        if ends_at is not None and ends_at < starts_at:
            raise Malformed(_("endsAt 早于 startsAt。"), field=f"{where}.endsAt")
        resolved = ends_at is not None and ends_at <= now
        items.append(
            alert_from_labels(
                labels,
                string_map(alert.get("annotations"), f"{where}.annotations"),
                index=index,
                starts_at=starts_at,
                ends_at=ends_at or now + source.resolve_timeout,
                resolved=resolved,
                auto_resolve=not resolved,
                mapping=source.mapping,
            )
        )
    return items
