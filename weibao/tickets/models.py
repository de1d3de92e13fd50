"""Requests (工单): what the customer reported, how serious it is, where it is in the flow.

The clocks, the escalation ladder and the L1 emergency actions hang off a ticket in the
`sla` and `escalations` apps; the policy they are computed from is frozen onto the ticket
when it opens (`policy`), so editing the contract never moves running clocks.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from weibao.contracts.policy import Policy
from weibao.core import bounds, clock
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.sla import urgency
from weibao.tickets.choices import (
    OPEN_STAGES,
    Channel,
    ConsentMethod,
    Level,
    RequestType,
    Stage,
)


class ClassificationCriterion(AuditedModel):
    """One rule of FLT-2 / 表 15 that suggests a level when the agent ticks it."""

    scheme = models.PositiveSmallIntegerField(
        _("分级方案"), choices=[(3, _("三级")), (4, _("四级"))]
    )
    level = models.CharField(_("级别"), max_length=2, choices=Level.choices)
    category = models.CharField(_("类别"), max_length=40)
    text = models.CharField(_("判定标准"), max_length=300)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("故障分级标准")
        verbose_name_plural = _("故障分级标准")
        ordering = ["scheme", "level", "order"]

    def __str__(self) -> str:
        return _("%(label)s：%(text)s") % {
            "label": f"{self.level} {self.category}",
            "text": self.text,
        }


class ResolutionCause(AuditedModel):
    """One cause a resolution can name (TKT-4): a data list an administrator edits. The
    exclusion causes of EXC-1 are marked `is_exclusion` (the fault is outside the service)."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    is_exclusion = models.BooleanField(
        _("不在服务范围的原因"), default=False, help_text=_("EXC-1 的除外原因")
    )
    active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("故障原因")
        verbose_name_plural = _("故障原因")
        ordering = ["is_exclusion", "order", "code"]

    def __str__(self) -> str:
        return self.name


class TicketQuerySet(TenantQuerySet):
    def open(self):
        return self.filter(stage__in=OPEN_STAGES)


class Ticket(AuditedModel):
    """A request to the support center: a fault, a technical consultation or another request."""

    tenant_path = "customer"

    number = models.CharField(_("工单号"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "tenancy.Customer", verbose_name=_("客户"), on_delete=models.PROTECT, related_name="tickets"
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    asset = models.ForeignKey(
        "assets.Asset",
        verbose_name=_("设备"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("合同"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    not_covered = models.BooleanField(
        _("不在合同覆盖范围"),
        default=False,
        help_text=_("没有有效合同覆盖该机房；照常受理，但需要确认费用"),
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    request_type = models.CharField(
        _("请求类型"), max_length=20, choices=RequestType.choices, default=RequestType.FAULT
    )
    level = models.CharField(_("故障级别"), max_length=2, choices=Level.choices, blank=True)
    fault_phenomenon = models.TextField(_("故障现象"), max_length=bounds.NOTE_MAX)
    reported_at = models.DateTimeField(_("报告时间"), db_index=True)
    contact_name = models.CharField(_("联系人"), max_length=100)
    contact_phone = models.CharField(_("联系电话"), max_length=32)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.NEW)
    policy = models.JSONField(_("服务策略快照"), default=dict, editable=False)
    criteria = models.ManyToManyField(
        ClassificationCriterion, verbose_name=_("符合的分级标准"), blank=True, related_name="+"
    )
    assigned_engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责工程师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_tickets",
    )
    remote_consent_by = models.CharField(_("远程同意人"), max_length=100, blank=True)
    remote_consent_at = models.DateTimeField(_("远程同意时间"), null=True, blank=True)
    remote_consent_method = models.CharField(
        _("同意方式"), max_length=10, choices=ConsentMethod.choices, blank=True
    )
    onsite_confirmed_at = models.DateTimeField(_("客户确认需要现场时间"), null=True, blank=True)
    service_point = models.ForeignKey(
        "tenancy.ServicePoint",
        verbose_name=_("服务网点"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    distance_km = models.DecimalField(
        _("到场距离（公里）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    judged_l1_at = models.DateTimeField(
        _("判定为一级故障时间"),
        null=True,
        blank=True,
        help_text=_("应急行动的期限从此时起算（受理即为一级时为受理时间，否则为升级时间）"),
    )
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    cause = models.ForeignKey(
        ResolutionCause,
        verbose_name=_("故障原因"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    fix = models.TextField(_("处理方法"), max_length=bounds.NOTE_MAX, blank=True)
    prevention = models.TextField(_("预防建议"), max_length=bounds.NOTE_MAX, blank=True)
    third_party_coverage = models.ForeignKey(
        "library.ThirdPartyCoverage",
        verbose_name=_("第三方保修"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tickets",
    )
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("重开次数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # The queue's urgency key (weibao.tickets.queue), written only by weibao.sla.urgency when
    # a clock or a ladder step changes; `save()` leaves these columns alone.
    next_due = models.DateTimeField(_("最近截止"), null=True, blank=True, editable=False)
    next_step = models.DateTimeField(_("下一步升级"), null=True, blank=True, editable=False)
    urgency_at = models.DateTimeField(_("紧急程度排序"), default=urgency.FAR_FUTURE, editable=False)
    # L1 → 1 … L4 → 4, no level (a consultation, an unclassified request) → 5: the tie-break
    # of the urgency order, kept by the database itself.
    level_rank = models.GeneratedField(
        expression=models.Case(
            *(models.When(level=level, then=models.Value(rank)) for rank, level in
              enumerate(Level.values, 1)),
            default=models.Value(len(Level.values) + 1),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )  # fmt: skip

    objects = TicketQuerySet.as_manager()

    audit_exclude = (*AuditedModel.audit_exclude, *urgency.FIELDS, "level_rank")

    class Meta:
        verbose_name = _("工单")
        verbose_name_plural = _("工单")
        ordering = ["-reported_at"]
        indexes = [
            models.Index(fields=["customer", "stage"]),
            models.Index(fields=["stage"]),
            # A customer's (or a customer user's) tickets newest first, a keyset page deep
            # into them an index range instead of a walk over every customer's newest.
            models.Index(fields=["customer", "-reported_at", "-id"], name="ticket_customer_newest"),
            # The open queue by urgency (its ORDER BY), so a keyset page is an index scan.
            models.Index(
                fields=["urgency_at", "level_rank", "reported_at", "id"],
                condition=models.Q(stage__in=sorted(OPEN_STAGES)),
                name="ticket_open_urgency",
            ),
        ]

    def save(self, *args, **kwargs):
        """Save; an update without `update_fields` writes every column but the urgency key,
        which only `weibao.sla.urgency.refresh()` writes (a ticket loaded before its clocks
        changed must not put back the old key)."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key
                and not field.generated
                and field.name not in urgency.FIELDS
            ]
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("tickets:detail", args=[self.pk])

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id, "asset": self.asset_id}

    @property
    def frozen_policy(self) -> Policy:
        return Policy.from_dict(self.policy)

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES

    @property
    def level_key(self) -> str:
        """The row of 表 11 this ticket is answered by: its level, or its request type."""
        if self.request_type == RequestType.FAULT:
            return self.level or Level.L3
        return self.request_type


class TicketCallback(models.Model):
    """The support center's call back after resolution (客户回访): outcome and satisfaction."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="callbacks")
    at = models.DateTimeField(_("回访时间"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("回访人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    satisfied = models.BooleanField(_("客户满意"))
    score = models.PositiveSmallIntegerField(_("满意度（1–5）"), null=True, blank=True)
    note = models.TextField(_("回访记录"), max_length=bounds.NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("客户回访")
        verbose_name_plural = _("客户回访")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.at:%Y-%m-%d}"


class NoteVisibility(models.TextChoices):
    """Who reads a note: the provider's staff only, or the customer too."""

    INTERNAL = "internal", _("内部备注")
    PUBLIC = "public", _("回复客户")


class TicketNote(models.Model):
    """A work note on a ticket (TKT-3): an internal note for the provider's staff, or a reply
    the customer reads. A customer's own note is always public."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作者"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("内容"), max_length=bounds.NOTE_MAX, blank=True)
    visibility = models.CharField(
        _("可见范围"),
        max_length=10,
        choices=NoteVisibility.choices,
        default=NoteVisibility.INTERNAL,
    )
    created_at = models.DateTimeField(_("时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("工单备注")
        verbose_name_plural = _("工单备注")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"])]

    def __str__(self) -> str:
        return f"{self.ticket} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.visibility == NoteVisibility.PUBLIC


def _attachment_path(instance, filename: str) -> str:
    now = clock.now()
    return f"tickets/attachments/{now:%Y/%m}/{instance.ticket_id}/{filename}"


class TicketAttachment(models.Model):
    """A photo or file on a ticket, checked by `core.uploads` before it is stored (a photo
    without its EXIF); seen by whoever may read the note it belongs to."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    note = models.ForeignKey(
        TicketNote,
        verbose_name=_("备注"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=_attachment_path, max_length=200)
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(_("内容类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小（字节）"))
    visibility = models.CharField(
        _("可见范围"),
        max_length=10,
        choices=NoteVisibility.choices,
        default=NoteVisibility.INTERNAL,
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("工单附件")
        verbose_name_plural = _("工单附件")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
