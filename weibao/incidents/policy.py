"""Correlation settings: the defaults (overridable in Django settings) and a customer's own
`CorrelationPolicy` row when an administrator set one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings

DEFAULTS = {
    # an alarm of the same key within this long after the incident recovered joins it again
    "window_minutes": 30,
    # an alarm raised this many times within `flap_minutes` is flapping
    "flap_count": 5,
    "flap_minutes": 30,
    # an approved major operation silences its site until the visit checks out, at most this
    "operation_hours": 4,
}


@dataclass(frozen=True)
class CorrelationSettings:
    """How incidents group, as frozen data (pure functions take it)."""

    window: dt.timedelta
    flap_count: int
    flap_window: dt.timedelta
    operation_window: dt.timedelta


def defaults() -> dict[str, int]:
    """The built-in defaults, each overridable by `WEIBAO_INCIDENT_<NAME>` in settings."""
    return {
        name: int(getattr(settings, f"WEIBAO_INCIDENT_{name.upper()}", value))
        for name, value in DEFAULTS.items()
    }


def settings_for(customer_id: int | None) -> CorrelationSettings:
    """The settings that apply to a customer's alarms."""
    from weibao.incidents.models import CorrelationPolicy

    values = defaults()
    row = CorrelationPolicy.objects.filter(customer_id=customer_id).first()
    if row is not None:
        values.update({name: getattr(row, name) for name in DEFAULTS})
    return CorrelationSettings(
        window=dt.timedelta(minutes=values["window_minutes"]),
        flap_count=values["flap_count"],
        flap_window=dt.timedelta(minutes=values["flap_minutes"]),
        operation_window=dt.timedelta(hours=values["operation_hours"]),
    )
