"""Choices of the inspections app (INS-1..3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitKind(models.TextChoices):
    """Why a visit is planned: which rule of INS-1 produced it."""

    CORE = "core", _("核心机房季度巡检")
    END_OFFICE = "end_office", _("端局机房半年巡检")
    FRONT_END = "front_end", _("前端设备季度巡检")
    PRE_HOLIDAY = "pre_holiday", _("节前监控中心巡检")


class VisitState(models.TextChoices):
    """States of a visit; the allowed moves are in `weibao.inspections.flow`."""

    PLANNED = "planned", _("已计划")
    IN_PROGRESS = "in_progress", _("巡检中")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class Holiday(models.TextChoices):
    """The statutory holidays before which the monitoring center is inspected (§1.3.1.2-3)."""

    NEW_YEAR = "new_year", _("元旦")
    SPRING_FESTIVAL = "spring_festival", _("春节")
    MAY_DAY = "may_day", _("五一劳动节")
    MID_AUTUMN = "mid_autumn", _("中秋节")
    NATIONAL_DAY = "national_day", _("国庆节")


class CheckSection(models.TextChoices):
    """The two parts of every inspection (§1.3.1.2)."""

    SYSTEM = "system", _("系统检查")
    GENERAL = "general", _("常规检查")


class CheckOutcome(models.TextChoices):
    PENDING = "pending", _("未检查")
    PASS = "pass", _("正常")
    FAIL = "fail", _("异常")
    NOT_APPLICABLE = "na", _("不适用")


class InspectionEvent(models.TextChoices):
    """Event kinds inspections write to the timeline (`core.audit.record_event`)."""

    PLANNED = "inspection.planned", _("生成巡检计划")
    CONFIRMED = "inspection.confirmed", _("确定巡检日期")
    MOVED = "inspection.moved", _("巡检改期")
    ASSIGNED = "inspection.assigned", _("指派巡检工程师")
    CANCELLED = "inspection.cancelled", _("取消巡检")
    NOTIFIED = "inspection.notified", _("通知客户巡检安排")
    ARRIVED = "inspection.arrived", _("到场开始巡检")
    FINDING = "inspection.finding", _("巡检发现异常")
    COMPLETED = "inspection.completed", _("巡检完成")
    REPORT_SIGNED = "inspection.report_signed", _("巡检报告已签字")
    # Written on the ticket's timeline, beside the ticket's own events.
    TICKET_FROM_INSPECTION = "ticket.from_inspection", _("由巡检发现")
