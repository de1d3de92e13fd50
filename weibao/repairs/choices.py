"""Choices of the repairs app: the statuses of a repair and its route legs. Why a repair is
out of scope and what it costs are billing's (its one cause list and statements, EXC-1..3)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RepairStatus(models.TextChoices):
    """RMA-2, RMA-5; the allowed moves are in `repairs.flow`."""

    RECEIVED = "received", _("已接收（当地备件中心）")
    AT_REPAIR_CENTER = "at_repair_center", _("维修中心修理中")
    RETURNING = "returning", _("返回客户途中")
    IN_TRIAL = "in_trial", _("客户试用中")
    CLOSED = "closed", _("试用合格，已结案")
    TRIAL_FAILED = "trial_failed", _("试用不合格，已重新登记")
    RETURNED_UNREPAIRED = "returned_unrepaired", _("无法修复，已退回")


# The shared stylesheet's badge colour of each status.
STATUS_BADGES = {
    RepairStatus.RECEIVED: "pending",
    RepairStatus.AT_REPAIR_CENTER: "pending",
    RepairStatus.RETURNING: "pending",
    RepairStatus.IN_TRIAL: "running",
    RepairStatus.CLOSED: "done",
    RepairStatus.TRIAL_FAILED: "breached",
    RepairStatus.RETURNED_UNREPAIRED: "done",
}

# While the part is not back with the customer, the turnaround clock runs (RMA-3).
OPEN_STATUSES = frozenset(
    {RepairStatus.RECEIVED, RepairStatus.AT_REPAIR_CENTER, RepairStatus.RETURNING}
)


class Outcome(models.TextChoices):
    REPAIRED = "repaired", _("已修复")
    UNREPAIRABLE = "unrepairable", _("无法修复")


class TrialResult(models.TextChoices):
    PASSED = "passed", _("试用合格")
    FAILED = "failed", _("试用不合格")


class Leg(models.TextChoices):
    """The route of RMA-2 (the customer may also send straight to the repair center)."""

    CUSTOMER_TO_OFFICE = "customer_to_office", _("客户 → 当地办事处/备件中心")
    CUSTOMER_TO_CENTER = "customer_to_center", _("客户 → 维修中心")
    OFFICE_TO_CENTER = "office_to_center", _("备件中心 → 维修中心")
    CENTER_TO_OFFICE = "center_to_office", _("维修中心 → 备件中心")
    OFFICE_TO_CUSTOMER = "office_to_customer", _("备件中心 → 客户")
    CENTER_TO_CUSTOMER = "center_to_customer", _("维修中心 → 客户")


INBOUND_LEGS = frozenset({Leg.CUSTOMER_TO_OFFICE, Leg.CUSTOMER_TO_CENTER})


class Payer(models.TextChoices):
    CUSTOMER = "customer", _("客户")
    PROVIDER = "provider", _("服务商")


class RepairEvent(models.TextChoices):
    """Event kinds a repair writes to the timeline (`core.audit.record_event`)."""

    REGISTERED = "repair.registered", _("登记返修")
    HOP = "repair.hop", _("物流")
    FEEDBACK = "repair.feedback", _("收货反馈")
    DUE_RECOMPUTED = "repair.due_recomputed", _("重算期限")
    OVERDUE = "repair.overdue", _("超期")
    PASS_TRIAL = "repair.pass_trial", _("视为试用合格")
