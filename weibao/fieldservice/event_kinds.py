"""How a visit's events are told (`weibao.core.event_kinds`, registered in `apps.py`): a
customer reads on the ticket's timeline that the engineer set off, finished or that the
visit was cancelled, naming the engineer as the reader may read them (the timeline's
`context["visits"]`); dispatch and arrival are told by the ticket's clock events; the other
visit events are the provider's. A technical plan carried out stays in the customer's
archive."""

from __future__ import annotations

from django.utils.translation import gettext as _

from weibao.core.event_kinds import EventKind, Telling
from weibao.fieldservice.choices import VisitEvent


def _visit(row, telling: Telling) -> str | None:
    visit = (telling.context.get("visits") or {}).get(row.object_id)
    if visit is None:
        return None
    texts = {
        VisitEvent.DEPARTED: _("%(engineer)s 已出发"),
        VisitEvent.CHECKED_OUT: _("%(engineer)s 已完成现场服务"),
        VisitEvent.CANCELLED: _("现场服务已取消（%(engineer)s）"),
    }
    return texts[row.kind] % {"engineer": visit["engineer"]}


_TOLD_TO_CUSTOMERS = (VisitEvent.DEPARTED, VisitEvent.CHECKED_OUT, VisitEvent.CANCELLED)

KINDS = [
    EventKind("visit.*", customer_history=False),
    *(
        EventKind(kind, customer_history=False, customer_timeline=True, words=_visit)
        for kind in _TOLD_TO_CUSTOMERS
    ),
    *(
        EventKind(kind, customer_history=False)
        for kind in VisitEvent
        if kind.startswith("visit.") and kind not in _TOLD_TO_CUSTOMERS
    ),
    EventKind(VisitEvent.PLAN_EXECUTED),
    # VisitEvent.TICKET_CLOCK is the ticket's clock event, declared by the tickets app
]
