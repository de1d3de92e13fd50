"""Exchange loans (SPX-2..5) and the free loaners of late or failed repairs (RMA-4, RMA-5)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.spares.choices import FREE_LOAN_KINDS, LOAN_STATUS_BADGES, LoanKind, LoanStatus
from weibao.spares.terms import add_months


class Loan(AuditedModel):
    """A provider's good part lent to a customer. The part stays the provider's (SPX-1); an
    exchange loan lasts the agreed period (at most `max_months`), may be extended up to
    `total_max_months` in all, and converts into a sale once that is passed (SPX-3)."""

    tenant_path = "customer"

    number = models.CharField(_("借用单号"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="loans"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("使用机房"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("类型"), max_length=20, choices=LoanKind.choices)
    status = models.CharField(
        _("状态"), max_length=12, choices=LoanStatus.choices, default=LoanStatus.OUT
    )
    part = models.ForeignKey(
        "spares.SparePart",
        verbose_name=_("借出备件"),
        on_delete=models.PROTECT,
        related_name="loans",
    )
    from_location = models.ForeignKey(
        "spares.StockLocation",
        verbose_name=_("出库库位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deliver_to = models.CharField(_("送达地点"), max_length=300, blank=True)
    deliver_by = models.DateTimeField(_("约定送达时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    faulty_serial_number = models.CharField(_("故障件序列号"), max_length=100, blank=True)
    faulty_asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("故障设备"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    faulty_received_on = models.DateField(
        _("收到故障件日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    start_date = models.DateField(_("借用开始"), validators=[bounds.plausible_date])
    end_date = models.DateField(
        _("约定归还日期"),
        null=True,
        blank=True,
        help_text=_("免费借用在修复件返回后确定"),
        validators=[bounds.plausible_date],
    )
    max_months = models.PositiveSmallIntegerField(_("借用期上限（月）"), default=3)
    total_max_months = models.PositiveSmallIntegerField(_("含延期上限（月）"), default=6)
    latest_end = models.DateField(
        _("最迟归还日期（含延期）"),
        null=True,
        blank=True,
        help_text=_("借用开始后满累计上限之日；此后仍未归还的更换借用自动转为销售"),
    )
    billable = models.BooleanField(_("超出配额·收费"), default=False)
    reminded_end_date = models.DateField(_("已提醒的到期日"), null=True, blank=True)
    returned_on = models.DateField(
        _("归还日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    compensated_on = models.DateField(
        _("赔偿日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    compensation_amount = models.DecimalField(
        _("赔偿金额（元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    converted_on = models.DateField(_("转销售日期"), null=True, blank=True)
    sale = models.ForeignKey(
        "spares.SaleOrder",
        verbose_name=_("转入的销售单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="source_loans",
    )
    reason = models.CharField(_("借用原因"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("备件借用")
        verbose_name_plural = _("备件借用")
        ordering = ["-start_date", "-id"]
        indexes = [
            models.Index(fields=["status", "end_date"]),
            models.Index(fields=["status", "kind", "latest_end"]),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.faulty_asset_id}

    def get_absolute_url(self) -> str:
        return reverse("spares:loan_detail", args=[self.pk])

    @property
    def is_free(self) -> bool:
        return self.kind in FREE_LOAN_KINDS

    @property
    def badge(self) -> str:
        """The status's badge colour (`LOAN_STATUS_BADGES`)."""
        return LOAN_STATUS_BADGES[self.status]

    @property
    def period_limit(self) -> dt.date:
        """The end of the agreed period's upper bound (3 months by default)."""
        return add_months(self.start_date, self.max_months)


class LoanExtension(models.Model):
    """An extension of a loan's return date, with who agreed it and why."""

    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="extensions")
    previous_end = models.DateField(_("原归还日期"))
    new_end = models.DateField(_("新归还日期"), validators=[bounds.plausible_date])
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("原因"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("借用延期")
        verbose_name_plural = _("借用延期")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.loan} → {self.new_end}"
