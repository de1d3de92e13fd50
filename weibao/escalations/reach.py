"""Escalations never reach nobody (ESC-1): when the people a step or an emergency action is
for cannot be reached, the message goes to the next role up the ladder.

A target (a 表 16 target or a role) is *reachable* when it has at least one holder for the
customer with a usable address on an enabled channel (see `weibao.notifications.outbox`).
When it has none, the next target of the chain is tried: the ticket's remaining ladder
targets, then the maintenance manager, then the service centre's general manager. Every
redirect is written on the ticket's timeline ("无人可通知 → 已转 …", event kind
`EscalationEvent.REDIRECTED`), and `selectors.redirects_for(ticket)` reads them back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from weibao.accounts.choices import Role
from weibao.contracts.policy import EscalationTarget
from weibao.core import batchreads
from weibao.core.events import EventText, event_text
from weibao.escalations.choices import EscalationEvent
from weibao.escalations.recipients import recipients_for
from weibao.notifications.choices import VOICE_KINDS
from weibao.notifications.outbox import Outbox

# The top of every chain: the duty manager, then the general manager (ESC-1).
FALLBACK = (EscalationTarget.MAINTENANCE_MANAGER, EscalationTarget.SERVICE_CENTER_GM)


@dataclass(frozen=True)
class Reach:
    """Who a message for `asked` goes to: `people` of `reached` ("" when nobody at all), after
    skipping the targets in `skipped` that had nobody reachable."""

    asked: str
    reached: str
    people: list = field(default_factory=list)
    skipped: tuple[str, ...] = ()

    @property
    def redirected(self) -> bool:
        return self.reached != self.asked

    def event_data(self, **extra) -> dict:
        return {"asked": self.asked, "reached": self.reached, "skipped": list(self.skipped),
                **extra}  # fmt: skip

    def message(self) -> EventText:
        """The timeline line: "无人可通知：A → 已转 B" (or "→ 无人可转")."""
        asked = member_of(self.asked)
        if self.reached:
            return event_text(
                "无人可通知：%(asked)s → 已转 %(reached)s（%(n)d 人）",
                asked=asked,
                reached=member_of(self.reached),
                n=len(self.people),
            )
        return event_text("无人可通知：%(asked)s → 上级也无人可通知", asked=asked)


def member_of(target: str) -> EscalationTarget | Role | str:
    """The 表 16 target or role `target` names (its label is read in the reader's language)."""
    for choices in (EscalationTarget, Role):
        if target in choices.values:
            return choices(target)
    return target


def label_of(target: str) -> str:
    """The display name of a 表 16 target or a role."""
    for choices in (EscalationTarget, Role):
        if target in choices.values:
            return str(choices(target).label)
    return target


def chain_after(target: str, ladder: Sequence[str] = ()) -> list[str]:
    """The targets tried after `target`: the ladder's later targets, then `FALLBACK`."""
    later = list(ladder[ladder.index(target) + 1 :]) if target in ladder else []
    chain = []
    for candidate in [*later, *FALLBACK]:
        if candidate != target and candidate not in chain:
            chain.append(candidate)
    return chain


def reach(
    target: str,
    *,
    customer,
    engineer=None,
    chain: Sequence[str] | None = None,
    outbox: Outbox | None = None,
    voice: bool = False,
    people_of=None,
) -> Reach:
    """The first of `target` and its `chain` (default: `chain_after(target)`) that has someone
    reachable for `customer`. `people_of(target)` may supply holders (e.g. a batch cache)."""
    outbox = outbox or Outbox()
    customer_id = getattr(customer, "pk", customer)
    if people_of is None:

        def people_of(who):
            return recipients_for(who, customer_id=customer_id, engineer=engineer)

    skipped = []
    for candidate in [target, *(chain_after(target) if chain is None else chain)]:
        people = outbox.reachable(people_of(candidate), customer, voice=voice)
        if people:
            return Reach(target, candidate, people, tuple(skipped))
        skipped.append(candidate)
    return Reach(target, "", [], tuple(skipped))


class Notices:
    """The notices one change writes about one ticket (e.g. the L1 notice and the emergency
    actions' assignments when an L1 ticket opens): each target's holders are looked up once,
    people's preferences and the customer's endpoints once (one `Outbox`), and every message
    is written with one INSERT by `write()`, in the caller's transaction. Inside a batch of
    `core.batchreads.shared()` (a correlation run opening many tickets), every `Notices`
    shares those look-ups: none of them changes while one transaction opens tickets."""

    def __init__(self, ticket):
        self.ticket = ticket
        self.rows: list = []  # this batch's messages (the outbox is only read through)
        # inside `batchreads.shared()`: the reads of the whole batch of tickets
        self.outbox = batchreads.once("escalations.outbox", Outbox)
        self._people: dict = batchreads.once("escalations.holders", dict)

    def people_of(self, target: str) -> list:
        ticket = self.ticket
        engineer = ticket.assigned_engineer if ticket.assigned_engineer_id else None
        key = (target, ticket.customer_id, engineer.pk if engineer else None)
        if key not in self._people:
            self._people[key] = recipients_for(
                target, customer_id=ticket.customer_id, engineer=engineer
            )
        return self._people[key]

    def notify(
        self,
        target: str,
        *,
        subject: str,
        body: str,
        kind: str,
        dedupe_key: str,
        chain: Sequence[str] | None = None,
        voice: bool | None = None,
    ) -> Reach:
        """Queue the notice for the people of `target`, or the next role up when nobody of
        `target` can be reached (the redirect is recorded on the ticket's timeline)."""
        from weibao.core.audit import record_event

        ticket = self.ticket
        if voice is None:
            voice = kind in VOICE_KINDS
        found = reach(
            target, customer=ticket.customer, chain=chain, outbox=self.outbox, voice=voice,
            people_of=self.people_of,
        )  # fmt: skip
        self.rows += self.outbox.add(
            recipients=found.people, subject=subject, body=body, kind=kind,
            dedupe_key=dedupe_key, customer=ticket.customer, ref_type="ticket",
            ref_id=str(ticket.pk), voice=voice,
        )  # fmt: skip
        self.outbox.rows = []  # kept here: a shared outbox holds no one's messages
        if found.redirected:
            record_event(
                ticket,
                kind=EscalationEvent.REDIRECTED,
                message=found.message(),
                data=found.event_data(source="notice", dedupe_key=dedupe_key),
            )
        return found

    def write(self) -> int:
        """Insert the queued messages (one already in the outbox is skipped, never doubled)."""
        self.outbox.rows, self.rows = self.rows, []
        return self.outbox.write()


def notify_reaching(
    target: str,
    *,
    ticket,
    subject: str,
    body: str,
    kind: str,
    dedupe_key: str,
    chain: Sequence[str] | None = None,
    voice: bool | None = None,
    notices: Notices | None = None,
) -> Reach:
    """Notify the people of `target` about `ticket`, or the next role up when nobody of
    `target` can be reached (the redirect is recorded on the ticket's timeline). With
    `notices` the message joins that batch (written by its `write()`); alone it is written
    at once."""
    batch = notices or Notices(ticket)
    found = batch.notify(target, subject=subject, body=body, kind=kind, dedupe_key=dedupe_key,
                         chain=chain, voice=voice)  # fmt: skip
    if notices is None:
        batch.write()
    return found
