"""Forms of the inspection screens: they parse input; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.contracts.models import Contract
from weibao.core import bounds, clock
from weibao.inspections.choices import CheckOutcome
from weibao.tickets.choices import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MoveForm(forms.Form):
    new_date = forms.DateField(label=_("新日期"), widget=DATE)
    reason = forms.CharField(label=_("改期原因"), max_length=300)


class AssignForm(forms.Form):
    engineer = forms.ModelChoiceField(queryset=None, label=_("巡检工程师"))

    def __init__(self, *args, engineers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = engineers


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200)


class GenerateForm(forms.Form):
    contract = forms.ModelChoiceField(queryset=None, label=_("合同"))
    on = forms.DateField(
        label=_("合同年度内的任一天"), widget=DATE, required=False, help_text=_("留空为今天")
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["contract"].queryset = (
            Contract.objects.visible_to(user)
            .filter(end_date__gte=today)
            .select_related("customer")
            .order_by("customer__name", "number")
        )


class CheckForm(forms.Form):
    """One checklist item as the engineer records it on a phone."""

    outcome = forms.ChoiceField(
        label=_("结果"),
        choices=[c for c in CheckOutcome.choices if c[0] != CheckOutcome.PENDING],
        widget=forms.RadioSelect,
    )
    value = forms.CharField(label=_("读数"), max_length=100, required=False)
    note = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    photo = forms.FileField(label=_("照片"), required=False)  # checked by the service
    asset = forms.ModelChoiceField(queryset=Asset.objects.none(), label=_("设备"), required=False)
    level = forms.ChoiceField(
        label=_("故障级别（异常时开工单）"),
        choices=[(lvl, label) for lvl, label in Level.choices if lvl != Level.L4],
        initial=Level.L3,
        required=False,
    )

    def __init__(self, *args, check, **kwargs):
        super().__init__(*args, prefix=f"c{check.pk}", **kwargs)
        assets = Asset.objects.filter(site_id=check.visit.site_id)
        if check.asset_category_id:
            assets = assets.filter(category_id=check.asset_category_id)
        self.fields["asset"].queryset = assets.order_by("name")


class CompleteForm(forms.Form):
    summary = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("巡检结论与建议"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    config_changed = forms.BooleanField(label=_("巡检中更改了设备配置"), required=False)
    config_change_description = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("更改说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
