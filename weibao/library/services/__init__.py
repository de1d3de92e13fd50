"""Writes of the library app."""

from weibao.library.services.consulting import assign_owner, move_consulting, submit_consulting
from weibao.library.services.coverage import (
    change_reminder_days,
    register_coverage,
    renew_coverage,
    send_coverage_reminders,
)
from weibao.library.services.documents import add_document, set_access
from weibao.library.services.versions import apply_software_change

__all__ = [
    "add_document",
    "apply_software_change",
    "assign_owner",
    "change_reminder_days",
    "move_consulting",
    "register_coverage",
    "renew_coverage",
    "send_coverage_reminders",
    "set_access",
    "submit_consulting",
]
