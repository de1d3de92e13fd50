"""How a ticket's events are told (`weibao.core.event_kinds`, registered in `apps.py`): a
customer reads the ticket being taken on, its stage and level moves, the remote-access
consent and its clocks on the ticket's timeline, in words made from the event's data (never
the stored sentence, which may name the provider's people or give internal reasons); every
other ticket event (the ladder, emergency actions, callbacks, corrections …) is the
provider's. A timeline's `context` gives `visits` (a visit's id as text → {"engineer": name
as the reader may read it}) and `clocks` (the ticket's clocks)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from weibao.core.event_kinds import EventKind, Telling
from weibao.sla.choices import ClockKind
from weibao.tickets.choices import Level, Stage, TicketEvent


def _data(row) -> dict:
    return row.changes if isinstance(row.changes, dict) else {}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "—")


def _opened(row, telling: Telling) -> str | None:
    return _("%(who)s 受理了工单") % {"who": telling.who} if telling.customer else None


def _stage(row, telling: Telling) -> str | None:
    data = _data(row)
    if not data.get("target"):
        return None
    text = _("%(who)s 将工单从 %(source)s 转为 %(target)s") % {
        "who": telling.who,
        "source": _label(Stage, data.get("source")),
        "target": _label(Stage, data.get("target")),
    }
    if not telling.customer and data.get("note"):
        text += _("。备注：%(note)s") % {"note": data["note"]}
    return text


def _level(row, telling: Telling) -> str | None:
    data = _data(row)
    if not data.get("target"):
        return None
    text = _("%(who)s 将级别从 %(old)s 改为 %(new)s") % {
        "who": telling.who,
        "old": _label(Level, data.get("source")) if data.get("source") else "—",
        "new": _label(Level, data.get("target")),
    }
    if not telling.customer and data.get("reason"):
        text += _("，原因：%(reason)s") % {"reason": data["reason"]}
    return text


def _consent(row, telling: Telling) -> str | None:
    return _("已记录客户同意远程接入") if telling.customer else None


def _clock(row, telling: Telling) -> str | None:
    data = _data(row)
    kind = data.get("clock")
    visits = telling.context.get("visits") or {}
    visit = visits.get(str(data.get("visit"))) if data.get("visit") else None
    if kind == ClockKind.ONSITE_RESPONSE and visit is not None:
        clocks = telling.context.get("clocks") or []
        due = next((c.due_at for c in clocks if c.kind == ClockKind.ONSITE_ARRIVAL), None)
        if due is None:
            return _("已派工 %(engineer)s") % {"engineer": visit["engineer"]}
        return _("已派工 %(engineer)s，预计到达 %(eta)s") % {
            "engineer": visit["engineer"],
            "eta": timezone.localtime(due).strftime("%Y-%m-%d %H:%M"),
        }
    if kind == ClockKind.ONSITE_ARRIVAL and visit is not None:
        return _("%(engineer)s 已到达现场") % {"engineer": visit["engineer"]}
    if kind in ClockKind.values:
        return _("%(who)s：%(clock)s 已达成") % {
            "who": telling.who,
            "clock": _label(ClockKind, kind),
        }
    return None


_TOLD_TO_CUSTOMERS = {
    TicketEvent.OPENED: _opened,
    TicketEvent.STAGE: _stage,
    TicketEvent.LEVEL: _level,
    TicketEvent.CONSENT: _consent,
    TicketEvent.CLOCK: _clock,
}

# Ticket events are told on the ticket's own timeline, never in a customer's archive.
KINDS = [
    EventKind("ticket.*", customer_history=False),
    *(
        EventKind(kind, customer_history=False, customer_timeline=True, words=words)
        for kind, words in _TOLD_TO_CUSTOMERS.items()
    ),
    *(
        EventKind(kind, customer_history=False)
        for kind in TicketEvent
        if kind not in _TOLD_TO_CUSTOMERS
    ),
]
