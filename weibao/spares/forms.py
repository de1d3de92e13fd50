"""Forms of the spares screens: exchange loans and their actions, sales and their steps,
receiving and moving parts, and the part-type catalog. They parse; the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds, clock
from weibao.sites.models import Site
from weibao.spares.choices import MovementKind
from weibao.spares.models import PartType, SparePart, StockLocation
from weibao.tenancy.models import Customer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class LoanForm(forms.Form):
    """备件更换: the customer's faulty part is in; a good part goes to the agreed place."""

    site = forms.ModelChoiceField(Site.objects.none(), label=_("使用机房"))
    part_type = forms.ModelChoiceField(PartType.objects.all(), label=_("备件型号"))
    faulty_serial_number = forms.CharField(label=_("故障件序列号"), max_length=100)
    faulty_received_on = forms.DateField(label=_("收到故障件日期"), widget=DATE)
    start_date = forms.DateField(label=_("借用开始"), widget=DATE)
    end_date = forms.DateField(
        label=_("约定归还日期"), widget=DATE, required=False, help_text=_("留空为 3 个月")
    )
    deliver_to = forms.CharField(label=_("送达地点"), max_length=300, required=False)
    deliver_by = forms.DateTimeField(label=_("约定送达时间"), widget=DATETIME, required=False)
    billable_ok = forms.BooleanField(
        label=_("超出年度配额时按收费服务处理"),
        required=False,
        help_text=_("金牌服务每合同年 10 次；不勾选时第 11 次将被拒绝"),
    )
    skip_own_pool = forms.BooleanField(
        label=_("客户自有备件库有货仍借用服务商备件"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["faulty_received_on"].initial = today
        self.fields["start_date"].initial = today
        self.fields["site"].queryset = (
            Site.objects.visible_to(user).select_related("customer").order_by("customer", "code")
        )


class ExtendForm(forms.Form):
    new_end = forms.DateField(label=_("新的归还日期"), widget=DATE)
    reason = forms.CharField(label=_("原因"), max_length=300, required=False)


class LoanReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("归还日期"), widget=DATE)
    location = forms.ModelChoiceField(
        StockLocation.objects.none(), label=_("入库库位"), required=False
    )

    def __init__(self, *args, loan=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_on"].initial = clock.today()
        if loan is not None:
            self.fields["location"].queryset = StockLocation.objects.filter(pool=loan.part.pool_id)


class CompensateForm(forms.Form):
    price = forms.DecimalField(
        label=_("议定价（元）"), min_value=0, required=False, help_text=_("留空按目录价")
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)


class SaleForm(forms.Form):
    customer = forms.ModelChoiceField(Customer.objects.none(), label=_("客户"))
    request_text = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("采购需求"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.visible_to(user)


class QuoteForm(forms.Form):
    """A proposal and quote; lines as `备件编码 数量 单价`, one per line."""

    proposal = forms.CharField(
        max_length=bounds.NOTE_MAX, label=_("配置方案"), widget=forms.Textarea(attrs={"rows": 2})
    )
    lines = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("报价明细"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行：备件编码 数量 单价，例如 FSU-MB-01 2 3200"),
    )

    def clean_lines(self):
        parsed = []
        for number, row in enumerate(self.cleaned_data["lines"].splitlines(), start=1):
            if not row.strip():
                continue
            parts = row.split()
            part_type = PartType.objects.filter(part_number=parts[0]).first() if parts else None
            try:
                quantity, price = int(parts[1]), parts[2]
                float(price)
            except (IndexError, ValueError):
                part_type = None
            if part_type is None:
                raise forms.ValidationError(
                    _("第 %(n)d 行格式不对或备件编码不存在。") % {"n": number}
                )
            parsed.append((part_type, quantity, price))
        if not parsed:
            raise forms.ValidationError(_("报价至少需要一行。"))
        return parsed


class NoteForm(forms.Form):
    note = forms.CharField(label=_("客户意见"), max_length=300, required=False)


class SignForm(forms.Form):
    contract_number = forms.CharField(label=_("销售合同编号"), max_length=60)
    signed_on = forms.DateField(label=_("签订日期"), widget=DATE)


class PrepayForm(forms.Form):
    prepaid_on = forms.DateField(label=_("预付款到账日期"), widget=DATE)
    amount = forms.DecimalField(label=_("金额（元）"), min_value=0)


class ShipForm(forms.Form):
    shipped_on = forms.DateField(label=_("发货日期"), widget=DATE)
    carrier = forms.CharField(label=_("承运商"), max_length=60, required=False)
    tracking_number = forms.CharField(label=_("运单号"), max_length=60, required=False)
    serials = forms.CharField(
        max_length=bounds.NOTE_MAX,
        label=_("序列号"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行：备件编码 序列号"),
    )

    def clean_serials(self):
        parsed = []
        for number, row in enumerate(self.cleaned_data["serials"].splitlines(), start=1):
            parts = row.split()
            if not parts:
                continue
            part_type = PartType.objects.filter(part_number=parts[0]).first()
            if part_type is None or len(parts) != 2:
                raise forms.ValidationError(
                    _("第 %(n)d 行格式不对或备件编码不存在。") % {"n": number}
                )
            parsed.append((part_type, parts[1]))
        return parsed


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("到货验收日期"), widget=DATE)
    signed_by = forms.CharField(label=_("验收签收人"), max_length=100)
    note = forms.CharField(label=_("验货记录"), max_length=300, required=False)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), max_length=300)


class ReceiveForm(forms.Form):
    part_type = forms.ModelChoiceField(PartType.objects.all(), label=_("备件型号"))
    serial_number = forms.CharField(label=_("序列号"), max_length=100)
    location = forms.ModelChoiceField(StockLocation.objects.none(), label=_("库位"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = StockLocation.objects.visible_to(user).select_related(
            "pool"
        )


class MoveForm(forms.Form):
    """Move one part by hand: transfer to another location of its pool, send to repair, scrap."""

    part = forms.ModelChoiceField(SparePart.objects.none(), label=_("备件"))
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[
            (k.value, k.label)
            for k in (MovementKind.TRANSFER, MovementKind.REPAIR_OUT, MovementKind.SCRAP,
                      MovementKind.REPAIR_IN)
        ],
    )  # fmt: skip
    to_location = forms.ModelChoiceField(
        StockLocation.objects.none(), label=_("目标库位"), required=False
    )
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = SparePart.objects.visible_to(user).select_related(
            "part_type"
        )
        self.fields["to_location"].queryset = StockLocation.objects.visible_to(user).select_related(
            "pool"
        )


class PartTypeForm(forms.ModelForm):
    """A catalog entry: part number, name and catalog price (configuration)."""

    class Meta:
        model = PartType
        fields = ["part_number", "name", "category", "asset_model", "catalog_price", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
