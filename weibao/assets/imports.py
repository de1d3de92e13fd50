"""Excel import of equipment (设备) at customer sites (see `weibao.core.imports` for the
flow)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export.fields import Field

from weibao.assets.models import Asset, AssetCategory, AssetStatus, Owner, RepairOrigin
from weibao.core.import_widgets import ChoiceWidget, DateWidget, LookupWidget, TextWidget
from weibao.core.imports import MasterResource
from weibao.sites.imports import CUSTOMER_COLUMN, site_widget
from weibao.tenancy.imports import customer_widget


def _category(text, row):
    return AssetCategory.objects.filter(
        Q(code__iexact=text) | Q(name=text) | Q(name_en__iexact=text)
    ).first()


class AssetResource(MasterResource):
    """设备: one row per piece of equipment, found by customer code and serial number."""

    customer = Field("customer", CUSTOMER_COLUMN, None)
    site = Field("site", gettext_noop("机房编号"), None)
    category = Field(
        "category",
        gettext_noop("类别"),
        LookupWidget(_category, lambda: _("没有名为“%(value)s”的设备类别。")),
    )
    name = Field("name", gettext_noop("名称"), TextWidget())
    manufacturer = Field("manufacturer", gettext_noop("厂商"), TextWidget())
    model = Field("model", gettext_noop("型号"), TextWidget())
    serial_number = Field("serial_number", gettext_noop("序列号"), TextWidget())
    software_version = Field("software_version", gettext_noop("软件版本"), TextWidget())
    owner = Field("owner", gettext_noop("产权"), ChoiceWidget(Owner), default=Owner.CUSTOMER)
    repair_origin = Field(
        "repair_origin",
        gettext_noop("维修地"),
        ChoiceWidget(RepairOrigin),
        default=RepairOrigin.DOMESTIC,
    )
    status = Field(
        "status", gettext_noop("状态"), ChoiceWidget(AssetStatus), default=AssetStatus.IN_SERVICE
    )
    installed_on = Field("installed_on", gettext_noop("安装日期"), DateWidget())
    notes = Field("notes", gettext_noop("备注"), TextWidget())

    example = {
        "客户代码": "HDTX",
        "机房编号": "EO-01",
        "类别": "摄像机",
        "名称": "1 号门口摄像机",
        "厂商": "海康威视",
        "型号": "DS-2CD3T46",
        "序列号": "SN20240301001",
        "软件版本": "V5.7.3",
        "产权": "客户",
        "维修地": "国内维修",
        "状态": "在用",
        "安装日期": "2024-03-01",
    }

    class Meta(MasterResource.Meta):
        model = Asset
        fields = (
            "customer",
            "site",
            "category",
            "name",
            "manufacturer",
            "model",
            "serial_number",
            "software_version",
            "owner",
            "repair_origin",
            "status",
            "installed_on",
            "notes",
        )
        import_id_fields = ("customer", "serial_number")

    def __init__(self, *, actor):
        super().__init__(actor=actor)
        self.fields["customer"].widget = customer_widget(self)
        self.fields["site"].widget = site_widget(self)
