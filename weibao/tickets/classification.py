"""FLT-2: the classification criteria suggest a level; the agent decides."""

from __future__ import annotations

from collections.abc import Iterable

from weibao.tickets.choices import Level

_ORDER = {Level.L1: 1, Level.L2: 2, Level.L3: 3, Level.L4: 4}


def suggest_level(criteria: Iterable) -> str | None:
    """The most severe level among the ticked criteria (L1 beats L2 …), or None."""
    levels = [c.level for c in criteria]
    return min(levels, key=lambda level: _ORDER[level]) if levels else None
