"""Due sources of the alarm intake, registered in `AlarmsConfig.ready()`."""

from __future__ import annotations

from weibao.alarms.services.expiry import resolve_expired

SOURCES = {"alarms.auto_resolve": resolve_expired}
