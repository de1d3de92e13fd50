"""Forms of the ticket screens. They parse what was typed; `tickets.services` decides (who
the customer is, the channel, the request time, every refusal) and its errors are put back at
their fields, so nothing typed is lost."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import Asset
from weibao.core import bounds
from weibao.sites.models import Site
from weibao.tenancy.models import Customer
from weibao.tenancy.selectors import callers_by_phone
from weibao.tickets.choices import Channel, ConsentMethod, Level, RequestType
from weibao.tickets.models import ClassificationCriterion, ResolutionCause

# How many choices a type-ahead box offers: a customer's sites and assets fit, a whole
# provider's do not (then the box still takes what is typed: a code, a serial, a name).
TYPE_AHEAD_LIMIT = 500


class TypeAheadChoiceField(forms.ModelChoiceField):
    """A choice typed into a text box whose suggestions are a `<datalist>` (`options()`).

    The box holds the suggestion's label ("S-001 · 甲端局"), or just its key (a site's code,
    an asset's serial number) or its name, or a name's unique part; forms posted with the
    object's id still work. Anything else is refused at the field when the form is sent."""

    def __init__(self, queryset, *, key: str, key_first: bool, datalist: str, **kwargs):
        attrs = {"list": datalist, "autocomplete": "off", "spellcheck": "false"}
        super().__init__(queryset, widget=forms.TextInput(attrs=attrs), **kwargs)
        self.key, self.key_first = key, key_first

    def label_from_instance(self, obj) -> str:
        key = getattr(obj, self.key)
        return f"{key} · {obj.name}" if self.key_first else f"{obj.name} · {key}"

    def options(self) -> list[str]:
        return [self.label_from_instance(obj) for obj in self.queryset[:TYPE_AHEAD_LIMIT]]

    def find(self, value):
        """The one choice `value` names, or None."""
        if isinstance(value, self.queryset.model):
            return value if self.queryset.filter(pk=value.pk).exists() else None
        text = str(value).strip()
        if not text:
            return None
        parts = text.split(" · ")
        key = parts[0] if self.key_first else parts[-1]
        for lookup in ({f"{self.key}__iexact": key.strip()}, {"name__iexact": text}):
            found = list(self.queryset.filter(**lookup)[:2])
            if len(found) == 1:
                return found[0]
        if text.isdigit():
            found = self.queryset.filter(pk=int(text)).first()
            if found is not None:
                return found
        found = list(self.queryset.filter(name__icontains=text)[:2])
        return found[0] if len(found) == 1 else None

    def to_python(self, value):
        if value in self.empty_values:
            return None
        found = self.find(value)
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return found

    def prepare_value(self, value):
        if value in self.empty_values:
            return ""
        found = self.find(value)
        return self.label_from_instance(found) if found is not None else value


class TicketForm(forms.Form):
    """The intake form, in the order a call goes: who calls (the number finds the contact,
    their customer and site — `tickets:caller`), where, what, how bad; the rest after."""

    contact_phone = forms.CharField(label=_("来电号码"), max_length=32)
    contact = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("联系人"), max_length=100)
    customer = forms.ModelChoiceField(Customer.objects.none(), label=_("客户"), required=False)
    site = TypeAheadChoiceField(
        Site.objects.none(),
        key="code",
        key_first=True,
        datalist="site-choices",
        label=_("机房"),
        required=False,
        error_messages={"invalid_choice": _("没有这个机房，请从列表中选择。")},
    )
    asset = TypeAheadChoiceField(
        Asset.objects.none(),
        key="serial_number",
        key_first=False,
        datalist="asset-choices",
        label=_("设备"),
        required=False,
        error_messages={"invalid_choice": _("没有这个设备，请从列表中选择。")},
    )
    fault_phenomenon = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("故障现象"),
        widget=forms.Textarea(attrs={"rows": 3, "data-enter-submits": ""}),
        help_text=_("回车提交，Shift+回车换行"),
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
    channel = forms.ChoiceField(choices=Channel.choices, label=_("渠道"), initial=Channel.PHONE)
    request_type = forms.ChoiceField(
        choices=RequestType.choices, label=_("请求类型"), initial=RequestType.FAULT
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

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.swapped = []
        phone = self.fields["contact_phone"]
        phone.widget.input_type = "tel"
        if user.customer_id:
            phone.label = _("联系电话")
        phone.widget.attrs.update(
            {
                "autofocus": "",
                "inputmode": "tel",
                "autocomplete": "off",
                "placeholder": _("来电号码，或其后 4 位"),
                # typing the number looks the caller up (debounced) and fills what it finds
                "hx-get": reverse_lazy("tickets:caller"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#caller-matches",
                "hx-swap": "outerHTML",
                "hx-include": "#ticket-form",
                "hx-sync": "this:replace",
            }
        )
        # Choosing a customer or site, or ticking a criterion, refreshes the suggestions of
        # the boxes after it and the suggested level (htmx, see tickets:form_options);
        # nothing the user is typing in is replaced.
        refresh = {
            "hx-get": reverse_lazy("tickets:form_options"),
            "hx-trigger": "change",
            "hx-swap": "none",
            "hx-include": "#ticket-form",
        }
        for name in ("customer", "site", "criteria"):
            self.fields[name].widget.attrs.update(refresh)
        customers = Customer.objects.visible_to(user)
        self.fields["customer"].queryset = customers
        customer_id = self._given("customer")
        if user.customer_id:  # the service uses their customer, the portal and the time now
            customer_id = user.customer_id
            for name in ("customer", "channel", "reported_at", "late_reason"):
                self.fields[name].required = False
                self.fields[name].widget = forms.HiddenInput()
        if not str(customer_id or "").isdigit():
            customer_id = None
        sites = Site.objects.visible_to(user).order_by("kind", "code")
        assets = Asset.objects.visible_to(user).order_by("name", "serial_number")
        if customer_id:
            sites, assets = (
                sites.filter(customer_id=customer_id),
                assets.filter(customer_id=customer_id),
            )
        self.fields["site"].queryset = sites
        site = self.fields["site"].find(self._given("site") or "")
        if site is not None:
            assets = assets.filter(site=site)
        self.fields["asset"].queryset = assets
        # Suggestions only for a chosen customer: a provider's every site is no list to read.
        self.suggest = customer_id is not None

    def swap_out_of_band(self, *names: str) -> None:
        """Render these boxes as htmx out-of-band swaps (`swapped`): each replaces the box
        with its id on the page."""
        self.swapped = []
        for name in names:
            if name in self.fields:
                self.fields[name].widget.attrs["hx-swap-oob"] = "true"
                self.swapped.append(self[name])

    def _given(self, name: str):
        value = self.data.get(name) if self.is_bound else None
        return value or self.initial.get(name)

    def site_options(self) -> list[str]:
        return self.fields["site"].options() if self.suggest else []

    def asset_options(self) -> list[str]:
        return self.fields["asset"].options() if self.suggest else []

    def clean(self):
        data = super().clean()
        # The caller found from the last digits of their number: the ticket keeps the whole.
        contact_id, typed = data.get("contact"), data.get("contact_phone")
        if contact_id and typed:
            for caller in callers_by_phone(self.user, typed):
                if caller.contact.pk == contact_id:
                    data["contact_phone"] = caller.contact.phone
        return data

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("contact", None)
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
