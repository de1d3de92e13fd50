"""Writes of field service. `visits`: dispatch, check-in/out; `documents`: the visit's
paperwork, plan execution, L1 aftercare on signing; `training`: training sessions."""

from weibao.fieldservice.services.documents import (
    complete_aftercare,
    create_visit_document,
    mark_plan_executed,
)
from weibao.fieldservice.services.training import record_training
from weibao.fieldservice.services.visits import (
    cancel_visit,
    check_in,
    check_out,
    depart,
    dispatch_visit,
)

__all__ = [
    "cancel_visit",
    "check_in",
    "check_out",
    "complete_aftercare",
    "create_visit_document",
    "depart",
    "dispatch_visit",
    "mark_plan_executed",
    "record_training",
]
