"""The Chinese working-day calendar (SLA-5): which days are working days under the statutory
schedule published by the State Council each year (法定节假日 and 调休 make-up days).

A year is *known* only when it has a `CalendarYear` row; every day of a known year then has a
`CalendarDay` row. Business-time arithmetic (`weibao.calendars.workdays`) refuses dates in
unknown years instead of guessing.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from weibao.core import bounds, clock
from weibao.core.models import AuditedModel

from .choices import CalendarSource

WEEKDAY_NAMES = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
#: One-character heads of a small month table (Monday first).
WEEKDAY_INITIALS = (
    pgettext_lazy("weekday initial", "一"),
    pgettext_lazy("weekday initial", "二"),
    pgettext_lazy("weekday initial", "三"),
    pgettext_lazy("weekday initial", "四"),
    pgettext_lazy("weekday initial", "五"),
    pgettext_lazy("weekday initial", "六"),
    pgettext_lazy("weekday initial", "日"),
)


class CalendarYear(AuditedModel):
    """One year whose working-day schedule is loaded, and where the schedule came from."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.SEED
    )
    official = models.BooleanField(
        _("官方安排"), default=False, help_text=_("国务院办公厅发布的放假安排已录入")
    )
    imported_at = models.DateTimeField(_("导入时间"), default=clock.now)
    note = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class CalendarDay(AuditedModel):
    """One day of a known year: working day or not, and the holiday or 调休 it belongs to."""

    date = models.DateField(_("日期"), unique=True, db_index=True)
    is_working_day = models.BooleanField(_("工作日"))
    name = models.CharField(
        _("名称"), max_length=40, blank=True, help_text=_("节日名称，或“调休上班”；普通日期为空")
    )
    source = models.CharField(
        _("来源"), max_length=10, choices=CalendarSource.choices, default=CalendarSource.SEED
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("日历日期")
        verbose_name_plural = _("日历日期")
        ordering = ["date"]

    def __str__(self) -> str:
        status = _("班") if self.is_working_day else _("休")
        label = f" {self.name}" if self.name else ""
        return f"{self.date:%Y-%m-%d} {WEEKDAY_NAMES[self.date.weekday()]}{label}（{status}）"

    @property
    def is_makeup_day(self) -> bool:
        """A weekend day that is a working day (调休上班)."""
        return self.is_working_day and self.date.weekday() >= 5

    @property
    def is_holiday(self) -> bool:
        """A named day off (法定节假日 or part of its 调休 block)."""
        return not self.is_working_day and bool(self.name)


class ScheduleDraft(AuditedModel):
    """The text of a year's notice kept for an administrator to preview and import (pasted
    when published, or left by the demo); removed once the year is imported."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    text = models.TextField(_("通知原文或放假安排"), max_length=bounds.NOTE_MAX)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("待导入的放假安排")
        verbose_name_plural = _("待导入的放假安排")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}"


class ScheduleReminder(models.Model):
    """The one notification sent to administrators that next year's schedule is missing."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    notified_at = models.DateTimeField(_("通知时间"), default=clock.now)

    class Meta:
        verbose_name = _("放假安排提醒")
        verbose_name_plural = _("放假安排提醒")

    def __str__(self) -> str:
        return f"{self.year}"
