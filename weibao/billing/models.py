"""Out-of-scope work and what it costs (EXC-1..3).

The causes that put work outside the contract are rows an administrator edits
(`ExclusionCause`). An engineer records that a ticket — or later a repair — is out of scope
(`Exclusion`: causes and evidence); the work becomes billable through a `Statement` of cost
lines that the customer approves or rejects in the portal.

Exclusions and statements name their subject generically (content type + id), so a repair
(`weibao.repairs`) can be a subject without a change here: the subject only needs
`archive_scope()` returning its customer, site and asset.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from weibao.billing import pricing
from weibao.billing.choices import (
    EVIDENCE_EXTENSIONS,
    STATE_BADGES,
    LineKind,
    StatementState,
)
from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet


class ExclusionCause(AuditedModel):
    """One cause that puts work outside the contract (EXC-1), e.g. 雷击 or 未经授权的改装."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=200)
    description = models.TextField(_("说明"), max_length=bounds.NOTE_MAX, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("不在承保范围的原因")
        verbose_name_plural = _("不在承保范围的原因")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class OnSubject(AuditedModel):
    """Something about a ticket or a repair: its subject, and the customer, site and asset
    it belongs to (copied from the subject, so scoping and the archive need no join)."""

    tenant_path = "customer"

    subject_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.PositiveBigIntegerField(_("对象编号"))
    subject = GenericForeignKey("subject_type", "subject_id")
    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="+"
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        abstract = True

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.asset_id}

    @property
    def subject_label(self) -> str:
        """The subject as people name it, e.g. "工单 WB260302-00001"."""
        return f"{self.subject_type.name} {self.subject}"


class Exclusion(OnSubject):
    """A ticket or repair found out of scope (EXC-2): why, and the evidence for it."""

    # The change log stores plain values; the file's name is in the marking event instead.
    audit_exclude = ("created_at", "updated_at", "attachment")

    causes = models.ManyToManyField(
        ExclusionCause, verbose_name=_("原因"), related_name="exclusions"
    )
    evidence = models.TextField(_("证据说明"), max_length=bounds.NOTE_MAX)
    attachment = models.FileField(
        _("证据附件"),
        upload_to="billing/evidence/%Y/%m/",
        blank=True,
        validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)],
        help_text=_("现场照片或文件（可选）"),
    )
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("认定人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    marked_at = models.DateTimeField(_("认定时间"))

    class Meta:
        verbose_name = _("不在承保范围认定")
        verbose_name_plural = _("不在承保范围认定")
        ordering = ["-marked_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="one_exclusion_per_subject"
            )
        ]

    def __str__(self) -> str:
        return str(_("%(subject)s 不在承保范围") % {"subject": self.subject_label})


class Statement(OnSubject):
    """A billable statement (收费确认单): cost lines the customer approves or rejects."""

    number = models.CharField(_("编号"), max_length=20, unique=True, null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    exclusion = models.ForeignKey(
        Exclusion,
        verbose_name=_("不在承保范围认定"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="statements",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("该收费工作不在其承保范围内的合同（可选）"),
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=StatementState.choices, default=StatementState.DRAFT
    )
    revision = models.PositiveSmallIntegerField(
        _("发送次数"), default=0, help_text=_("每次发送给客户加一")
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("编制人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("客户确认时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("客户确认人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("客户意见"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("收费确认单")
        verbose_name_plural = _("收费确认单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["customer", "state"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @cached_property
    def totals(self) -> pricing.Totals:
        return pricing.totals(self.lines.all())

    @property
    def total(self):
        return self.totals.total

    @property
    def badge(self) -> str:
        return STATE_BADGES[self.state]

    @property
    def is_draft(self) -> bool:
        return self.state == StatementState.DRAFT


class StatementLine(models.Model):
    """One cost line: labour (hours × rate), a part (quantity × catalog price, with its part
    number), travel, or the technical service fee. Changed only while the statement is a
    draft; the statement's events record each change."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(_("序号"), default=0)
    kind = models.CharField(_("类别"), max_length=20, choices=LineKind.choices)
    description = models.CharField(_("项目说明"), max_length=200)
    part_number = models.CharField(
        _("备件编号"), max_length=60, blank=True, help_text=_("备件/材料的型号或料号")
    )
    quantity = models.DecimalField(_("数量"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("单位"), max_length=10)
    unit_price = models.DecimalField(_("单价（元）"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("费用明细")
        verbose_name_plural = _("费用明细")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"

    @property
    def amount(self):
        return pricing.line_amount(self.quantity, self.unit_price)
