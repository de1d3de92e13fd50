"""Forms of the callback, survey and complaint screens."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.feedback.choices import AGENT_CALLBACK_METHODS, ComplaintChannel, ConfirmationMethod
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tickets.models import Ticket

SCORES = [(5, _("5 分 · 非常满意")), (4, _("4 分 · 满意")), (3, _("3 分 · 一般")),
          (2, _("2 分 · 不满意")), (1, _("1 分 · 非常不满意"))]  # fmt: skip
YES_NO = [("yes", _("满意")), ("no", _("不满意"))]


class CallbackForm(forms.Form):
    method = forms.ChoiceField(label=_("回访方式"), choices=AGENT_CALLBACK_METHODS)
    respondent = forms.CharField(label=_("受访人"), max_length=100)
    satisfied = forms.ChoiceField(label=_("结果"), choices=YES_NO)
    score = forms.TypedChoiceField(
        label=_("满意度"), choices=[("", _("请评分")), *SCORES], coerce=int
    )
    note = forms.CharField(label=_("回访记录 / 不满意原因"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # one line of inputs: the label is the hint
            field.widget.attrs.update({"aria-label": field.label, "placeholder": field.label})
        self.fields["respondent"].widget.attrs["size"] = 8


class SurveyForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("您对本次服务的评分"), choices=SCORES, coerce=int, widget=forms.RadioSelect
    )
    satisfied = forms.ChoiceField(
        label=_("问题是否已解决、您是否满意"), choices=YES_NO, initial="yes",
        widget=forms.RadioSelect,
    )  # fmt: skip
    comment = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("意见或建议"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不满意时请说明原因，工单将重新处理"),
    )


class ComplaintForm(forms.Form):
    customer = forms.ModelChoiceField(
        Customer.objects.none(), label=_("客户"), required=False,
        help_text=_("可不选：按机房或工单确定客户"),
    )  # fmt: skip
    site = forms.ModelChoiceField(Site.objects.none(), label=_("机房（可选）"), required=False)
    ticket = forms.CharField(label=_("相关工单号（可选）"), max_length=20, required=False)
    channel = forms.ChoiceField(label=_("渠道"), choices=ComplaintChannel.choices,
                                initial=ComplaintChannel.PHONE)  # fmt: skip
    complainant = forms.CharField(label=_("投诉人"), max_length=100, required=False)
    complainant_phone = forms.CharField(label=_("投诉人电话"), max_length=32, required=False)
    text = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user).order_by("name")
        self.fields["site"].queryset = (
            Site.objects.visible_to(user).select_related("customer").order_by("customer", "code")
        )
        self.user = user
        if not user.customer_id:
            self.fields["site"].label_from_instance = lambda site: f"{site.customer} · {site}"
        if user.customer_id:
            # A customer complains for their own organisation, through the portal.
            for name in ("customer", "channel"):
                del self.fields[name]

    def clean_ticket(self):
        number = self.cleaned_data["ticket"].strip()
        if not number:
            return None
        ticket = Ticket.objects.visible_to(self.user).filter(number=number).first()
        if ticket is None:
            raise forms.ValidationError(_("没有这个工单。"))
        return ticket


class ConfirmForm(forms.Form):
    """An agent records the customer's answer to the resolution."""

    method = forms.ChoiceField(
        label=_("确认方式"),
        choices=[c for c in ConfirmationMethod.choices if c[0] != ConfirmationMethod.PORTAL],
    )
    confirmed_by = forms.CharField(label=_("客户方确认人"), max_length=100)
    note = forms.CharField(label=_("意见"), required=False)
