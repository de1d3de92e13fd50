"""Writes of the feedback app: `callbacks` (agent callback, portal survey) and `complaints`."""

from weibao.feedback.services.callbacks import answer_survey, record_agent_callback
from weibao.feedback.services.complaints import (
    confirm_complaint,
    decline_resolution,
    record_complaint,
    resolve_complaint,
    respond_to_complaint,
)

__all__ = [
    "answer_survey",
    "confirm_complaint",
    "decline_resolution",
    "record_agent_callback",
    "record_complaint",
    "resolve_complaint",
    "respond_to_complaint",
]
