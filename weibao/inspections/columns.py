"""The columns of the inspection visit list, shared by its page and
`GET /api/inspection-visits/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy

from weibao.core.listing import Column

ENGINEER_COLUMN = Column(
    "engineer", gettext_lazy("巡检工程师"), attrgetter("engineer"), ("engineer__full_name",)
)
VISIT_COLUMNS = (
    Column("planned", gettext_lazy("计划日期"), attrgetter("planned_date"), ("planned_date",)),
    Column("kind", gettext_lazy("巡检类型"), methodcaller("get_kind_display"), ("kind",)),
    Column("customer", gettext_lazy("客户"), attrgetter("customer"), ("customer__name",)),
    Column("site", gettext_lazy("机房"), attrgetter("site"), ("site__name",)),
    ENGINEER_COLUMN,
    Column("state", gettext_lazy("状态"), methodcaller("get_state_display"), ("state",)),
    Column("period_end", gettext_lazy("周期结束"), attrgetter("period_end"), ("period_end",)),
)


def visit_columns(user) -> tuple[Column, ...]:
    """The columns `user` reads: a customer is not given the provider's staff by name."""
    if user.customer_id:
        return tuple(c for c in VISIT_COLUMNS if c is not ENGINEER_COLUMN)
    return VISIT_COLUMNS
