"""Writes of the inspections app: `planning` makes and moves plans, `visits` runs them."""

from weibao.inspections.services.planning import (
    assign_engineer,
    cancel_visit,
    generate_plan,
    move_visit,
    replan_provisional,
    settings_for,
)
from weibao.inspections.services.visits import complete_visit, record_check, start_visit

__all__ = [
    "assign_engineer",
    "cancel_visit",
    "complete_visit",
    "generate_plan",
    "move_visit",
    "record_check",
    "replan_provisional",
    "settings_for",
    "start_visit",
]
