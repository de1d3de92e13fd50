"""The columns of the site list, shared by its page and `GET /api/sites/export/` (rows
annotated with `asset_count`)."""

from __future__ import annotations

from operator import attrgetter, methodcaller

from django.utils.translation import gettext_lazy as _

from weibao.core.listing import Column


def site_columns(user) -> list[Column]:
    """The site list's columns for `user` (a customer's own sites: no customer column)."""
    columns = [
        Column("code", _("编号"), attrgetter("code"), ("code",)),
        Column("name", _("名称"), attrgetter("name"), ("name",)),
        Column("kind", _("类型"), methodcaller("get_kind_display"), ("kind", "code")),
        Column("customer", _("客户"), attrgetter("customer"), ("customer__name", "kind", "code")),
        Column(
            "service_point",
            _("服务网点"),
            attrgetter("service_point"),
            ("service_point__name", "code"),
        ),
        Column("distance", _("距离（公里）"), distance, numeric=True),
        Column("assets", _("设备"), attrgetter("asset_count"), ("asset_count",), numeric=True),
    ]
    if user.customer_id:  # a customer's own sites: the customer column says nothing
        columns = [c for c in columns if c.key != "customer"]
    return columns


def distance(site):
    """The road distance in whole kilometres (empty when unknown)."""
    distance = site.distance_km
    return None if distance is None else round(distance)
