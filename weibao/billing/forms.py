"""Forms of the out-of-scope screen and a statement's cost lines."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.billing.choices import LineKind
from weibao.billing.models import ExclusionCause
from weibao.core import bounds


class ExclusionForm(forms.Form):
    causes = forms.ModelMultipleChoiceField(
        ExclusionCause.objects.filter(active=True),
        label=_("不在承保范围的原因"),
        widget=forms.CheckboxSelectMultiple,
    )
    evidence = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("证据说明"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("现场看到的情况，例如：电源模块烧毁，防雷器未接地"),
    )
    attachment = forms.FileField(label=_("证据附件（照片/文件，可选）"), required=False)


class LineForm(forms.Form):
    kind = forms.ChoiceField(label=_("费用类别"), choices=LineKind.choices)
    description = forms.CharField(label=_("项目说明"), max_length=200)
    part_number = forms.CharField(label=_("备件编号"), max_length=60, required=False)
    quantity = forms.DecimalField(
        label=_("数量/工时"), max_digits=10, decimal_places=2, min_value=0.01
    )
    unit = forms.CharField(label=_("单位"), max_length=10, required=False)
    unit_price = forms.DecimalField(
        label=_("单价/费率（元）"), max_digits=12, decimal_places=2, min_value=0
    )
