"""Choices of the spares app: pool tiers, part states, ledger movements, loans and sales."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tier(models.IntegerChoices):
    """SPX-1: the customer's own pool is used first, the provider's pool second."""

    CUSTOMER = 1, _("一级：客户自有备件库")
    PROVIDER = 2, _("二级：服务商备件库")


class Condition(models.TextChoices):
    GOOD = "good", _("完好")
    FAULTY = "faulty", _("故障")
    DAMAGED = "damaged", _("损坏")


class PartState(models.TextChoices):
    """Where a spare is, in words; in stock means at a location of its pool."""

    IN_STOCK = "in_stock", _("在库")
    ON_LOAN = "on_loan", _("借出")
    INSTALLED = "installed", _("在客户处使用")
    IN_REPAIR = "in_repair", _("送修中")
    SCRAPPED = "scrapped", _("已报废")


class MovementKind(models.TextChoices):
    """One row of the ledger. `from` empty: enters stock; `to` empty: leaves stock."""

    RECEIVE = "receive", _("入库")
    TRANSFER = "transfer", _("调拨")
    LOAN_OUT = "loan_out", _("借出")
    LOAN_RETURN = "loan_return", _("借用归还")
    ISSUE_OWN = "issue_own", _("客户自有备件更换")
    SALE_OUT = "sale_out", _("销售出库")
    REPAIR_OUT = "repair_out", _("送修出库")
    REPAIR_IN = "repair_in", _("修复入库")
    SCRAP = "scrap", _("报废")


# The state a part is in after leaving stock by each kind of movement.
STATE_AFTER_OUT = {
    MovementKind.LOAN_OUT: PartState.ON_LOAN,
    MovementKind.ISSUE_OWN: PartState.INSTALLED,
    MovementKind.SALE_OUT: PartState.INSTALLED,
    MovementKind.REPAIR_OUT: PartState.IN_REPAIR,
    MovementKind.SCRAP: PartState.SCRAPPED,
}
INTO_STOCK = frozenset({MovementKind.RECEIVE, MovementKind.LOAN_RETURN, MovementKind.REPAIR_IN})


class LoanKind(models.TextChoices):
    EXCHANGE = "exchange", _("备件更换借用")
    REPAIR_OVERDUE = "repair_overdue", _("返修超期免费借用")
    TRIAL_FAILED = "trial_failed", _("试用不合格免费借用")


FREE_LOAN_KINDS = frozenset({LoanKind.REPAIR_OVERDUE, LoanKind.TRIAL_FAILED})


class LoanStatus(models.TextChoices):
    OUT = "out", _("借用中")
    RETURNED = "returned", _("已归还")
    CONVERTED = "converted", _("已转销售")
    COMPENSATED = "compensated", _("损坏已赔偿")


# The shared stylesheet's badge colours for each loan status.
LOAN_STATUS_BADGES = {
    LoanStatus.OUT: "running",
    LoanStatus.RETURNED: "done",
    LoanStatus.CONVERTED: "done",
    LoanStatus.COMPENSATED: "done",
}


class SaleStage(models.TextChoices):
    """SPS-1; the allowed moves are in `spares.flow.SALE_FLOW`."""

    REQUESTED = "requested", _("已提出需求")
    QUOTED = "quoted", _("方案报价待确认")
    AGREED = "agreed", _("客户已同意")
    CONTRACTED = "contracted", _("已签销售合同")
    PREPAID = "prepaid", _("已收预付款")
    SHIPPED = "shipped", _("已发货")
    DELIVERED = "delivered", _("已验收签收")
    CANCELLED = "cancelled", _("已取消")


class SaleOrigin(models.TextChoices):
    REQUEST = "request", _("客户采购")
    LOAN_CONVERSION = "loan_conversion", _("借用满期转销售")


class QuoteDecision(models.TextChoices):
    PENDING = "pending", _("待客户确认")
    AGREED = "agreed", _("客户同意")
    REJECTED = "rejected", _("客户不同意")


class SparesEvent(models.TextChoices):
    """Event kinds loans and sales write to the timeline (`core.audit.record_event`)."""

    LOAN_LENT = "loan.lent", _("借出备件")
    LOAN_DELIVERED = "loan.delivered", _("备件送达")
    LOAN_EXTENDED = "loan.extended", _("借用延期")
    LOAN_RETURNED = "loan.returned", _("备件归还")
    LOAN_COMPENSATED = "loan.compensated", _("损坏赔偿")
    LOAN_DUE = "loan.due", _("约定归还日期")
    LOAN_REMINDED = "loan.reminded", _("归还提醒")
    LOAN_CONVERTED = "loan.converted", _("借用转销售")
    SALE_REQUESTED = "sale.requested", _("申请购买备件")
    SALE_CONVERTED = "sale.converted", _("由借用转为销售")
    SALE_SHIP_WARNING = "sale.ship_warning", _("发货预警")
    SALE_SHIP_BREACH = "sale.ship_breach", _("发货超时")
