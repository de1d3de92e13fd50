"""Reads for the ticket screens: the queue by urgency, a ticket with everything it
shows, and the open L1 tickets the banner announces."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.translation import gettext as _

from weibao.accounts.display import public_name
from weibao.core import event_kinds
from weibao.core.event_kinds import Telling
from weibao.core.models import ChangeLog
from weibao.core.selectors import history_for
from weibao.escalations.choices import EscalationEvent
from weibao.sla.choices import OPEN_CLOCK_STATES, ClockKind
from weibao.sla.models import ClockState
from weibao.tickets import queue as queue_rules
from weibao.tickets.choices import Level, Stage, TicketEvent
from weibao.tickets.models import NoteVisibility, Ticket, TicketAttachment


def queue(user, *, level: str = "", stage: str = ""):
    """Open tickets the user may see, most urgent first (a queryset): breached first, the
    longest overdue on top, then the nearest running deadline or pending ladder step, level as
    tie-breaker (`weibao.tickets.queue`)."""
    tickets = (
        Ticket.objects.visible_to(user)
        .open()
        .select_related("customer", "site", "assigned_engineer")
    )
    if level:
        tickets = tickets.filter(level=level)
    if stage:
        tickets = tickets.filter(stage=stage)
    return queue_rules.ordered(tickets, "urgency")


def open_level_one(user) -> list[Ticket]:
    return list(
        Ticket.objects.visible_to(user).open().filter(level=Level.L1).only("id", "number")[:10]
    )


def ticket_page(ticket: Ticket, reader=None) -> dict:
    """What the ticket page shows `reader`. A customer gets no ladder, emergency actions,
    callbacks or audit rows (empty lists): only what `customer_safe` allows."""
    customer = is_customer(reader)
    clocks = list(ticket.clocks.all())
    return {
        "clocks": clocks,
        "eta": eta(ticket, clocks),
        "steps": [] if customer else list(ticket.escalation_steps.all()),
        "actions": [] if customer else list(ticket.emergency_actions.all()),
        "callbacks": [] if customer else list(ticket.callbacks.select_related("by")),
        "criteria": list(ticket.criteria.all()),
        "history": [] if customer else history_for(ticket),
        "timeline": timeline(ticket, reader),
        "engineer_name": public_name(ticket.assigned_engineer, reader),
    }


def is_customer(reader) -> bool:
    """Whether `reader` is a customer's user: they get the customer-safe view."""
    return bool(getattr(reader, "customer_id", None))


def eta(ticket: Ticket, clocks=None):
    """When the engineer is due on site (the running arrival clock's deadline), or None."""
    for each in clocks if clocks is not None else ticket.clocks.all():
        if each.kind == ClockKind.ONSITE_ARRIVAL and each.state in OPEN_CLOCK_STATES:
            return each.due_at
    return None


@dataclass
class Entry:
    """One line of a ticket's timeline: a move in words, or a note with its files."""

    at: dt.datetime
    who: str
    text: str
    kind: str = "event"  # "event" | "note"
    label: str = ""
    internal: bool = False
    attachments: list = field(default_factory=list)
    note_id: int | None = None

    @property
    def show_who(self) -> bool:
        """Whether the line names its author apart (the text does not start with it)."""
        return self.kind == "note" or not self.text.startswith(self.who)


def _who(row, reader, customer: bool) -> str:
    if not customer:
        return row.actor_name or (str(row.actor) if row.actor else _("系统"))
    if row.actor is None and row.actor_name:
        return _("服务商")
    return public_name(row.actor, reader)


def timeline(ticket: Ticket, reader=None, *, limit: int = 300) -> list[Entry]:
    """The ticket's story for `reader`, oldest first: its moves in words (stage and level
    changes, dispatch and arrival, clocks met or breached, ladder steps for staff) and its
    notes with their files. A customer sees only public notes and the events whose kind's
    declaration tells them on the timeline (`weibao.core.event_kinds`, in the words it gives),
    and the provider's people by role (`public_name`); of the visits' events it gathers those
    a customer reads there (setting off, finishing, cancelling)."""
    customer = is_customer(reader)
    visits = {
        str(v.pk): {"engineer": public_name(v.engineer, reader)}
        for v in ticket.visits.select_related("engineer")
    }
    context = {"visits": visits, "clocks": list(ticket.clocks.all())}
    visit_events = event_kinds.timeline_kinds("visit.*")
    types = ContentType.objects.get_for_models(Ticket, *([ticket.visits.model] if visits else []))
    rows = ChangeLog.objects.filter(action=ChangeLog.Action.EVENT).filter(
        Q(content_type=types[Ticket], object_id=str(ticket.pk))
        | (Q(content_type=types[ticket.visits.model], object_id__in=list(visits),
             kind__in=visit_events) if visits else Q(pk__in=[]))
    ).select_related("actor").order_by("-at", "-id")[:limit]  # fmt: skip
    entries = []
    for row in rows:
        who = _who(row, reader, customer)
        text = event_kinds.tell(row, Telling(who, customer, context))
        if text:
            entries.append(Entry(at=row.at, who=who, text=text, kind="event",
                                 label=_event_label(row.kind)))  # fmt: skip
    notes = ticket.notes.select_related("author").prefetch_related("attachments")
    if customer:
        notes = notes.filter(visibility=NoteVisibility.PUBLIC)
    for note in notes:
        entries.append(
            Entry(
                at=note.created_at,
                who=public_name(note.author, reader),
                text=note.body,
                kind="note",
                label=str(note.get_visibility_display()),
                internal=not note.is_public,
                attachments=list(note.attachments.all()),
                note_id=note.pk,
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries


def _event_label(kind: str) -> str:
    for choices in (TicketEvent, EscalationEvent):
        if kind in choices.values:
            return str(choices(kind).label)
    return _("现场服务") if kind.startswith("visit.") else ""


def visible_notes(ticket: Ticket, reader):
    """The notes of `ticket` that `reader` may read (a customer: public ones), oldest first."""
    notes = ticket.notes.select_related("author").prefetch_related("attachments")
    if is_customer(reader):
        notes = notes.filter(visibility=NoteVisibility.PUBLIC)
    return notes


def visible_attachment(user, pk: int) -> TicketAttachment:
    """The attachment `user` may download: on a ticket they see, and public for a customer;
    otherwise `TicketAttachment.DoesNotExist`."""
    attachments = TicketAttachment.objects.filter(ticket__in=Ticket.objects.visible_to(user))
    if is_customer(user):
        attachments = attachments.filter(visibility=NoteVisibility.PUBLIC)
    return attachments.get(pk=pk)


def allowed_actions(ticket: Ticket, user) -> set[str]:
    """The ticket page's actions besides the flow's moves that `user` may take now, given the
    ticket's state (the page shows only their forms; the services check again when they are
    used): consent while it is missing before remote support, "phone response" and "remote
    connected" while their clock is open, pause while a clock runs, resume while one is
    paused, dispatch once on-site support is confirmed, notes for `ticket.open`."""
    from weibao.accounts.capabilities import Capability
    from weibao.core import permissions
    from weibao.tickets.flow import assigned_refusal

    def can(capability) -> bool:
        return permissions.can(user, capability, customer_id=ticket.customer_id)

    allowed: set[str] = set()
    if can(Capability.TICKET_OPEN):
        allowed.add("note")
    if ticket.is_open:
        if can(Capability.TICKET_CLASSIFY) and ticket.level:
            allowed.add("level")
        if can(Capability.TICKET_WORK) and assigned_refusal(ticket, user) is None:
            allowed |= _work_actions(ticket)
        onsite = ticket.stage in _ONSITE_STAGES or ticket.onsite_confirmed_at is not None
        if can(Capability.TICKET_DISPATCH) and onsite:
            allowed.add("dispatch")
    elif can(Capability.TICKET_CLASSIFY) and ticket.level:
        allowed.add("reclassify")
    if ticket.stage == Stage.RESOLVED and can(Capability.TICKET_CALLBACK):
        allowed.add("callback")
    if not user.customer_id:
        allowed.add("emergency_actions")
    elif ticket.stage == Stage.RESOLVED and can(Capability.DOCUMENT_SIGN):
        allowed.add("survey")
    return allowed


_ONSITE_STAGES = frozenset({Stage.ONSITE, Stage.EXPERT_ONSITE, Stage.EMERGENCY})


def _work_actions(ticket: Ticket) -> set[str]:
    """The clock and consent actions that make sense in the ticket's state now."""
    states = {c.kind: c.state for c in ticket.clocks.all()}
    actions: set[str] = set()
    if ticket.remote_consent_at is None and ticket.stage in (Stage.NEW, Stage.PHONE):
        actions.add("consent")
    if states.get(ClockKind.PHONE_RESPONSE) in OPEN_CLOCK_STATES:
        actions.add("respond")
    if states.get(ClockKind.REMOTE_RESPONSE) in OPEN_CLOCK_STATES:
        actions.add("remote_connected")
    if ClockState.RUNNING in states.values():
        actions.add("pause")
    if ClockState.PAUSED in states.values():
        actions.add("resume")
    return actions


def customer_open_requests(user):
    """A customer's open requests, newest first, each with `eta`: when the engineer is due
    on site (the running arrival clock's deadline, as `eta()` says), None otherwise."""
    from django.db.models import Min

    arrival = Q(clocks__kind=ClockKind.ONSITE_ARRIVAL, clocks__state=ClockState.RUNNING)
    return (
        Ticket.objects.visible_to(user)
        .open()
        .select_related("site")
        .annotate(eta=Min("clocks__due_at", filter=arrival))
        .order_by("-reported_at", "-id")
    )
