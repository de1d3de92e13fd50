"""The columns of the report index (the contracts with their latest report), shared by its page
and its API export (`GET /api/report-contracts/export/`)."""

from __future__ import annotations

from operator import attrgetter

from django.utils.translation import gettext_lazy

from weibao.core.listing import Column
from weibao.reporting.models import AnalysisReport


def _latest_label(contract) -> str:
    if contract.latest_report is None:
        return ""
    return AnalysisReport.objects.get(pk=contract.latest_report).period.label


CUSTOMER_COLUMN = Column("customer", gettext_lazy("客户"), attrgetter("customer"),
                         ("customer__name", "number"))  # fmt: skip
CONTRACT_COLUMNS = (
    Column("number", gettext_lazy("合同"), attrgetter("number"), ("number",)),
    Column("title", gettext_lazy("名称"), attrgetter("title"), ("title",)),
    CUSTOMER_COLUMN,
    Column("start", gettext_lazy("开始日期"), attrgetter("start_date"), ("start_date",)),
    Column("end", gettext_lazy("结束日期"), attrgetter("end_date"), ("end_date",)),
    Column("latest", gettext_lazy("最新报告"), _latest_label),
)


def contract_columns(user) -> tuple[Column, ...]:
    """The columns `user` reads: a customer's own contracts, without the customer column."""
    if user.customer_id:
        return tuple(c for c in CONTRACT_COLUMNS if c is not CUSTOMER_COLUMN)
    return CONTRACT_COLUMNS
