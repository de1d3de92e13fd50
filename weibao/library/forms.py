"""Forms of the library screens. They parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.core import bounds
from weibao.library.choices import Audience, ChangeKind, DocumentCategory
from weibao.library.models.coverage import DEFAULT_REMINDER_DAYS
from weibao.sites.models import Site
from weibao.tenancy.models import Customer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class AccessForm(forms.Form):
    published = forms.BooleanField(label=_("发布"), required=False)
    audience = forms.ChoiceField(label=_("可见范围"), choices=Audience.choices)
    customers = forms.ModelMultipleChoiceField(
        label=_("指定客户"), queryset=Customer.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customers"].queryset = Customer.objects.visible_to(user).order_by("name")


class DocumentForm(AccessForm):
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("分类"), choices=DocumentCategory.choices)
    version = forms.CharField(label=_("版本"), max_length=40, required=False)
    file = forms.FileField(label=_("文件"))
    description = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}),
                                  max_length=bounds.NOTE_MAX, required=False)  # fmt: skip

    field_order = ["title", "category", "version", "file", "description", "published",
                   "audience", "customers"]  # fmt: skip


class SoftwareChangeForm(forms.Form):
    asset = forms.ModelChoiceField(label=_("设备"), queryset=Asset.objects.none())
    kind = forms.ChoiceField(label=_("类型"), choices=ChangeKind.choices)
    to_version = forms.CharField(label=_("新版本"), max_length=100, required=False)
    patch_name = forms.CharField(label=_("补丁名称"), max_length=200, required=False)
    applied_at = forms.DateTimeField(label=_("实施时间"), widget=DATETIME, required=False)
    note = forms.CharField(label=_("说明"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=bounds.NOTE_MAX, required=False)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = Asset.objects.visible_to(user).select_related("site")


class CoverageForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none())
    vendor = forms.CharField(label=_("第三方厂商"), max_length=200)
    covers = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("保修内容"), widget=forms.Textarea(attrs={"rows": 2})
    )
    assets = forms.ModelMultipleChoiceField(
        label=_("覆盖设备"), queryset=Asset.objects.none(), required=False
    )
    contract_number = forms.CharField(label=_("保修合同号"), max_length=100, required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    expiry_date = forms.DateField(label=_("到期日期"), widget=DATE)
    contact_name = forms.CharField(label=_("厂商联系人"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    reminder_days = forms.CharField(
        label=_("到期提醒（提前天数）"), initial=DEFAULT_REMINDER_DAYS, max_length=60
    )
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs={"rows": 2}),
                           max_length=bounds.NOTE_MAX, required=False)  # fmt: skip

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["assets"].queryset = (
            Asset.objects.visible_to(user)
            .filter(category__is_third_party=True)
            .select_related("site")
        )


class RenewalForm(forms.Form):
    contract_number = forms.CharField(label=_("保修合同号"), max_length=100, required=False)
    start_date = forms.DateField(label=_("开始日期"), widget=DATE)
    expiry_date = forms.DateField(label=_("到期日期"), widget=DATE)
    note = forms.CharField(label=_("说明"), required=False)


class ConsultingForm(forms.Form):
    customer = forms.ModelChoiceField(label=_("客户"), queryset=Customer.objects.none())
    site = forms.ModelChoiceField(label=_("机房"), queryset=Site.objects.none(), required=False)
    title = forms.CharField(label=_("主题"), max_length=200)
    description = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("改造需求"), widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["site"].queryset = Site.objects.visible_to(user)
        if user.customer_id:
            self.fields["customer"].initial = user.customer_id
            self.fields["customer"].widget = forms.HiddenInput()
