"""Vocabularies of the escalations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EscalationEvent(models.TextChoices):
    """Kinds of the events the ladder, the emergency actions and the runner write on a
    ticket's timeline."""

    ESCALATION = "ticket.escalation", _("升级通知")
    CONTINUED = "ticket.escalation_continued", _("持续升级")
    REDIRECTED = "ticket.escalation_redirected", _("无人可通知，已转上级")
    BREACH = "ticket.breach", _("时限超时")
    ACTION = "ticket.action", _("应急行动")
    STOOD_DOWN = "ticket.action_stood_down", _("降级免除")


class StepKind(models.TextChoices):
    """A step of 表 16, or a repeat after the last one while the fault is open (ESC-4)."""

    LADDER = "ladder", _("升级步骤")
    CONTINUED = "continued", _("持续升级")
