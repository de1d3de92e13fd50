"""Writes of the repairs app: registration (`registration`) and everything after it
(`lifecycle`). Import the functions from here."""

from weibao.repairs.services.lifecycle import (
    add_cost_line,
    clear_billable,
    fail_trial,
    mark_billable,
    move,
    pass_trial,
    record_feedback,
    record_hop,
    record_return,
    remove_cost_line,
)
from weibao.repairs.services.registration import (
    NotRepairable,
    due_date_for,
    register_repair,
)

__all__ = [
    "NotRepairable",
    "add_cost_line",
    "clear_billable",
    "due_date_for",
    "fail_trial",
    "mark_billable",
    "move",
    "pass_trial",
    "record_feedback",
    "record_hop",
    "record_return",
    "register_repair",
    "remove_cost_line",
]
