"""Contracts (CAT-3) and the usage counters of their counted entitlements (CAT-4)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds, clock
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet


class ContractStatus(models.TextChoices):
    PENDING = "pending", _("未生效")
    ACTIVE = "active", _("有效")
    EXPIRED = "expired", _("已到期")


class Contract(AuditedModel):
    """A maintenance contract binding a customer to a plan for a period, with the covered
    sites, the covered equipment list (维保设备清单) and its SLA policy."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    plan = models.ForeignKey(
        "catalog.Plan", verbose_name=_("服务等级"), on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("合同编号"), max_length=60, unique=True)
    title = models.CharField(_("名称"), max_length=200)
    start_date = models.DateField(_("开始日期"), validators=[bounds.plausible_date])
    end_date = models.DateField(_("结束日期"), validators=[bounds.plausible_date])
    sites = models.ManyToManyField(
        "sites.Site", verbose_name=_("覆盖机房"), related_name="contracts", blank=True
    )
    assets = models.ManyToManyField(
        "assets.Asset", verbose_name=_("维保设备清单"), related_name="contracts", blank=True
    )
    notes = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        ordering = ["-start_date", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date")),
                name="contract_ends_after_start",
                violation_error_message=_("结束日期必须晚于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": _("结束日期必须晚于开始日期。")})

    def archive_scope(self):
        return {"customer": self.customer_id}

    def status_on(self, day: dt.date | None = None) -> ContractStatus:
        day = day or clock.today()
        if day < self.start_date:
            return ContractStatus.PENDING
        if day > self.end_date:
            return ContractStatus.EXPIRED
        return ContractStatus.ACTIVE

    @property
    def status(self) -> ContractStatus:
        return self.status_on()

    def contract_year(self, day: dt.date) -> tuple[int, dt.date, dt.date]:
        """(n, first day, last day) of the contract year containing `day`; the first year is 1."""
        n = 0
        start = self.start_date
        while True:
            next_start = _add_years(self.start_date, n + 1)
            if day < next_start:
                return n + 1, start, next_start - dt.timedelta(days=1)
            n += 1
            start = next_start


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class EntitlementUsage(models.Model):
    """How much of a counted entitlement a contract used in one period (CAT-4)."""

    contract = models.ForeignKey(
        Contract, verbose_name=_("合同"), on_delete=models.CASCADE, related_name="usages"
    )
    entitlement = models.ForeignKey(
        "catalog.Entitlement",
        verbose_name=_("服务权益"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    used = models.PositiveIntegerField(_("已用"), default=0)
    billable = models.PositiveIntegerField(_("超额计费"), default=0)

    class Meta:
        verbose_name = _("权益使用")
        verbose_name_plural = _("权益使用")
        ordering = ["contract", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "entitlement", "period_start"], name="unique_usage_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contract} · {self.entitlement.name} · {self.period_start}"
