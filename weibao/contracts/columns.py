"""The columns of the contract list, shared by its page and `GET /api/contracts/export/`."""

from __future__ import annotations

from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from weibao.core.listing import Column

CONTRACT_COLUMNS = (
    Column("number", _("合同编号"), attrgetter("number"), ("number",)),
    Column("title", _("名称"), attrgetter("title"), ("title",)),
    Column("customer", _("客户"), attrgetter("customer"), ("customer__name", "number")),
    Column("plan", _("服务等级"), attrgetter("plan"), ("plan__name", "number")),
    Column("start", _("开始日期"), attrgetter("start_date"), ("start_date", "number")),
    Column("end", _("结束日期"), attrgetter("end_date"), ("end_date", "number")),
    Column("status", _("状态"), lambda contract: contract.status.label),
)
