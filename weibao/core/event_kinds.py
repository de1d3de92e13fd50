"""What each kind of change-log event tells whom: one declaration per kind, registered by the
app that owns the kind, read by every list of events (an object's history, a site's or
asset's archive, a ticket's timeline).

A declaration says

- whether a customer's user reads the event in histories and archives, where it reads as
  its stored sentence (`ChangeLog.text`): `customer_history`;
- whether a customer's user reads it on its ticket's timeline: `customer_timeline`;
- how a timeline words it (`words(row, telling) -> str | None`, given the reader's side and
  what the timeline gathered): a customer gets the words or nothing, the provider's staff the
  words or else the stored sentence. Without `words` both read the stored sentence.

Register in the app's `AppConfig.ready()`::

    from weibao.core import event_kinds
    event_kinds.register(EventKind(TicketEvent.STAGE, customer_timeline=True, words=...))

`kind` is one kind ("ticket.stage") or a family: "ticket.*" (every kind starting so) or
"*.data_repair" (ending so). A kind's own declaration wins over its family's; a kind nobody
declared is read by a customer in histories and archives, never on a timeline.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q


@dataclass(frozen=True)
class Telling:
    """What a timeline knows when it words one event for one reader: the actor as the reader
    may read them (`who`), whether the reader is a customer's user, and what it gathered
    (`context`, e.g. a ticket's visits and clocks)."""

    who: str
    customer: bool
    context: Mapping[str, Any] = field(default_factory=dict)


Words = Callable[[Any, Telling], "str | None"]


@dataclass(frozen=True)
class EventKind:
    """How the events of one kind (or family of kinds) are told, and to whom."""

    kind: str
    customer_history: bool = True
    customer_timeline: bool = False
    words: Words | None = None

    @property
    def is_family(self) -> bool:
        return self.kind.startswith("*") or self.kind.endswith("*")

    def matches(self, kind: str) -> bool:
        if self.kind.endswith("*"):
            return kind.startswith(self.kind[:-1])
        if self.kind.startswith("*"):
            return kind.endswith(self.kind[1:])
        return kind == self.kind

    def lookup(self) -> Q:
        """The change-log rows of this kind or family."""
        if self.kind.endswith("*"):
            return Q(kind__startswith=self.kind[:-1])
        if self.kind.startswith("*"):
            return Q(kind__endswith=self.kind[1:])
        return Q(kind=self.kind)


UNDECLARED = EventKind("*")

_kinds: dict[str, EventKind] = {}


def register(*declarations: EventKind) -> None:
    """Declare how kinds are told (from `AppConfig.ready()`); declaring a kind again the same
    way is harmless, differently a configuration error."""
    for each in declarations:
        declaration = EventKind(str(each.kind), each.customer_history,
                                each.customer_timeline, each.words)  # fmt: skip
        known = _kinds.get(declaration.kind)
        if known is not None and known != declaration:
            raise ImproperlyConfigured(
                f"the event kind {declaration.kind!r} is declared twice, differently"
            )
        _kinds[declaration.kind] = declaration


def declared(kind: str) -> EventKind:
    """The declaration of `kind`: its own, else its family's (the longest), else
    `UNDECLARED`."""
    own = _kinds.get(kind)
    if own is not None:
        return own
    families = [d for d in _kinds.values() if d.is_family and d.matches(kind)]
    return max(families, key=lambda d: len(d.kind), default=UNDECLARED)


def hidden_from_customers() -> Q:
    """The change-log events a customer's user does not read in histories and archives."""
    families = [d for d in _kinds.values() if d.is_family and not d.customer_history]
    kinds = [d for d in _kinds.values() if not d.is_family]
    alone = sorted(d.kind for d in kinds if not d.customer_history
                   and not any(f.matches(d.kind) for f in families))  # fmt: skip
    hidden = Q(kind__in=alone) if alone else Q()
    for family in families:
        readable = [d.kind for d in kinds if d.customer_history and family.matches(d.kind)]
        hidden |= family.lookup() & ~Q(kind__in=readable) if readable else family.lookup()
    return hidden


def timeline_kinds(family: str) -> list[str]:
    """The kinds of `family` ("visit.*") declared one by one that a customer reads on a
    timeline (a ticket's timeline gathers these from its visits)."""
    probe = EventKind(family)
    return sorted(k for k, d in _kinds.items()
                  if not d.is_family and d.customer_timeline and probe.matches(k))  # fmt: skip


def tell(row, telling: Telling) -> str | None:
    """The event `row` in the reader's words on a timeline, or None when the reader may not
    read it there."""
    declaration = declared(row.kind)
    if telling.customer and not declaration.customer_timeline:
        return None
    stored = getattr(row, "text", row.message)
    if declaration.words is None:
        return stored
    text = declaration.words(row, telling)
    if text is not None:
        return text
    return None if telling.customer else stored
