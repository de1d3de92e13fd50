"""Choices of correlation, incidents and classification (ALM-2, ALM-3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentState(models.TextChoices):
    OPEN = "open", _("进行中")
    RESOLVED = "resolved", _("已恢复")


class Suppression(models.TextChoices):
    """Why an incident opened no ticket (its alarms are kept all the same)."""

    NONE = "", _("无")
    MAINTENANCE = "maintenance", _("维护窗口内")
    INHIBITED = "inhibited", _("被上级事件抑制")


class WindowOrigin(models.TextChoices):
    """Where a maintenance window comes from: set by hand, or derived at correlation time
    from a planned inspection visit or an approved major operation (ONS-3)."""

    MANUAL = "manual", _("手工设置")
    INSPECTION = "inspection", _("巡检")
    OPERATION = "operation", _("重大操作")


class Condition(models.TextChoices):
    """What a classification rule looks at (FLT-2 as data)."""

    ALL_FRONT_END_DOWN = "all_front_end_down", _("全部前端设备不通")
    END_OFFICES_CUT_OFF = "end_offices_cut_off", _("部分端局与监控中心不通")
    DEVICE_CATEGORY = "device_category", _("单台设备故障（按设备类别）")
    ALARM_LEVEL = "alarm_level", _("按告警自带级别（B 接口/Zabbix）")
    ANY = "any", _("任何告警")


class IncidentEvent(models.TextChoices):
    """Event kinds incidents write on their own timeline and on their ticket's."""

    OPENED = "incident.opened", _("告警事件产生")
    REOPENED = "incident.reopened", _("告警事件再次产生")
    FLAPPING = "incident.flapping", _("告警振荡")
    SUPPRESSED = "incident.suppressed", _("告警事件被抑制")
    RELEASED = "incident.released", _("告警事件解除抑制")
    TICKET = "incident.ticket", _("告警事件开单")
    LEVEL = "incident.level", _("告警事件扩大")
    RECOVERED = "incident.recovered", _("告警事件恢复")
    LINKED = "incident.linked", _("告警事件关联工单")
    SPLIT = "incident.split", _("告警事件拆分工单")
    AUTO_RESOLVED = "incident.auto_resolved", _("告警恢复自动解决工单")
