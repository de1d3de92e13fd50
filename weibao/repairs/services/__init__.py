"""Writes of the repairs app: registration (`registration`) and everything after it
(`lifecycle`). Import the functions from here."""

from weibao.repairs.services.lifecycle import (
    clear_billable,
    fail_trial,
    mark_billable,
    move,
    pass_trial,
    record_feedback,
    record_hop,
    record_return,
)
from weibao.repairs.services.registration import (
    NotRepairable,
    due_date_for,
    register_repair,
)

__all__ = [
    "NotRepairable",
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
]
