"""Reads of the escalations app, for the ticket page and the API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from weibao.core.models import ChangeLog
from weibao.escalations.choices import EscalationEvent
from weibao.escalations.models import EscalationStep
from weibao.escalations.reach import label_of


@dataclass(frozen=True)
class Redirect:
    """A message whose people could not be reached, and who got it instead ("" for nobody)."""

    at: dt.datetime
    asked: str
    reached: str
    message: str

    @property
    def asked_label(self) -> str:
        return label_of(self.asked)

    @property
    def reached_label(self) -> str:
        return label_of(self.reached) if self.reached else ""


def redirects_for(ticket) -> list[Redirect]:
    """The ticket's "无人可通知 → 已转 …" records (ESC-1), oldest first."""
    rows = ChangeLog.objects.filter(
        content_type=ContentType.objects.get_for_model(ticket, for_concrete_model=False),
        object_id=str(ticket.pk),
        kind=EscalationEvent.REDIRECTED,
    ).order_by("at", "id")
    return [
        Redirect(
            at=row.at,
            asked=(row.changes or {}).get("asked", ""),
            reached=(row.changes or {}).get("reached", ""),
            message=row.text,
        )
        for row in rows
    ]


def steps_fired_since(tickets, since: dt.datetime):
    """Ladder steps (ESC-1) of `tickets` (a queryset the reader may see) fired at or after
    `since`, newest first."""
    return (
        EscalationStep.objects.filter(ticket__in=tickets, fired_at__gte=since)
        .select_related("ticket", "ticket__customer")
        .order_by("-fired_at", "-id")
    )
