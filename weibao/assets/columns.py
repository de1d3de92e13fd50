"""The columns of the asset list, shared by its page and `GET /api/assets/export/`."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy as _

from weibao.core.listing import Column

ASSET_COLUMNS = (
    Column("name", _("名称"), attrgetter("name"), ("name",)),
    Column("category", _("类别"), attrgetter("category"), ("category__order", "category__code")),
    Column("model", _("型号"), attrgetter("model"), ("model",)),
    Column("serial_number", _("序列号"), attrgetter("serial_number"), ("serial_number",)),
    Column("site", _("机房"), attrgetter("site"), ("site__name", "name")),
    Column("owner", _("产权"), methodcaller("get_owner_display"), ("owner", "name")),
)
