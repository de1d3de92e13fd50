"""What the customer is told about inspections (INS-2), written to the notification outbox in
the caller's transaction."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from weibao.core.events import event_text
from weibao.notifications.services import notify


def customer_recipients(customer) -> list:
    """The customer's own active users (their robots and webhooks are reached through
    `notify(customer=...)`)."""
    return list(get_user_model().objects.filter(customer=customer, is_active=True))


def _what(visit) -> dict:
    return {
        "site": visit.site.name,
        "title": visit.title,
        "day": visit.planned_date.isoformat(),
        "engineer": visit.engineer or event_text("待定"),
        "note": event_text("（暂定，待国家放假安排公布后确认）") if visit.provisional else "",
    }


def notify_reminder(visit) -> None:
    """The advance notice of a planned visit; exactly once per visit (dedupe key)."""
    what = _what(visit)
    notify(
        recipients=customer_recipients(visit.customer),
        # worded in each recipient's language by the outbox
        subject=event_text("【巡检通知】%(day)s %(site)s %(title)s", **what),
        body=event_text(
            "我司将于 %(day)s%(note)s 对 %(site)s 进行%(title)s，巡检工程师：%(engineer)s。"
            "巡检分为系统检查和常规检查，请提前做好准备；如需调整时间请联系客户经理。",
            **what,
        ),
        kind="inspection_reminder",
        dedupe_key=f"inspection:{visit.pk}:reminder",
        customer=visit.customer,
        ref_type="inspection",
        ref_id=str(visit.pk),
    )


def notify_moved(visit, move) -> None:
    """A visit the customer already knew about was moved."""
    what = _what(visit) | {"old": move.from_date.isoformat(), "reason": move.reason}
    notify(
        recipients=customer_recipients(visit.customer),
        subject=event_text("【巡检改期】%(site)s 巡检改至 %(day)s", **what),
        body=event_text(
            "原定 %(old)s 对 %(site)s 的%(title)s改至 %(day)s%(note)s。原因：%(reason)s", **what
        ),
        kind="inspection_moved",
        dedupe_key=f"inspection:{visit.pk}:move:{move.pk}",
        customer=visit.customer,
        ref_type="inspection",
        ref_id=str(visit.pk),
    )
