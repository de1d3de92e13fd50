"""Forms of the report screens."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.reporting.choices import PeriodKind


class GenerateForm(forms.Form):
    """`period` is "<kind>|<first day>", e.g. "quarter|2026-07-01" (one select, grouped by
    kind)."""

    period = forms.CharField(label=_("统计期间"))
    recurring_threshold = forms.IntegerField(
        label=_("重复故障阈值（次）"), min_value=2, max_value=100, initial=3, required=False
    )

    def clean_period(self) -> tuple[str, dt.date]:
        kind, _sep, day = self.cleaned_data["period"].partition("|")
        try:
            start = dt.date.fromisoformat(day)
        except ValueError as error:
            raise forms.ValidationError(_("请选择统计期间。")) from error
        if kind not in PeriodKind.values:
            raise forms.ValidationError(_("请选择统计期间。"))
        return kind, start


class SectionsForm(forms.Form):
    cause_analysis = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("故障原因分析"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    maintenance_problems = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("系统维护存在的问题"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
    improvement_suggestions = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("维护改进建议"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )
