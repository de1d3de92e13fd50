"""The columns of the library's document list, shared by its page and
`GET /api/library/documents/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weibao.core.listing import Column


def audience(document) -> str:
    """Who may read `document`: all customers, or the chosen ones."""
    if document.audience == "all":
        return _("所有客户")
    return _("、").join(str(customer) for customer in document.customers.all())


CUSTOMER_COLUMNS = (
    Column("title", gettext_lazy("标题"), attrgetter("title"), ("title",)),
    Column("category", gettext_lazy("分类"), methodcaller("get_category_display"), ("category",)),
    Column("version", gettext_lazy("版本"), attrgetter("version"), ("version",)),
    Column("description", gettext_lazy("说明"), attrgetter("description")),
    Column("updated", gettext_lazy("更新"), attrgetter("updated_at"), ("updated_at",)),
)
STAFF_COLUMNS = (
    *CUSTOMER_COLUMNS[:4],
    Column("audience", gettext_lazy("可见范围"), audience),
    CUSTOMER_COLUMNS[4],
)


def document_columns(user) -> tuple[Column, ...]:
    """The columns `user` reads: a customer is not shown who else may read a document."""
    return CUSTOMER_COLUMNS if user.customer_id else STAFF_COLUMNS
