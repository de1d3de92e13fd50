"""The columns of the document list, shared by its page and `GET /api/documents/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy

from weibao.core.listing import Column

DOCUMENT_COLUMNS = (
    Column("number", gettext_lazy("编号"), attrgetter("number"), ("id",)),  # D + id
    Column("title", gettext_lazy("文档"), attrgetter("title"), ("title",)),
    Column("kind", gettext_lazy("类型"), attrgetter("kind_label"), ("kind", "-created_at")),
    Column("customer", gettext_lazy("客户"), attrgetter("customer"), ("customer__name",)),
    Column("state", gettext_lazy("状态"), methodcaller("get_state_display"), ("state",)),
    Column("created", gettext_lazy("创建时间"), attrgetter("created_at"), ("created_at",)),
    Column("signed", gettext_lazy("签字"), attrgetter("signed_at"), ("signed_at",)),
    Column("pdf", "PDF", lambda doc: ""),
)
EXPORT_COLUMNS = (
    *DOCUMENT_COLUMNS[:4],
    Column("site", gettext_lazy("机房"), attrgetter("site")),
    Column("ticket", gettext_lazy("工单"), attrgetter("ticket")),
    *DOCUMENT_COLUMNS[4:6],
    Column("signer", gettext_lazy("签字人"), attrgetter("signer_name")),
    DOCUMENT_COLUMNS[6],
)
