"""Writes for tickets. `intake` opens tickets; `flow` moves them and keeps their clocks."""

from weibao.tickets.services.flow import (
    arrive,
    change_level,
    dispatch,
    move,
    pause,
    record_callback,
    record_consent,
    remote_connected,
    respond,
    resume,
)
from weibao.tickets.services.intake import open_ticket

__all__ = [
    "arrive",
    "change_level",
    "dispatch",
    "move",
    "open_ticket",
    "pause",
    "record_callback",
    "record_consent",
    "remote_connected",
    "respond",
    "resume",
]
