"""The columns of the customer list, shared by its page and `GET /api/customers/export/`
(rows annotated with `site_count`)."""

from __future__ import annotations

from operator import attrgetter

from django.utils.translation import gettext_lazy as _

from weibao.core.listing import Column

CUSTOMER_COLUMNS = (
    Column("name", _("名称"), attrgetter("name"), ("name",)),
    Column("code", _("代码"), attrgetter("code"), ("code",)),
    Column("sites", _("机房数"), attrgetter("site_count"), ("site_count",), numeric=True),
)
