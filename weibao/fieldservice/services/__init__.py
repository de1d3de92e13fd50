"""Writes of field service. `visits`: the one dispatch, check-in/out, arrival on behalf;
`documents`: the visit's paperwork, refusal to sign, plan execution, L1 aftercare on signing;
`training`: training sessions."""

from weibao.fieldservice.services.documents import (
    complete_aftercare,
    create_visit_document,
    mark_plan_executed,
    record_signature_refused,
)
from weibao.fieldservice.services.training import record_training
from weibao.fieldservice.services.visits import (
    cancel_visit,
    check_in,
    check_out,
    depart,
    dispatch,
    dispatch_visit,
    record_arrival,
)

__all__ = [
    "cancel_visit",
    "check_in",
    "check_out",
    "complete_aftercare",
    "create_visit_document",
    "depart",
    "dispatch",
    "dispatch_visit",
    "mark_plan_executed",
    "record_arrival",
    "record_signature_refused",
    "record_training",
]
