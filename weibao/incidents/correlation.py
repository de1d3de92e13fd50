"""The pure rules of correlation (ALM-2): which incident an alarm belongs to, whether a
recovered incident takes an alarm back, and what counts as flapping. No database here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from weibao.tickets.choices import Level

_SEVERITY = {Level.L1: 1, Level.L2: 2, Level.L3: 3, Level.L4: 4}
RULE_MAX = 200


def rule_of(name: str) -> str:
    """The rule an alarm belongs to: its name (alertname, alarm type), trimmed."""
    return " ".join((name or "").split())[:RULE_MAX]


def incident_key(customer_id: int, site_id: int | None, rule: str) -> str:
    """The grouping key: one customer, one site (or none), one rule (case-insensitive)."""
    return f"{customer_id}/{site_id or '-'}/{rule_of(rule).lower()}"


def takes_back(resolved_at: dt.datetime | None, at: dt.datetime, window: dt.timedelta) -> bool:
    """Whether an incident that recovered at `resolved_at` takes an alarm raised at `at`
    again (within the window), rather than a new incident opening."""
    return resolved_at is not None and at - resolved_at <= window


def is_flapping(raised: Iterable[dt.datetime], *, now: dt.datetime, count: int,
                window: dt.timedelta) -> bool:  # fmt: skip
    """An alarm raised `count` times or more within `window` before `now` is flapping."""
    return sum(1 for at in raised if now - window <= at <= now) >= count


def more_severe(level: str, than: str) -> bool:
    """L1 is more severe than L2 …; any level is more severe than none."""
    if not level:
        return False
    if not than:
        return True
    return _SEVERITY.get(level, 9) < _SEVERITY.get(than, 9)


def most_severe(levels: Iterable[str]) -> str:
    best = ""
    for level in levels:
        if level in _SEVERITY and more_severe(level, best):
            best = level
    return best
