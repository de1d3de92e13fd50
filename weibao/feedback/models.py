"""Closing the loop with the customer: callbacks and surveys after resolution (OTH-6), and
complaints tracked to the customer's confirmation (OTH-5).

The callback result itself is the ticket's `TicketCallback` (the tickets app closes or
reopens the ticket with it); `CallbackRecord` adds how it was obtained — the support
center's call, or the customer's answer to the portal survey.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from weibao.core import bounds
from weibao.core.models import AuditedModel
from weibao.core.scoping import TenantQuerySet
from weibao.feedback.choices import (
    COMPLAINT_BADGES,
    CallbackMethod,
    ComplaintChannel,
    ComplaintState,
    ConfirmationMethod,
)


class CallbackRecord(AuditedModel):
    """How one callback result was obtained: method and the person who answered."""

    tenant_path = "ticket__customer"

    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("工单"),
        on_delete=models.CASCADE,
        related_name="callback_records",
    )
    callback = models.OneToOneField(
        "tickets.TicketCallback",
        verbose_name=_("回访结果"),
        on_delete=models.CASCADE,
        related_name="record",
    )
    method = models.CharField(_("回访方式"), max_length=20, choices=CallbackMethod.choices)
    respondent = models.CharField(_("受访人"), max_length=100, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("回访记录")
        verbose_name_plural = _("回访记录")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ticket} {self.get_method_display()}"

    def archive_scope(self):
        return self.ticket.archive_scope()

    @property
    def is_survey(self) -> bool:
        return self.method == CallbackMethod.PORTAL_SURVEY


class Complaint(AuditedModel):
    """A customer's complaint (投诉, OTH-5): owned by the customer's account manager, with a
    first-response deadline from the contract policy, closed only on the customer's
    confirmation."""

    tenant_path = "customer"

    number = models.CharField(_("投诉编号"), max_length=20, unique=True, null=True, blank=True)
    customer = models.ForeignKey(
        "tenancy.Customer",
        verbose_name=_("客户"),
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    site = models.ForeignKey(
        "sites.Site",
        verbose_name=_("机房"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    ticket = models.ForeignKey(
        "tickets.Ticket",
        verbose_name=_("相关工单"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=ComplaintChannel.choices)
    text = models.TextField(_("投诉内容"), max_length=bounds.NOTE_MAX)
    complainant = models.CharField(_("投诉人"), max_length=100, blank=True)
    complainant_phone = models.CharField(_("投诉人电话"), max_length=32, blank=True)
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责客户经理"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_complaints",
    )
    state = models.CharField(
        _("状态"), max_length=10, choices=ComplaintState.choices, default=ComplaintState.OPEN
    )
    # The policy term, frozen when the complaint is received.
    response_minutes = models.PositiveIntegerField(_("首次响应时限（分钟）"))
    respond_due_at = models.DateTimeField(_("首次响应截止"), db_index=True)
    response_breached_at = models.DateTimeField(_("首次响应超时"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("首次响应时间"), null=True, blank=True)
    first_response_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("首次响应人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_response = models.TextField(_("首次响应内容"), max_length=bounds.NOTE_MAX, blank=True)
    resolution = models.TextField(_("处理结果"), max_length=bounds.NOTE_MAX, blank=True)
    resolved_at = models.DateTimeField(_("处理完成时间"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("处理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("客户确认时间"), null=True, blank=True)
    confirmed_by_name = models.CharField(_("客户确认人"), max_length=100, blank=True)
    confirmation_method = models.CharField(
        _("确认方式"), max_length=10, choices=ConfirmationMethod.choices, blank=True
    )
    confirmation_note = models.TextField(_("客户确认意见"), max_length=bounds.NOTE_MAX, blank=True)
    confirmation_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        verbose_name = _("客户投诉")
        verbose_name_plural = _("客户投诉")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["customer", "state"]),
            models.Index(
                fields=["respond_due_at"],
                name="complaint_response_due",
                condition=models.Q(
                    first_response_at__isnull=True, response_breached_at__isnull=True
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def archive_scope(self):
        return {
            "customer": self.customer_id,
            "site": self.site_id,
            "asset": self.ticket.asset_id if self.ticket_id else None,
        }

    @property
    def badge(self) -> str:
        return COMPLAINT_BADGES[self.state]

    @property
    def is_closed(self) -> bool:
        return self.state == ComplaintState.CLOSED

    @property
    def awaiting_first_response(self) -> bool:
        return self.first_response_at is None
