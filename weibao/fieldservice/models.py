"""Field service (现场服务): who goes where (engineer profiles, visits), plans carried out
after the customer approved them, and training sessions. Their signed paperwork lives in
`weibao.documents`; a visit owns its documents as their `subject`."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.fieldservice.choices import (
    OPEN_VISIT_STATES,
    PlanExecutor,
    TrainingMethod,
    VisitState,
)
from weibao.tenancy.models import LATITUDE, LONGITUDE


class EngineerProfile(AuditedModel):
    """Where an engineer leaves from and what equipment they know (asset category codes);
    dispatch proposals are ranked from it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工程师"),
        on_delete=models.CASCADE,
        related_name="engineer_profile",
    )
    service_point = models.ForeignKey(
        "tenancy.ServicePoint",
        verbose_name=_("所在服务网点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="engineers",
    )
    skills = models.JSONField(
        _("擅长设备类别"),
        default=list,
        blank=True,
        help_text=_('设备类别代码列表，例如 ["fsu", "camera"]'),
    )

    class Meta:
        verbose_name = _("工程师档案")
        verbose_name_plural = _("工程师档案")

    def __str__(self) -> str:
        return str(self.user)


class Visit(AuditedModel):
    """One engineer's trip to the site of a ticket: dispatched (confirmed by the maintenance
    manager), on the way, checked in on site (meets the arrival clock), checked out."""

    tenant_path = "ticket__customer"

    ticket = models.ForeignKey(
        "tickets.Ticket", verbose_name=_("工单"), on_delete=models.PROTECT, related_name="visits"
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("工程师"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=VisitState.choices, default=VisitState.PLANNED
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("推荐人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("空表示由系统按距离、负荷和技能推荐"),
    )
    proposal = models.JSONField(_("推荐依据"), default=dict, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认派工"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("派工时间"), null=True, blank=True)
    departed_at = models.DateTimeField(_("出发时间"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    check_in_lat = models.DecimalField(
        _("签到纬度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LATITUDE
    )
    check_in_lon = models.DecimalField(
        _("签到经度"), max_digits=9, decimal_places=6, null=True, blank=True, validators=LONGITUDE
    )
    arrival_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("代为记录到场"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("空表示工程师本人签到"),
    )
    arrival_reason = models.TextField(_("代为记录原因"), max_length=bounds.NOTE_MAX, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    minutes_on_site = models.PositiveIntegerField(_("现场时长（分钟）"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    cancel_reason = models.TextField(_("取消原因"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("现场服务")
        verbose_name_plural = _("现场服务")
        ordering = ["-confirmed_at", "-id"]
        indexes = [models.Index(fields=["engineer", "state"])]

    def __str__(self) -> str:
        return f"{self.ticket} · {self.engineer}"

    def get_absolute_url(self) -> str:
        return reverse("fieldservice:visit", args=[self.pk])

    def archive_scope(self):
        ticket = self.ticket
        return {"customer": ticket.customer_id, "site": ticket.site_id, "asset": ticket.asset_id}

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_VISIT_STATES

    @property
    def arrival_on_behalf(self) -> bool:
        """The arrival was recorded by a dispatcher for the engineer (shown as 代为记录)."""
        return self.arrival_recorded_by_id is not None


class PlanExecution(AuditedModel):
    """A technical plan carried out after the customer signed it (ONS-3): by whom and when."""

    tenant_path = "plan__customer"

    plan = models.OneToOneField(
        "documents.SignedDocument",
        verbose_name=_("技术方案"),
        on_delete=models.PROTECT,
        related_name="execution",
    )
    visit = models.ForeignKey(
        Visit,
        verbose_name=_("现场服务"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan_executions",
    )
    executed_by = models.CharField(_("执行方"), max_length=30, choices=PlanExecutor.choices)
    executed_at = models.DateTimeField(_("执行时间"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("执行情况"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("方案执行")
        verbose_name_plural = _("方案执行")

    def __str__(self) -> str:
        return f"{self.plan} · {self.get_executed_by_display()}"

    def archive_scope(self):
        return self.plan.archive_scope()


class TrainingSession(AuditedModel):
    """A training session given after maintenance or an inspection (TRN-1): at most the
    policy's `training_max_minutes` (2 hours), costs split, a signed training record."""

    tenant_path = "customer"

    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="training_sessions",
    )
    origin_type = models.ForeignKey(
        ContentType,
        verbose_name=_("来源类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    origin_id = models.CharField(_("来源编号"), max_length=64, blank=True)
    origin = GenericForeignKey("origin_type", "origin_id")
    topic = models.CharField(_("培训主题"), max_length=200)
    trainees = models.TextField(_("受训人员"), max_length=bounds.NOTE_MAX, help_text=_("每行一人"))
    method = models.CharField(_("培训方式"), max_length=20, choices=TrainingMethod.choices)
    starts_at = models.DateTimeField(_("开始时间"), validators=[bounds.plausible_date])
    ends_at = models.DateTimeField(_("结束时间"), validators=[bounds.plausible_date])
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("培训讲师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    provider_cost = models.DecimalField(
        _("服务商承担费用（元）"), max_digits=10, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    customer_cost = models.DecimalField(
        _("客户承担费用（元）"), max_digits=10, decimal_places=2, default=0,
        validators=[MinValueValidator(0)],
    )  # fmt: skip
    notes = models.TextField(_("备注"), max_length=bounds.NOTE_MAX, blank=True)
    record = models.OneToOneField(
        "documents.SignedDocument",
        verbose_name=_("培训记录"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_session",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return _("%(name)s（%(detail)s）") % {
            "name": self.topic,
            "detail": f"{self.starts_at:%Y-%m-%d}",
        }

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id}

    @property
    def duration_minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def trainee_list(self) -> list[str]:
        return [line.strip() for line in self.trainees.splitlines() if line.strip()]
