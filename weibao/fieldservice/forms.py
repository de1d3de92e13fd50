"""Forms of the field-service screens. Rules live in the services; forms only collect."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.fieldservice.choices import TrainingMethod

LOCAL_MINUTE = "%Y-%m-%dT%H:%M"


def _when(label):
    return forms.DateTimeField(
        label=label,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_MINUTE),
        input_formats=[LOCAL_MINUTE, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )


class TrainingForm(forms.Form):
    topic = forms.CharField(label=_("培训主题"), max_length=200)
    method = forms.ChoiceField(label=_("培训方式"), choices=TrainingMethod.choices)
    trainees = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("受训人员（每行一人）"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    starts_at = _when(_("开始时间"))
    ends_at = _when(_("结束时间"))
    provider_cost = forms.DecimalField(
        label=_("服务商承担费用（元）"), min_value=0, decimal_places=2, initial=Decimal("0")
    )
    customer_cost = forms.DecimalField(
        label=_("客户承担费用（元）"), min_value=0, decimal_places=2, initial=Decimal("0")
    )
    notes = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("备注"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
