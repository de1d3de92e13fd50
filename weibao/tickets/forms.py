"""Forms of the ticket screens. They parse what was typed; `tickets.services` decides (who
the customer is, the channel, the request time, every refusal) and its errors are put back at
their fields, so nothing typed is lost."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.core import bounds
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.choices import Channel, ConsentMethod, Level, RequestType
from weibao.tickets.models import ClassificationCriterion, ResolutionCause


class TicketForm(forms.Form):
    customer = forms.ModelChoiceField(Customer.objects.none(), label=_("客户"), required=False)
    site = forms.ModelChoiceField(Site.objects.none(), label=_("机房"), required=False)
    asset = forms.ModelChoiceField(Asset.objects.none(), label=_("设备"), required=False)
    channel = forms.ChoiceField(choices=Channel.choices, label=_("渠道"), initial=Channel.PHONE)
    request_type = forms.ChoiceField(
        choices=RequestType.choices, label=_("请求类型"), initial=RequestType.FAULT
    )
    criteria = forms.ModelMultipleChoiceField(
        ClassificationCriterion.objects.filter(scheme=3),
        label=_("分级标准"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    level = forms.ChoiceField(
        choices=[("", _("按分级标准建议")), *Level.choices], label=_("故障级别"), required=False
    )
    fault_phenomenon = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("故障现象"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_at = forms.DateTimeField(
        label=_("报告时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("补录来电时填写实际来电时间；不能晚于现在"),
    )
    late_reason = forms.CharField(
        label=_("补录原因"),
        max_length=300,
        required=False,
        help_text=_("报告时间早于现在 15 分钟以上时必填"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=100)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=32)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # Choosing a customer or site, or ticking a criterion, refreshes the dependent
        # choices and the suggested level (htmx, see tickets:form_options).
        refresh = {
            "hx-get": reverse_lazy("tickets:form_options"),
            "hx-trigger": "change",
            "hx-target": "#form-options",
            "hx-select": "#form-options",
            "hx-swap": "outerHTML",
            "hx-include": "#ticket-form",
        }
        for name in ("customer", "site", "criteria"):
            self.fields[name].widget.attrs.update(refresh)
        customers = Customer.objects.visible_to(user)
        self.fields["customer"].queryset = customers
        customer_id = self.data.get("customer") or self.initial.get("customer")
        if user.customer_id:  # the service uses their customer, the portal and the time now
            customer_id = user.customer_id
            for name in ("customer", "channel", "reported_at", "late_reason"):
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
        sites = Site.objects.visible_to(user).filter(customer_id=customer_id or 0)
        self.fields["site"].queryset = sites.order_by("kind", "code")
        site_id = self.data.get("site") or self.initial.get("site")
        self.fields["asset"].queryset = Asset.objects.visible_to(user).filter(site_id=site_id or 0)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data["criteria"] = list(data.get("criteria") or [])
        data["level"] = data.get("level") or ""
        if self.user.customer_id:
            for name in ("customer", "channel", "reported_at", "late_reason"):
                data.pop(name, None)
        return data


def _text(label, **attrs) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=bounds.NOTE_MAX, required=False, widget=forms.TextInput(attrs=attrs)
    )


class NoteForm(forms.Form):
    """A move of the support flow, with an optional note (required by some moves)."""

    note = _text(_("备注"), placeholder=_("备注（可选）"))


class LevelForm(forms.Form):
    level = forms.ChoiceField(label=_("级别"), choices=Level.choices, required=False)
    reason = _text(_("原因"), placeholder=_("原因"))

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        if ticket.frozen_policy.level_scheme != 4:
            self.fields["level"].choices = [c for c in Level.choices if c[0] != Level.L4]
        self.fields["level"].initial = ticket.level


class ConsentForm(forms.Form):
    by = _text(_("同意人"), placeholder=_("同意人"))
    method = forms.ChoiceField(label=_("方式"), choices=ConsentMethod.choices, required=False)


class PauseForm(forms.Form):
    reason = _text(_("暂停原因"), placeholder=_("暂停原因，如等待客户"))


class ResolveForm(forms.Form):
    cause = forms.ModelChoiceField(
        ResolutionCause.objects.filter(active=True), label=_("故障原因"), required=False
    )
    fix = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("处理方法"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    prevention = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("预防建议"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = _text(_("备注"), placeholder=_("备注（可选）"))


class CallbackForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("结果"),
        choices=[("yes", _("满意")), ("no", _("不满意"))],
        coerce=lambda v: v == "yes",
        required=False,
    )
    score = forms.TypedChoiceField(
        label=_("满意度"),
        choices=[("", "—"), *((str(n), str(n)) for n in range(5, 0, -1))],
        coerce=int,
        empty_value=None,
        required=False,
    )
    note = _text(_("回访记录"), placeholder=_("回访记录 / 不满意原因"))
