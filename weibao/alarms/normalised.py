"""What every format parser produces and `accept()` consumes: one alarm as read from a
delivery, independent of the format it came in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from weibao.alarms.choices import Severity


@dataclass(frozen=True)
class Normalised:
    """One alarm of a delivery. `key` is the source's own key (Zabbix event id, B interface
    FsuId/SerialNo, the generic mapping's key); empty means "the fingerprint of `labels`".
    `resolved` says the sender reports it over; `auto_resolve` that `ends_at` was presumed
    (an Alertmanager API alert resolves at `ends_at` unless it is sent again)."""

    key: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    name: str = ""
    severity: str = Severity.WARNING
    level: str = ""
    site_code: str = ""
    asset_ref: str = ""
    description: str = ""
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    resolved: bool = False
    auto_resolve: bool = False
    raw_index: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
