"""Grafana's webhook contact point (unified alerting): an Alertmanager-like group whose
alerts carry labels, annotations, status and times. Keyed by the label fingerprint computed
like Alertmanager's, not by Grafana's own `fingerprint` field (a different hash), so one rule's
alert reaching Weibao through Grafana and through an Alertmanager stays one alarm."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.formats.alertmanager import FIRING, RESOLVED, alert_from_labels
from weibao.alarms.formats.common import load_json, need_list, need_object, parse_time, string_map
from weibao.alarms.normalised import Normalised


def parse(body: bytes, *, source, now: dt.datetime) -> list[Normalised]:
    document = need_object(load_json(body), "body")
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
        annotations = string_map(alert.get("annotations"), f"{where}.annotations")
        if not annotations.get("description") and alert.get("valueString"):
            annotations["description"] = str(alert["valueString"])
        items.append(
            alert_from_labels(
                labels,
                annotations,
                index=index,
                starts_at=parse_time(alert.get("startsAt"), f"{where}.startsAt"),
                ends_at=parse_time(alert.get("endsAt"), f"{where}.endsAt"),
                resolved=status == RESOLVED,
                mapping=source.mapping,
            )
        )
    return items
