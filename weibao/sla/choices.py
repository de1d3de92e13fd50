"""The vocabularies of clocks: the one enum of clock kinds, and their states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The one enum of clock kinds is the contracts' (it also keys the response tables, 表 11–13).
from weibao.contracts.policy import ClockKind

__all__ = ["OPEN_CLOCK_STATES", "ClockKind", "ClockState"]


class ClockState(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("已达成")
    BREACHED = "breached", _("已超时")
    # Resolved while the promise was still open (SLA-6): closed, never counted as met.
    UNMET = "unmet", _("解决前未达成")


OPEN_CLOCK_STATES = frozenset({ClockState.RUNNING, ClockState.PAUSED})
