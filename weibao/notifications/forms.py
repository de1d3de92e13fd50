"""Forms of the notifications app."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from weibao.notifications.choices import EndpointKind, NotificationKind, State
from weibao.notifications.models import ChannelEndpoint

phone_number = RegexValidator(
    r"^\+?[0-9][0-9 \-]{5,19}$", _("请输入有效的手机号码，例如 13900000000。")
)


class PreferencesForm(forms.Form):
    """A user's e-mail and SMS choices; an empty address means the one in their account."""

    email_enabled = forms.BooleanField(label=_("接收邮件通知"), required=False)
    email_address = forms.EmailField(
        label=_("邮箱地址"),
        required=False,
        error_messages={"invalid": _("请输入有效的邮箱地址。")},
    )
    sms_enabled = forms.BooleanField(label=_("接收短信通知"), required=False)
    sms_address = forms.CharField(
        label=_("手机号码"), required=False, max_length=32, validators=[phone_number]
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["email_address"].widget.attrs["placeholder"] = user.email or ""
        self.fields["sms_address"].widget.attrs["placeholder"] = user.phone or ""

    def clean(self):
        data = super().clean()
        if data.get("email_enabled") and not (data.get("email_address") or self.user.email):
            self.add_error("email_address", _("您的账户中没有邮箱，请填写接收邮件的地址。"))
        if data.get("sms_enabled") and not (data.get("sms_address") or self.user.phone):
            self.add_error("sms_address", _("您的账户中没有手机号，请填写接收短信的号码。"))
        return data


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *State.choices]
    )


class EndpointForm(forms.ModelForm):
    """An endpoint as an administrator edits it: the kinds it subscribes to are checkboxes
    of `NotificationKind` (none checked: all kinds)."""

    kinds = forms.MultipleChoiceField(
        label=_("订阅的通知类别"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("都不勾选表示接收全部类别"),
    )

    class Meta:
        model = ChannelEndpoint
        fields = [
            "name", "kind", "url", "customer", "enabled", "kinds",
            "secret", "token", "access_key_id", "template_id",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        known = set(NotificationKind.values)
        # A kind subscribed before it became part of the vocabulary stays selectable.
        extra = [(k, k) for k in (self.initial.get("kinds") or []) if k not in known]
        self.fields["kinds"].choices = [*NotificationKind.choices, *extra]

    def clean(self):
        data = super().clean()
        if data.get("kind") == EndpointKind.VOICE_GATEWAY:
            for name in ("access_key_id", "secret", "template_id"):
                if not data.get(name):
                    self.add_error(name, _("语音通知端点必须填写此项。"))
        return data
