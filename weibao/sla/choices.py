"""The vocabularies of clocks: the one enum of clock kinds, and their states."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ClockKind(models.TextChoices):
    """THE clock kinds (SLA-1..4). `contracts.policy` keeps budgets for the first three (表
    11–13); the arrival budget combines 表 13 and 表 14."""

    PHONE_RESPONSE = "phone_response", _("电话支持响应")
    REMOTE_RESPONSE = "remote_response", _("远程支持响应")
    ONSITE_RESPONSE = "onsite_response", _("现场服务响应")
    ONSITE_ARRIVAL = "onsite_arrival", _("到达现场")


class ClockState(models.TextChoices):
    RUNNING = "running", _("计时中")
    PAUSED = "paused", _("已暂停")
    MET = "met", _("已达成")
    BREACHED = "breached", _("已超时")
    # Resolved while the promise was still open (SLA-6): closed, never counted as met.
    UNMET = "unmet", _("解决前未达成")


OPEN_CLOCK_STATES = frozenset({ClockState.RUNNING, ClockState.PAUSED})
