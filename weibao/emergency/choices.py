"""Choices of the emergency plans (EMP-1..3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Probability(models.TextChoices):
    """发生概率 as 表 17 grades it."""

    VERY_LOW = "very_low", _("很低")
    LOW = "low", _("低")
    MEDIUM = "medium", _("中")
    HIGH = "high", _("高")


class EventLevel(models.IntegerChoices):
    """故障级别 of 表 17 (1 is the most severe)."""

    L1 = 1, _("一级")
    L2 = 2, _("二级")
    L3 = 3, _("三级")


class Duty(models.TextChoices):
    """What a named person answers for in an emergency (§1.1.9.4: 负责人与各级责任人)."""

    LEAD = "lead", _("应急负责人")
    TECHNICAL = "technical", _("技术负责人")
    EXECUTOR = "executor", _("执行人")
    CUSTOMER = "customer", _("客户联络人")


class DrillOutcome(models.TextChoices):
    ACHIEVED = "achieved", _("达到预期")
    PARTIAL = "partial", _("部分达到")
    FAILED = "failed", _("未达到")


class EmergencyEvent(models.TextChoices):
    """Event kinds emergency plans write to the timeline (`core.audit.record_event`)."""

    DRILL = "emergency.drill", _("应急演练")
    FOLLOW_UPS = "emergency.follow_ups", _("演练改进事项已完成")
