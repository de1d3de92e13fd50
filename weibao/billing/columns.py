"""The columns of the statement list, shared by its page and `GET /api/statements/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy

from weibao.core.listing import Column

CUSTOMER_COLUMN = Column(
    "customer", gettext_lazy("客户"), attrgetter("customer"), ("customer__name", "number")
)
STATEMENT_COLUMNS = (
    Column("number", gettext_lazy("编号"), attrgetter("number"), ("number",)),
    CUSTOMER_COLUMN,
    Column("subject", gettext_lazy("对象"), attrgetter("subject_label")),
    Column("site", gettext_lazy("机房"), attrgetter("site"), ("site__name", "number")),
    Column("total", gettext_lazy("合计（元）"), attrgetter("total"), numeric=True),
    Column("state", gettext_lazy("状态"), methodcaller("get_state_display"), ("state",)),
    Column("updated", gettext_lazy("更新时间"), attrgetter("updated_at"), ("updated_at",)),
)


def statement_columns(user) -> tuple[Column, ...]:
    """The columns `user` reads: a customer's own statements need no customer column."""
    if user.customer_id:
        return tuple(c for c in STATEMENT_COLUMNS if c is not CUSTOMER_COLUMN)
    return STATEMENT_COLUMNS
