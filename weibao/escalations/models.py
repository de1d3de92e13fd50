"""The escalation ladder of a ticket (ESC-1) and the L1 emergency actions (ESC-2, ESC-3).

Each step and each action is a row with its own deadline; the runner fires a step exactly
once (`fired_at`) under a row lock, and a crash before commit leaves it to the next tick.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from weibao.contracts.policy import EscalationTarget
from weibao.core import bounds
from weibao.core.events import EventText, event_text
from weibao.escalations.choices import StepKind


class EscalationStep(models.Model):
    """One step of 表 16 planned for a ticket: reach `target` at `due_at` if unresolved.

    After the ladder's last step, `continued` steps repeat every `repeat_minutes` while the
    fault is open (ESC-4). When nobody of `target` could be reached, `redirected_to` names who
    was told instead (ESC-1)."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="escalation_steps"
    )
    level = models.CharField(_("级别"), max_length=2)
    after_minutes = models.PositiveIntegerField(_("报告后（分钟）"))
    target = models.CharField(_("通知对象"), max_length=30, choices=EscalationTarget.choices)
    due_at = models.DateTimeField(_("计划时间"))
    fired_at = models.DateTimeField(_("已通知"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("已取消"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("通知人数"), default=0)
    kind = models.CharField(
        _("类型"), max_length=10, choices=StepKind.choices, default=StepKind.LADDER
    )
    repeat_minutes = models.PositiveIntegerField(_("重复间隔（分钟）"), default=0)
    redirected_to = models.CharField(
        _("已转通知"),
        max_length=40,
        blank=True,
        help_text=_("原通知对象无人可通知时，改为通知的对象"),
    )

    class Meta:
        verbose_name = _("升级步骤")
        verbose_name_plural = _("升级步骤")
        ordering = ["due_at", "id"]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(fired_at__isnull=True, cancelled_at__isnull=True),
                name="escalation_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} +{self.after_minutes}min {self.get_target_display()}"

    @property
    def state(self) -> str:
        if self.fired_at:
            return "fired"
        if self.cancelled_at:
            return "cancelled"
        return "pending"


class ActionPhase(models.TextChoices):
    EMERGENCY = "emergency", _("应急行动")
    AFTERCARE = "aftercare", _("善后")


# The task added when a third party's warranty covers the fault (ESC-4), and its label.
THIRD_PARTY_TASK = "contact_third_party"
THIRD_PARTY_LABEL = gettext_noop("联系第三方保修")


def _built_in_labels() -> dict[str, str]:
    from weibao.sla.engine import EMERGENCY_ACTIONS

    labels = {spec.code: spec.label for spec in EMERGENCY_ACTIONS}
    labels[THIRD_PARTY_TASK] = THIRD_PARTY_LABEL
    return labels


class EmergencyAction(models.Model):
    """A task of the L1 emergency path with its owner role and deadline, or an aftercare task
    that must be done or waived before the ticket closes."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="emergency_actions"
    )
    code = models.CharField(_("代码"), max_length=40)
    label = models.CharField(_("行动"), max_length=200)
    phase = models.CharField(_("阶段"), max_length=10, choices=ActionPhase.choices)
    owner_role = models.CharField(_("负责角色"), max_length=40)
    order = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(_("期限"), null=True, blank=True)
    overdue_at = models.DateTimeField(_("超期通知"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("记录"), max_length=bounds.NOTE_MAX, blank=True)
    waived_reason = models.TextField(_("免除原因"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("应急行动")
        verbose_name_plural = _("应急行动")
        ordering = ["ticket", "order"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "code"], name="one_action_per_code"),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(done_at__isnull=True, overdue_at__isnull=True, waived_reason=""),
                name="action_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.label}"

    @property
    def label_text(self) -> EventText | str:
        """The label in the reader's language: a built-in action's label (stored as its
        Chinese text) is translated when read; a label written otherwise is shown as stored."""
        msgid = _built_in_labels().get(self.code)
        return event_text(msgid) if msgid is not None and self.label == msgid else self.label

    @property
    def settled(self) -> bool:
        return self.done_at is not None or bool(self.waived_reason)
