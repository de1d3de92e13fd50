"""Choices of the repairs app: the statuses of a repair, its route legs, exclusion causes
(EXC-1) and cost kinds."""

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


class ExclusionCause(models.TextChoices):
    """EXC-1 (§1.2.1.2-6): causes that put a repair out of scope and make it billable."""

    ACCIDENT = "accident", _("事故或灾难（火灾、洪水、风灾、闪电、战争、停电等）")
    MISUSE = "misuse", _("疏忽、误用、误操作或恶意使用")
    MOVED_BY_UNQUALIFIED = "moved_by_unqualified", _("被用户雇佣的不合格人员移动或改变位置")
    UNAUTHORISED_WORK = "unauthorised_work", _("未经授权对系统作业、修改或变更")
    IMPROPER_USE = "improper_use", _("使用不当、不适宜的环境或维护不当")
    INFERIOR_MATERIAL = "inferior_material", _("与低劣或有故障的第三方材料合用")
    FOREIGN_EQUIPMENT = "foreign_equipment", _("不属于服务商负责的设备引起的故障")
    THIRD_PARTY_ADDONS = "third_party_addons", _("第三方功能、附件或软件加入或移出系统")
    FORCE_MAJEURE = "force_majeure", _("不能预见、不能避免、不能克服的因素")
    OTHER = "other", _("其他非服务商原因")


class CostKind(models.TextChoices):
    LABOUR = "labour", _("维修人工")
    PARTS = "parts", _("材料/元器件")
    SHIPPING = "shipping", _("运费及保险")
    SERVICE_FEE = "service_fee", _("技术服务费")
    OTHER = "other", _("其他")


class RepairEvent(models.TextChoices):
    """Event kinds a repair writes to the timeline (`core.audit.record_event`)."""

    REGISTERED = "repair.registered", _("登记返修")
    HOP = "repair.hop", _("物流")
    FEEDBACK = "repair.feedback", _("收货反馈")
    BILLABLE = "repair.billable", _("收费认定")
    COST = "repair.cost", _("费用")
    DUE_RECOMPUTED = "repair.due_recomputed", _("重算期限")
    OVERDUE = "repair.overdue", _("超期")
    PASS_TRIAL = "repair.pass_trial", _("视为试用合格")
