from django.db import models
from django.utils.translation import gettext_lazy as _


class VisitState(models.TextChoices):
    """An on-site visit: planned by dispatch, on the way, on site (checked in), done."""

    PLANNED = "planned", _("已派工")
    EN_ROUTE = "en_route", _("在途")
    ON_SITE = "on_site", _("在现场")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


OPEN_VISIT_STATES = frozenset({VisitState.PLANNED, VisitState.EN_ROUTE, VisitState.ON_SITE})


class TrainingMethod(models.TextChoices):
    """How a training session is given (TRN-1)."""

    DAILY_UPKEEP = "daily_upkeep", _("日常维护讲解")
    HANDS_ON = "hands_on", _("上机操作")
    LECTURE = "lecture", _("集中授课")
    OTHER = "other", _("其他")


class PlanExecutor(models.TextChoices):
    """Who carries out an approved technical plan (ONS-3)."""

    CUSTOMER_STAFF = "customer_staff", _("客户维护人员执行")
    ENGINEER_WITH_PERMISSION = "engineer_with_permission", _("经客户许可由工程师执行")


class MajorOperation(models.TextChoices):
    """Operations that need the approval of the customer's maintenance department (ONS-3)."""

    NONE = "none", _("无")
    REINSTALL = "reinstall", _("系统重装")
    RESTART = "restart", _("系统重启")
    OTHER = "other", _("其他重大操作")


class VisitEvent(models.TextChoices):
    """Event kinds field service writes to the timeline (`core.audit.record_event`)."""

    DISPATCHED = "visit.dispatched", _("派工")
    DEPARTED = "visit.departed", _("出发")
    CHECKED_IN = "visit.checked_in", _("到场签到")
    ARRIVAL_ON_BEHALF = "visit.arrival_on_behalf", _("代为记录到场")
    CHECKED_OUT = "visit.checked_out", _("离场签退")
    CANCELLED = "visit.cancelled", _("取消现场服务")
    SIGNATURE_REFUSED = "visit.signature_refused", _("客户拒签")
    PLAN_EXECUTED = "plan.executed", _("技术方案已实施")
    # Written on the ticket's timeline, beside the ticket's own events.
    TICKET_CLOCK = "ticket.clock", _("时限")
