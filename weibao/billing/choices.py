"""Choices of the billing app: statement states and the kinds of cost line (EXC-2)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StatementState(models.TextChoices):
    """Where a billable statement is; the allowed moves are in `billing.flow`."""

    DRAFT = "draft", _("草稿")
    SENT = "sent", _("待客户确认")
    APPROVED = "approved", _("客户已同意")
    REJECTED = "rejected", _("客户已拒绝")


class LineKind(models.TextChoices):
    """The cost lines EXC-2 names: actual costs (labour, parts, travel, a repair's shipping and
    insurance, other) plus an optional technical service fee."""

    LABOUR = "labour", _("人工费")
    PART = "part", _("备件/材料费")
    TRAVEL = "travel", _("差旅交通费")
    SERVICE_FEE = "service_fee", _("技术服务费")
    SHIPPING = "shipping", _("运费及保险")
    OTHER = "other", _("其他费用")


DEFAULT_UNITS = {
    LineKind.LABOUR: _("小时"),
    LineKind.PART: _("件"),
    LineKind.TRAVEL: _("次"),
    LineKind.SERVICE_FEE: _("项"),
    LineKind.SHIPPING: _("次"),
    LineKind.OTHER: _("项"),
}

# The shared stylesheet's badge colours for each state.
STATE_BADGES = {
    StatementState.DRAFT: "pending",
    StatementState.SENT: "running",
    StatementState.APPROVED: "done",
    StatementState.REJECTED: "expired",
}

EVIDENCE_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "heic", "gif", "pdf", "doc", "docx",
                       "xls", "xlsx", "txt", "zip"]  # fmt: skip


class BillingEvent(models.TextChoices):
    """Event kinds billing writes to the timeline (`core.audit.record_event`)."""

    OUT_OF_SCOPE = "billing.out_of_scope", _("认定不在承保范围")
    WITHDRAWN = "billing.withdrawn", _("撤销不在承保范围认定")
    STATEMENT_OPENED = "statement.opened", _("编制收费确认单")
    STATEMENT_LINE = "statement.line", _("费用明细")
