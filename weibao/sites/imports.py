"""Excel import of sites (机房) with their coordinates and road distance (see
`weibao.core.imports` for the flow)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export.fields import Field

from weibao.core.import_widgets import ChoiceWidget, LookupWidget, NumberWidget, TextWidget
from weibao.core.imports import MasterResource
from weibao.sites.models import Site, SiteKind
from weibao.tenancy.imports import customer_widget
from weibao.tenancy.models import ServicePoint

CUSTOMER_COLUMN = gettext_noop("客户代码")


def site_widget(resource: MasterResource, column: str = CUSTOMER_COLUMN) -> LookupWidget:
    """A site named by its code (any case) among the sites of the row's customer."""

    def find(code, row):
        customer_code = TextWidget().clean(row.get(column))
        return (
            Site.objects.visible_to(resource.actor)
            .filter(customer__code__iexact=customer_code, code__iexact=code)
            .first()
        )

    return LookupWidget(find, lambda: _("该客户没有编号为“%(value)s”的机房。"))


def _service_point(name, row):
    return ServicePoint.objects.filter(name=name).first()


class SiteResource(MasterResource):
    """机房: one row per site, found by customer code and site code."""

    customer = Field("customer", CUSTOMER_COLUMN, None)
    code = Field("code", gettext_noop("编号"), TextWidget())
    name = Field("name", gettext_noop("名称"), TextWidget())
    kind = Field("kind", gettext_noop("类型"), ChoiceWidget(SiteKind))
    parent = Field("parent", gettext_noop("上级机房编号"), None)
    address = Field("address", gettext_noop("地址"), TextWidget())
    latitude = Field("latitude", gettext_noop("纬度"), NumberWidget())
    longitude = Field("longitude", gettext_noop("经度"), NumberWidget())
    service_point = Field(
        "service_point",
        gettext_noop("服务网点"),
        LookupWidget(_service_point, lambda: _("没有名为“%(value)s”的服务网点。")),
    )
    road_distance_km = Field("road_distance_km", gettext_noop("道路距离（公里）"), NumberWidget())
    duty_phone = Field("duty_phone", gettext_noop("值班电话"), TextWidget())
    notes = Field("notes", gettext_noop("备注"), TextWidget())

    example = {
        "客户代码": "HDTX",
        "编号": "EO-01",
        "名称": "张江端局机房",
        "类型": "端局机房",
        "地址": "上海市浦东新区张江路 88 号",
        "纬度": 31.2047,
        "经度": 121.5907,
        "道路距离（公里）": 12.5,
        "值班电话": "021-50800000",
    }

    class Meta(MasterResource.Meta):
        model = Site
        fields = (
            "customer",
            "code",
            "name",
            "kind",
            "parent",
            "address",
            "latitude",
            "longitude",
            "service_point",
            "road_distance_km",
            "duty_phone",
            "notes",
        )
        import_id_fields = ("customer", "code")

    def __init__(self, *, actor):
        super().__init__(actor=actor)
        self.fields["customer"].widget = customer_widget(self)
        self.fields["parent"].widget = site_widget(self)
