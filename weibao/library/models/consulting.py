"""Network-change consulting (网络改造方案咨询, OTH-4): a customer asks for a proposal, a
provider engineer owns it; the moves are written down in `library.flow`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.library.choices import CONSULTING_BADGES, ConsultingState


class ConsultingRequest(AuditedModel):
    """A request for a network-change proposal: what the customer wants changed, who at the
    provider owns it, the proposal, and where it stands."""

    tenant_path = "customer"

    number = models.CharField(_("编号"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="consulting_requests",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("主题"), max_length=200)
    description = models.TextField(_("改造需求"), max_length=bounds.NOTE_MAX)
    state = models.CharField(
        _("状态"), max_length=20, choices=ConsultingState.choices, default=ConsultingState.SUBMITTED
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责工程师"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consulting_requests",
    )
    proposal = models.TextField(_("改造方案"), max_length=bounds.NOTE_MAX, blank=True)
    delivered_at = models.DateTimeField(_("方案交付时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    close_note = models.TextField(_("关闭说明"), max_length=bounds.NOTE_MAX, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("网络改造方案咨询")
        verbose_name_plural = _("网络改造方案咨询")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number or f'#{self.pk}'} {self.title}"

    def archive_scope(self):
        return {"customer": self.customer_id, "site": self.site_id}

    @property
    def badge(self) -> str:
        return CONSULTING_BADGES[self.state]
