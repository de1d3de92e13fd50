"""Forms built from the kind registry: the document's own fields, and the signing form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.documents import kinds


class DocumentDataForm(forms.Form):
    """The registered fields of one kind, plus the title. Validation of required fields is the
    service's job (so the API and the web refuse the same way); the form only collects."""

    title = forms.CharField(label=_("标题"), max_length=200, required=False)

    def __init__(self, *args, kind: kinds.DocumentKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        for spec in kind.fields:
            if spec.choices:
                field = forms.ChoiceField(
                    label=spec.label, choices=[("", "—"), *spec.choices], required=False
                )
            elif spec.multiline:
                field = forms.CharField(
                    max_length=bounds.NOTE_MAX,
                    label=spec.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )
            else:
                field = forms.CharField(label=spec.label, required=False)
            field.widget.attrs["data-required"] = "1" if spec.required else "0"
            field.is_required_entry = spec.required
            self.fields[spec.name] = field

    @classmethod
    def initial_from(cls, doc) -> dict:
        return {"title": doc.title, **doc.data}

    def data_values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "title"}


class SignatureForm(forms.Form):
    """Who signs, in which role, and the drawn signature (a PNG data URI from the pad)."""

    signer_name = forms.CharField(label=_("签字人姓名"), max_length=100)
    signer_role = forms.ChoiceField(label=_("签字人身份"))
    signature = forms.CharField(widget=forms.HiddenInput, required=False)
    digest = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, kind: kinds.DocumentKind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer_role"].choices = kind.signer_role_choices()
