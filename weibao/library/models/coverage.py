"""Third-party warranty coverage (第三方续保, OTH-3): what a vendor covers for a customer, its
periods (each renewal is a new period) and the expiry reminders planned for each period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet

DEFAULT_REMINDER_DAYS = "60,30,7"


def parse_reminder_days(text: str) -> tuple[int, ...]:
    """ "60, 30,7" → (60, 30, 7): distinct positive day counts, largest first."""
    days = set()
    for part in (text or "").replace("，", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or int(part) <= 0:
            raise ValidationError(_("提醒天数必须是正整数，用逗号分隔，例如 60,30,7。"))
        days.add(int(part))
    return tuple(sorted(days, reverse=True))


class ThirdPartyCoverage(AuditedModel):
    """A vendor's warranty for some of a customer's equipment (servers, network devices, UPS,
    air-conditioners: ESC-4), renewed by the provider on the customer's behalf. The period
    (contract number, start, expiry) lives in `CoveragePeriod`; the latest is current."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="third_party_coverages",
    )
    vendor = models.CharField(_("第三方厂商"), max_length=200)
    covers = models.TextField(
        _("保修内容"), max_length=bounds.NOTE_MAX, help_text=_("覆盖的设备或服务")
    )
    assets = models.ManyToManyField(
        "assets.Asset", verbose_name=_("覆盖设备"), blank=True, related_name="+"
    )
    contact_name = models.CharField(_("厂商联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    reminder_days = models.CharField(
        _("到期提醒（提前天数）"),
        max_length=60,
        default=DEFAULT_REMINDER_DAYS,
        help_text=_("到期前多少天提醒，逗号分隔，例如 60,30,7"),
    )
    note = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("第三方保修")
        verbose_name_plural = _("第三方保修")
        ordering = ["customer", "vendor"]

    def __str__(self) -> str:
        return _("%(label)s：%(text)s") % {"label": self.vendor, "text": self.covers[:40]}

    def clean(self) -> None:
        try:
            parse_reminder_days(self.reminder_days)
        except ValidationError as error:
            raise ValidationError({"reminder_days": error.messages}) from error

    def archive_scope(self):
        return {"customer": self.customer_id}

    @property
    def days(self) -> tuple[int, ...]:
        return parse_reminder_days(self.reminder_days)

    @property
    def current_period(self) -> CoveragePeriod | None:
        periods = getattr(self, "_prefetched_objects_cache", {}).get("periods")
        if periods is not None:
            return max(periods, key=lambda p: (p.start_date, p.pk), default=None)
        return self.periods.order_by("-start_date", "-id").first()


class CoveragePeriod(AuditedModel):
    """One period of a coverage: the first one, or a renewal (续保)."""

    coverage = models.ForeignKey(
        ThirdPartyCoverage,
        verbose_name=_("第三方保修"),
        on_delete=models.CASCADE,
        related_name="periods",
    )
    contract_number = models.CharField(_("保修合同号"), max_length=100, blank=True)
    start_date = models.DateField(_("开始日期"), validators=[bounds.plausible_date])
    expiry_date = models.DateField(_("到期日期"), db_index=True, validators=[bounds.plausible_date])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("保修期")
        verbose_name_plural = _("保修期")
        ordering = ["coverage", "-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expiry_date__gte=models.F("start_date")),
                name="coverage_period_expires_after_start",
                violation_error_message=_("到期日期不能早于开始日期。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coverage.vendor} {self.start_date} – {self.expiry_date}"

    def archive_scope(self):
        return {"customer": self.coverage.customer_id}

    def days_left(self, today: dt.date) -> int:
        return (self.expiry_date - today).days


class CoverageReminder(models.Model):
    """A reminder planned for one period, `days_before` its expiry. The due source
    `library.coverage_reminders` sends it once (`sent_at`); a renewal cancels the unsent
    reminders of the old period."""

    period = models.ForeignKey(CoveragePeriod, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveIntegerField(_("提前天数"))
    due_at = models.DateTimeField(_("提醒时间"))
    sent_at = models.DateTimeField(_("已提醒"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("已取消"), null=True, blank=True)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "days_before"], name="one_reminder_per_period_and_day"
            ),
        ]
        indexes = [
            models.Index(
                fields=["due_at"],
                condition=Q(sent_at__isnull=True, cancelled_at__isnull=True),
                name="coverage_reminder_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} −{self.days_before}d"
