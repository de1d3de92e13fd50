"""Clocks (SLA-1..6): one row per promise on a ticket, with its deadline and outcome."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.sla.choices import ClockKind, ClockState

__all__ = ["Clock", "ClockKind", "ClockState"]


class Clock(models.Model):
    """A deadline on a ticket. `due_at` is None while paused; `breached_at` is written by the
    runner when the deadline passes, not when someone looks; `met_at` when the promise is kept
    (a breached clock that is met later keeps its breach). A ticket resolved while a clock
    still runs closes it as `unmet` (`closed_at`): resolving is no evidence the promise was kept."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="clocks")
    kind = models.CharField(_("时钟"), max_length=20, choices=ClockKind.choices)
    budget_minutes = models.PositiveIntegerField(_("时限（分钟）"))
    started_at = models.DateTimeField(_("开始"))
    due_at = models.DateTimeField(_("截止"), null=True, blank=True)
    met_at = models.DateTimeField(_("达成"), null=True, blank=True)
    breached_at = models.DateTimeField(_("超时"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("未达成关闭"),
        null=True,
        blank=True,
        help_text=_("工单在承诺兑现前已解决：时钟关闭，不计为达成"),
    )
    paused_at = models.DateTimeField(_("暂停于"), null=True, blank=True)
    paused_seconds = models.PositiveIntegerField(_("累计暂停（秒）"), default=0)
    state = models.CharField(
        _("状态"), max_length=10, choices=ClockState.choices, default=ClockState.RUNNING
    )

    class Meta:
        verbose_name = _("服务时钟")
        verbose_name_plural = _("服务时钟")
        ordering = ["started_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "kind"], name="one_clock_per_kind"),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=Q(state="running"), name="clock_running_due"),
        ]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_kind_display()}"

    @property
    def paused(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.paused_seconds)

    @property
    def is_running(self) -> bool:
        return self.state == ClockState.RUNNING

    def remaining(self, now: dt.datetime) -> dt.timedelta | None:
        if not self.is_running or self.due_at is None:
            return None
        return self.due_at - now
