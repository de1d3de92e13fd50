"""Writes for tickets. `intake` opens tickets; `flow` moves them; `level` changes and
corrects levels; `work` records consent, clock acts, pauses and callbacks."""

from weibao.tickets.services.flow import move, resolve
from weibao.tickets.services.intake import open_ticket, open_tickets
from weibao.tickets.services.level import change_level, reclassify
from weibao.tickets.services.work import (
    pause,
    record_callback,
    record_consent,
    remote_connected,
    respond,
    resume,
)

__all__ = [
    "change_level",
    "move",
    "open_ticket",
    "open_tickets",
    "pause",
    "reclassify",
    "record_callback",
    "record_consent",
    "remote_connected",
    "resolve",
    "respond",
    "resume",
]
