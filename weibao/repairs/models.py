"""Hardware repair (RMA-1..6): the return registration (返修设备登记表) with its turnaround
clock in working days, the hops of its route and the trial after return. A repair out of scope
is billed by billing (its exclusion and statements name the repair as their subject,
EXC-1..3)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.assets.models import RepairOrigin
from weibao.billing.models import Exclusion
from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.repairs.choices import (
    OPEN_STATUSES,
    STATUS_BADGES,
    Leg,
    Outcome,
    Payer,
    RepairStatus,
    TrialResult,
)


class RepairQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def with_billable(self):
        """Each repair with `billable` read in the same query (see `Repair.billable`)."""
        found = Exclusion.objects.filter(
            subject_type=ContentType.objects.get_for_model(Repair), subject_id=OuterRef("pk")
        )
        return self.annotate(out_of_scope=Exists(found))

    def billable(self, value: bool = True):
        """The repairs billing found out of scope (or, with `False`, those it did not)."""
        return self.with_billable().filter(out_of_scope=value)


class Repair(AuditedModel):
    """A faulty part returned for repair. The clock starts on the receipt day (day 0) and the
    repaired part is due back on `due_date`: 30 working days for parts repaired in China,
    60 for parts repaired abroad (RMA-3), as the contract's policy says at registration."""

    tenant_path = "customer"

    number = models.CharField(_("返修单号"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="repairs"
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
    )
    serial_number = models.CharField(_("序列号"), max_length=100, db_index=True)
    part_type = models.ForeignKey(
        "spares.PartType",
        verbose_name=_("备件型号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repairs",
        help_text=_("超期时按此型号自动借出备件"),
    )
    part_description = models.CharField(_("部件名称/型号"), max_length=200, blank=True)
    fault_description = models.TextField(_("故障现象"), max_length=bounds.NOTE_MAX)
    repair_origin = models.CharField(_("维修地"), max_length=10, choices=RepairOrigin.choices)
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    not_covered = models.BooleanField(_("不在维保设备清单"), default=False)
    received_on = models.DateField(
        _("收到故障件日期"), db_index=True, validators=[bounds.not_after_today]
    )
    working_days = models.PositiveSmallIntegerField(_("承诺周期（工作日）"))
    due_date = models.DateField(_("应返回日期"), db_index=True)
    due_provisional = models.BooleanField(
        _("暂定"),
        default=False,
        help_text=_("应返回日期跨入尚未导入国务院放假安排的年份，按法定假日规则暂算"),
    )
    due_calendar_year = models.PositiveSmallIntegerField(
        _("待导入年份"),
        null=True,
        blank=True,
        help_text=_("该年放假安排导入后自动重算应返回日期"),
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=RepairStatus.choices, default=RepairStatus.RECEIVED
    )
    outcome = models.CharField(_("维修结果"), max_length=12, choices=Outcome.choices, blank=True)
    returned_on = models.DateField(
        _("返回客户日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    overdue_at = models.DateTimeField(
        _("超期处理时间"), null=True, blank=True, help_text=_("超期后自动借出备件并通知的时间")
    )
    loaner = models.ForeignKey(
        "spares.Loan",
        verbose_name=_("免费借用"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("原返修单"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="re_registrations",
        help_text=_("试用不合格重新登记时，附原维修单"),
    )
    provider_pays_shipping = models.BooleanField(_("运费及保险由服务商承担"), default=False)
    warranty_until = models.DateField(_("销售保修截止"), null=True, blank=True)
    in_warranty = models.BooleanField(_("在销售保修期内"), null=True, blank=True)
    trial_months = models.PositiveSmallIntegerField(_("试用期（月）"), default=1)
    trial_ends_on = models.DateField(_("试用截止"), null=True, blank=True)
    trial_result = models.CharField(
        _("试用结果"), max_length=10, choices=TrialResult.choices, blank=True
    )
    trial_note = models.CharField(_("试用说明"), max_length=300, blank=True)
    feedback_on = models.DateField(
        _("收货反馈单日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    feedback_by = models.CharField(_("反馈人"), max_length=100, blank=True)
    feedback_note = models.CharField(_("反馈内容"), max_length=300, blank=True)
    feedback_late = models.BooleanField(_("反馈非收货当日"), default=False)
    # Billing's finding and statements about this repair (subject = the repair).
    exclusions = GenericRelation(
        "billing.Exclusion", content_type_field="subject_type", object_id_field="subject_id"
    )
    statements = GenericRelation(
        "billing.Statement", content_type_field="subject_type", object_id_field="subject_id"
    )
    contact_name = models.CharField(_("客户联系人"), max_length=100, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RepairQuerySet.as_manager()

    class Meta:
        verbose_name = _("返修")
        verbose_name_plural = _("返修")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.asset_id}

    def get_absolute_url(self) -> str:
        return reverse("repairs:detail", args=[self.pk])

    @property
    def in_trial(self) -> bool:
        """Back with the customer for the one-month trial (RMA-5)."""
        return self.status == RepairStatus.IN_TRIAL

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def returned_late(self) -> bool:
        return self.returned_on is not None and self.returned_on > self.due_date

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def billable(self) -> bool:
        """Out of scope and so billed at actual cost (EXC-1/2): billing holds an exclusion for
        the repair, however it was made. Read from `with_billable()` when the query had it."""
        if hasattr(self, "out_of_scope"):
            return self.out_of_scope
        return self.exclusions.exists()


class RepairHop(models.Model):
    """One leg of the route with its dates and tracking number (RMA-2)."""

    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="hops")
    leg = models.CharField(_("路段"), max_length=20, choices=Leg.choices)
    shipped_on = models.DateField(
        _("寄出日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    arrived_on = models.DateField(
        _("到达日期"), null=True, blank=True, validators=[bounds.not_after_today]
    )
    carrier = models.CharField(_("承运商"), max_length=60, blank=True)
    tracking_number = models.CharField(_("运单号"), max_length=60, blank=True)
    paid_by = models.CharField(_("运费承担"), max_length=10, choices=Payer.choices)
    insured = models.BooleanField(_("已保价"), default=False)
    note = models.CharField(_("备注"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("返修路段")
        verbose_name_plural = _("返修路段")
        ordering = ["repair", "shipped_on", "id"]

    def __str__(self) -> str:
        return f"{self.repair} {self.get_leg_display()}"
