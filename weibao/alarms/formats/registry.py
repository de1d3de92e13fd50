"""The parser of each source kind that arrives over HTTP."""

from __future__ import annotations

from weibao.alarms.choices import SourceKind
from weibao.alarms.formats import alertmanager, b_interface, generic, grafana, zabbix

PARSERS = {
    SourceKind.ALERTMANAGER: alertmanager.parse_webhook,
    SourceKind.AM_API: alertmanager.parse_api_alerts,
    SourceKind.GRAFANA: grafana.parse,
    SourceKind.ZABBIX: zabbix.parse,
    SourceKind.GENERIC: generic.parse,
    SourceKind.B_INTERFACE: b_interface.parse,
}
