"""Forms of the agent's intake screen and the customer's portal request."""

from __future__ import annotations

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.core import clock
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.choices import Channel, Level, RequestType
from weibao.tickets.models import ClassificationCriterion


class TicketForm(forms.Form):
    customer = forms.ModelChoiceField(Customer.objects.none(), label=_("客户"))
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
        label=_("故障现象"), widget=forms.Textarea(attrs={"rows": 3})
    )
    reported_at = forms.DateTimeField(
        label=_("报告时间"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("补录来电时填写实际来电时间；不能晚于现在"),
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
        if user.customer_id:
            customer_id = user.customer_id
            self.fields["customer"].initial = user.customer_id
            for name in ("customer", "channel", "reported_at"):
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
        sites = Site.objects.visible_to(user).filter(customer_id=customer_id or 0)
        self.fields["site"].queryset = sites.order_by("kind", "code")
        site_id = self.data.get("site") or self.initial.get("site")
        self.fields["asset"].queryset = Asset.objects.visible_to(user).filter(site_id=site_id or 0)

    def clean_reported_at(self):
        value = self.cleaned_data.get("reported_at")
        return value or clock.now()

    def clean(self):
        data = super().clean()
        if self.user.customer_id:  # the portal: their own organisation, by portal, now
            data["customer"] = self.user.customer
            data["channel"] = Channel.PORTAL
            data["reported_at"] = clock.now()
        if data.get("request_type") == RequestType.FAULT and not (
            data.get("level") or data.get("criteria")
        ):
            self.add_error("level", _("故障工单请选择级别，或勾选符合的分级标准。"))
        return data
