"""The columns of the loan and sale lists, shared by their pages and their API exports
(`GET /api/spare-loans/export/`, `GET /api/spare-sales/export/`)."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy

from weibao.core.listing import Column

LOAN_COLUMNS = (
    Column("number", gettext_lazy("借用单"), attrgetter("number"), ("number",)),
    Column("kind", gettext_lazy("类型"), methodcaller("get_kind_display"), ("kind", "number")),
    Column("customer", gettext_lazy("客户"), attrgetter("customer"), ("customer__name",)),
    Column(
        "part",
        gettext_lazy("备件"),
        attrgetter("part"),
        ("part__part_type__part_number", "part__serial_number"),
    ),
    Column("start", gettext_lazy("开始"), attrgetter("start_date"), ("start_date",)),
    Column("end", gettext_lazy("归还日期"), attrgetter("end_date"), ("end_date",)),
    Column("latest", gettext_lazy("最迟（6 个月）"), attrgetter("latest_end"), ("latest_end",)),
    Column("status", gettext_lazy("状态"), methodcaller("get_status_display"), ("status",)),
)


SALE_COLUMNS = (
    Column("number", gettext_lazy("销售单"), attrgetter("number"), ("number",)),
    Column("customer", gettext_lazy("客户"), attrgetter("customer"), ("customer__name",)),
    Column("request", gettext_lazy("需求"), attrgetter("request_text")),
    Column("stage", gettext_lazy("阶段"), methodcaller("get_stage_display"), ("stage",)),
    Column("ship_by", gettext_lazy("最迟发货"), attrgetter("ship_by"), ("ship_by",)),
    Column("delivered", gettext_lazy("到货"), attrgetter("delivered_on"), ("delivered_on",)),
    Column("requested", gettext_lazy("需求日期"), attrgetter("requested_on"), ("requested_on",)),
)
