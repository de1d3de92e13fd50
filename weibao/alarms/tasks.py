"""Due sources of the alarm intake, registered in `AlarmsConfig.ready()`."""

from __future__ import annotations

from weibao.alarms.services.expiry import resolve_expired
from weibao.alarms.services.pending import apply_pending
from weibao.alarms.services.retention import purge_raw
from weibao.core.due import BY_THE_DAY, BY_THE_MINUTE

# Pending deliveries first: an alarm they re-send must not auto-resolve meanwhile.
SOURCES = {
    "alarms.apply": apply_pending,
    "alarms.auto_resolve": resolve_expired,
    "alarms.purge_raw": purge_raw,
}
# How often a looping runner looks (`core.due.register`): stored deliveries at every run.
PACE = {"alarms.auto_resolve": BY_THE_MINUTE, "alarms.purge_raw": BY_THE_DAY}
