"""The columns of the repair list, shared by its page and `GET /api/repairs/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy

from weibao.core import clock
from weibao.core.listing import Column
from weibao.repairs import selectors

REPAIR_COLUMNS = (
    Column("number", gettext_lazy("返修单"), attrgetter("number"), ("number",)),
    Column("customer", gettext_lazy("客户"), attrgetter("customer"), ("customer__name", "number")),
    Column(
        "serial", gettext_lazy("部件 / 序列号"), attrgetter("serial_number"), ("serial_number",)
    ),
    Column("received", gettext_lazy("收到"), attrgetter("received_on"), ("received_on",)),
    Column("due", gettext_lazy("应返回"), attrgetter("due_date"), ("due_date",)),
    Column(
        "left",
        gettext_lazy("剩余工作日"),
        lambda repair: selectors.working_days_left(repair, clock.today()),
    ),
    Column("status", gettext_lazy("状态"), methodcaller("get_status_display"), ("status",)),
)
