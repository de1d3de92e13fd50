"""Due work of the feedback app, run by the one scheduler (`weibao.core.due`)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from weibao.accounts.choices import Role
from weibao.accounts.selectors import holders_of_role
from weibao.core import due
from weibao.core.audit import record_event
from weibao.core.events import event_text
from weibao.feedback.choices import FeedbackEvent
from weibao.feedback.models import Complaint
from weibao.notifications.services import notify


def flag_late_first_responses(*, now: dt.datetime, limit: int) -> int:
    """Complaints whose first-response deadline passed without a response (OTH-5): record the
    breach and tell the account manager and the service center GM, exactly once — the breach
    is marked in the same transaction that writes the event and the outbox rows."""
    with transaction.atomic():
        complaints = list(
            due.claim(
                Complaint.objects.filter(
                    first_response_at__isnull=True,
                    response_breached_at__isnull=True,
                    respond_due_at__lte=now,
                ).select_related("customer", "owner")
            ).order_by("respond_due_at")[:limit]
        )
        for complaint in complaints:
            complaint.response_breached_at = complaint.respond_due_at
            owners = [complaint.owner] if complaint.owner_id else []
            owners = owners or holders_of_role(Role.ACCOUNT_MANAGER, complaint.customer_id)
            people = owners + holders_of_role(Role.SERVICE_CENTER_GM, complaint.customer_id)
            deadline = timezone.localtime(complaint.respond_due_at).strftime("%Y-%m-%d %H:%M")
            notify(
                recipients=people,
                subject=event_text("【投诉超时】%(customer)s %(number)s 未在时限内首次响应",
                                   customer=complaint.customer, number=complaint.number),
                body=event_text("%(text)s\n首次响应截止：%(due)s\n负责客户经理：%(owner)s",
                                text=complaint.text, due=deadline,
                                owner=complaint.owner or event_text("未指定")),
                kind="complaint_breach",
                dedupe_key=f"complaint:{complaint.pk}:response_breach",
                customer=complaint.customer,
                ref_type="complaint",
                ref_id=str(complaint.pk),
            )  # fmt: skip
            record_event(
                complaint,
                kind=FeedbackEvent.COMPLAINT_BREACH,
                message=event_text(
                    "首次响应超时（截止 %(due)s），已通知客户经理和服务中心总经理（%(n)d 人）",
                    due=deadline,
                    n=len(set(people)),
                ),
            )
        Complaint.objects.bulk_update(complaints, ["response_breached_at"])
    return len(complaints)
