"""Forms of the repair screens: the return registration and the actions on a repair page."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset, RepairOrigin
from weibao.billing.models import ExclusionCause
from weibao.core import bounds, clock
from weibao.repairs.choices import Leg, Payer
from weibao.spares.models import PartType
from weibao.tenancy.models import Customer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RepairForm(forms.Form):
    """返修设备登记表: which part, its fault phenomenon, where it is repaired, when received."""

    customer = forms.ModelChoiceField(Customer.objects.none(), label=_("客户"))
    asset = forms.ModelChoiceField(
        Asset.objects.none(), label=_("设备"), required=False, help_text=_("台账中的设备")
    )
    serial_number = forms.CharField(
        label=_("或序列号"),
        max_length=100,
        required=False,
        help_text=_("不在设备台账中的板卡/备件，填写序列号"),
    )
    part_type = forms.ModelChoiceField(
        PartType.objects.all(),
        label=_("备件型号"),
        required=False,
        help_text=_("超期时自动借出此型号；留空按设备型号匹配"),
    )
    part_description = forms.CharField(label=_("部件名称/型号"), max_length=200, required=False)
    fault_description = forms.CharField(
        label=_("故障现象"),
        max_length=bounds.NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repair_origin = forms.ChoiceField(
        label=_("维修地"),
        required=False,
        choices=[("", _("按设备登记")), *RepairOrigin.choices],
        help_text=_("国内维修 30 个工作日，国外维修 60 个工作日"),
    )
    received_at = forms.DateField(label=_("收到故障件日期"), widget=DATE)
    contact_name = forms.CharField(label=_("客户联系人"), max_length=100, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    carrier = forms.CharField(label=_("寄入承运商"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("寄入运单号"), max_length=60, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = clock.today()
        self.fields["customer"].queryset = Customer.objects.visible_to(user)
        self.fields["customer"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("repairs:asset_options"),
                "hx-trigger": "change",
                "hx-target": "#asset-options",
                "hx-select": "#asset-options",
                "hx-swap": "outerHTML",
                "hx-include": "#repair-form",
            }
        )
        customer_id = self.data.get("customer") or self.initial.get("customer")
        self.fields["asset"].queryset = (
            Asset.objects.visible_to(user)
            .filter(customer_id=customer_id or 0, customer_bought_supporting=False)
            .select_related("site")
            .order_by("site__code", "name")
        )

    def clean(self):
        data = super().clean()
        if not data.get("asset") and not (data.get("serial_number") or "").strip():
            self.add_error("serial_number", _("请选择设备或填写序列号。"))
        return data


class HopForm(forms.Form):
    leg = forms.ChoiceField(label=_("路段"), choices=Leg.choices)
    shipped_on = forms.DateField(label=_("寄出日期"), widget=DATE, required=False)
    arrived_on = forms.DateField(label=_("到达日期"), widget=DATE, required=False)
    carrier = forms.CharField(label=_("承运商"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("运单号"), max_length=60, required=False)
    paid_by = forms.ChoiceField(
        label=_("运费承担"), choices=[("", _("按规定")), *Payer.choices], required=False
    )


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("客户收到日期"), widget=DATE)


class FeedbackForm(forms.Form):
    on = forms.DateField(label=_("反馈单日期"), widget=DATE)
    by = forms.CharField(label=_("反馈人"), max_length=100)
    note = forms.CharField(label=_("反馈内容"), max_length=300, required=False)


class FailTrialForm(forms.Form):
    reason = forms.CharField(label=_("不合格现象"), max_length=300)
    received_at = forms.DateField(label=_("重新收到日期"), widget=DATE, required=False)


class BillableForm(forms.Form):
    """Out of scope (EXC-1..3): causes from billing's one list, as for a ticket."""

    causes = forms.ModelMultipleChoiceField(
        ExclusionCause.objects.filter(active=True),
        label=_("不在服务范围的原因"),
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    evidence = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("说明与依据"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("例如：雷击，机房有现场照片；应急抢修时换下的主控板"),
    )
    attachment = forms.FileField(label=_("证据附件（照片/文件，可选）"), required=False)


class ClearBillableForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=300)
