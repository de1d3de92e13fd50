"""Excel import of customers and their contacts (see `weibao.core.imports` for the flow)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export.fields import Field

from weibao.core.import_widgets import ChoiceWidget, LookupWidget, TextWidget
from weibao.core.imports import MasterResource
from weibao.tenancy.models import Contact, ContactRole, Customer, Provider


def customer_widget(resource: MasterResource) -> LookupWidget:
    """A customer named by its code (any case), among those the actor may import for."""

    def find(code, row):
        customer = Customer.objects.visible_to(resource.actor).filter(code__iexact=code).first()
        if customer is not None and not resource.may_import_for(customer.pk):
            return None
        return customer

    return LookupWidget(find, lambda: _("“%(value)s”不存在或无权导入。"))


class CustomerResource(MasterResource):
    """客户: one row per customer, found by its code."""

    code = Field("code", gettext_noop("代码"), TextWidget())
    name = Field("name", gettext_noop("名称"), TextWidget())
    address = Field("address", gettext_noop("地址"), TextWidget())
    notes = Field("notes", gettext_noop("备注"), TextWidget())

    example = {"代码": "HDTX", "名称": "华东通信分公司", "地址": "上海市浦东新区张江路 88 号"}

    class Meta(MasterResource.Meta):
        model = Customer
        fields = ("code", "name", "address", "notes")
        import_id_fields = ("code",)

    def after_init_instance(self, instance, new, row, **kwargs):
        if new:
            provider = getattr(self.actor, "provider", None)
            instance.provider = provider or Provider.objects.order_by("id").first()
        elif not self.may_import_for(instance.pk):
            raise ValueError(_("无权导入客户“%(value)s”的数据。") % {"value": instance.code})


def default_site_widget(resource: MasterResource) -> LookupWidget:
    """A contact's default site, named by its code (any case) among the row's customer's."""

    def find(code, row):
        customer = customer_widget(resource).find(TextWidget().clean(row.get("客户代码")), row)
        return customer.sites.filter(code__iexact=code).first() if customer else None

    return LookupWidget(find, lambda: _("该客户没有编号为“%(value)s”的机房。"))


class ContactResource(MasterResource):
    """联系人: one row per person, found by customer code and name."""

    customer = Field("customer", gettext_noop("客户代码"), None)
    name = Field("name", gettext_noop("姓名"), TextWidget())
    phone = Field("phone", gettext_noop("电话"), TextWidget())
    email = Field("email", gettext_noop("邮箱"), TextWidget())
    role = Field("role", gettext_noop("角色"), ChoiceWidget(ContactRole), default=ContactRole.OTHER)
    title = Field("title", gettext_noop("职务"), TextWidget())
    default_site = Field("default_site", gettext_noop("默认机房编号"), None)

    example = {
        "客户代码": "HDTX",
        "姓名": "王明",
        "电话": "13800138000",
        "邮箱": "wangming@example.com",
        "角色": "维护人员",
        "职务": "运维主管",
        "默认机房编号": "",
    }

    class Meta(MasterResource.Meta):
        model = Contact
        fields = ("customer", "name", "phone", "email", "role", "title", "default_site")
        import_id_fields = ("customer", "name")

    def __init__(self, *, actor):
        super().__init__(actor=actor)
        self.fields["customer"].widget = customer_widget(self)
        self.fields["default_site"].widget = default_site_widget(self)
