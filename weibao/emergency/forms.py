"""Forms of the emergency screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.emergency.choices import DrillOutcome
from weibao.emergency.models import AlternativePlan, EmergencyEvent, SiteReadiness
from weibao.emergency.services import READINESS_FIELDS


class DrillForm(forms.Form):
    held_on = forms.DateField(label=_("演练日期"), widget=forms.DateInput(attrs={"type": "date"}))
    event = forms.ModelChoiceField(
        EmergencyEvent.objects.none(), label=_("演练事件"), required=False
    )
    alternative = forms.ModelChoiceField(
        AlternativePlan.objects.none(), label=_("演练方案"), required=False
    )
    scenario = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("演练场景"), widget=forms.Textarea(attrs={"rows": 2})
    )
    participants = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("参加人员"), widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(label=_("演练结果"), choices=DrillOutcome.choices)
    outcome_note = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("结果说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    follow_ups = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("后续改进事项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [e.pk for e in events]
        self.fields["event"].queryset = EmergencyEvent.objects.filter(pk__in=ids)
        self.fields["alternative"].queryset = AlternativePlan.objects.filter(
            event_id__in=ids
        ).select_related("event")
        self.fields["alternative"].label_from_instance = lambda a: (
            f"{a.event} · {a.rank}. {a.title}"
        )


class ReadinessForm(forms.ModelForm):
    class Meta:
        model = SiteReadiness
        fields = list(READINESS_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
