"""Forms of the working-day calendar."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds, clock
from weibao.core.errors import DomainError


class ScheduleImportForm(forms.Form):
    """Upload or paste a year's State Council schedule (format: `weibao.calendars.schedule`)."""

    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    file = forms.FileField(
        label=_("文件"),
        required=False,
        help_text=_("UTF-8 文本：通知原文，或每行“日期,类型,名称”"),
    )
    text = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("或粘贴内容"),
        required=False,
        help_text=_("可直接粘贴国务院办公厅通知原文（“一、元旦：1月1日放假……”）"),
        widget=forms.Textarea(
            attrs={
                "rows": 16,
                "cols": 80,
                "placeholder": "一、元旦：1月1日（周五）放假，与周末连休。\n"
                "二、春节：2月5日至13日放假调休，共9天。2月14日（周日）上班。",
            }
        ),
    )
    replace = forms.BooleanField(
        label=_("替换"), required=False, help_text=_("覆盖已存在的年份（含手工修正）")
    )
    note = forms.CharField(label=_("备注"), required=False, help_text=_("例如通知的文号"))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"year": clock.today().year + 1})
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload:
            try:
                data["schedule"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("file", _("文件不是 UTF-8 编码的文本。"))
        elif data.get("text", "").strip():
            data["schedule"] = data["text"]
        else:
            raise forms.ValidationError(_("请上传文件或粘贴放假安排。"))
        return data

    def add_domain_error(self, error: DomainError) -> None:
        """Show a service's refusal under the input it concerns."""
        field = error.field
        if field == "text" and self.cleaned_data.get("file"):
            field = "file"
        self.add_error(field if field in self.fields else None, error.message)
