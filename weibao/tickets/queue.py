"""The ticket queue as the database computes it: urgency order, search, filters and keyset
pages, shared by the agent's queue page, the customer's 我的报修 and `GET /api/tickets/`.

Urgency (the default order), read from a key stored on each ticket (`weibao.sla.urgency`,
kept whenever a clock or a ladder step changes) through the index of the open queue, so a
page of 50 reads 51 index entries whatever the size of the queue:

1. breached first — a clock breached or running past its deadline — the longest overdue on top;
2. then the nearest deadline: a running clock or a pending ladder step, whichever comes first;
3. then tickets with no deadline at all, oldest report first;

the level breaks ties (L1 before L2 …), then the id, so every ticket has one place in the order.

Pages are keyset pages: a cursor holds the sort key of the last (or first) row shown and the
next page starts after it, so page 50 costs what page 1 costs and a ticket that moves while
someone pages is neither shown twice nor skipped because of an offset.

Search (`text`) matches a substring of the number, the caller's phone and name, the fault
phenomenon, and the name or code of the site and the customer. Sites and customers matching
are looked up first (small tables) so the ticket query stays one table with an OR of indexed
conditions; on PostgreSQL each ticket column has a trigram index (docs/adr/queue-search-trigram.md).
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import heapq
import json

from django.conf import settings
from django.db.models import (
    Case,
    DateTimeField,
    F,
    Q,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from weibao.core import clock
from weibao.sites.models import Site
from weibao.sla import urgency
from weibao.tenancy.models import Customer
from weibao.tickets.choices import OPEN_STAGES, Stage

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# The total of a list is counted exactly up to this many tickets, then shown as "more than"
# (counting 100,000 open tickets costs tens of ms a request; nobody reads past a thousand).
COUNT_CAP = 1000


class States:
    """Which tickets a list shows by stage: open work, resolved, closed, or all."""

    OPEN = "open"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ALL = "all"
    CHOICES = (OPEN, RESOLVED, CLOSED, ALL)


# The columns a list row shows (the queue page, 我的报修, `GET /api/tickets/`'s light rows)
# and the keys it is sorted and paged by; nothing else is read, converted or kept per row.
ROW_COLUMNS = (
    "id", "number", "customer_id", "site_id", "channel", "request_type", "level", "stage",
    "fault_phenomenon", "reported_at", "contact_name", "contact_phone", "assigned_engineer_id",
    "not_covered", "next_due", "next_step", "resolved_at", "closed_at", "urgency_at",
    "level_rank",
    "customer__id", "customer__name",
    "site__id", "site__name",
    "assigned_engineer__id", "assigned_engineer__username", "assigned_engineer__full_name",
    "assigned_engineer__customer_id",
)  # fmt: skip


def rows_of(tickets):
    """`tickets` as the list reads them (the queue page, 我的报修, `GET /api/tickets/`): with
    the customer, site and engineer in the same statement, and only the columns a row shows
    (ROW_COLUMNS; another field read from a row costs a query of its own)."""
    return tickets.select_related("customer", "site", "assigned_engineer").only(*ROW_COLUMNS)


def in_state(tickets, state: str):
    if state == States.OPEN:
        return tickets.filter(stage__in=OPEN_STAGES)
    if state == States.RESOLVED:
        return tickets.filter(stage=Stage.RESOLVED)
    if state == States.CLOSED:
        return tickets.filter(stage=Stage.CLOSED)
    return tickets


def search(tickets, text: str):
    """Tickets whose number, caller phone or name, phenomenon, site or customer (name or code)
    contains `text` (any case; Chinese substrings too)."""
    text = text.strip()
    if not text:
        return tickets
    sites = Site.objects.filter(Q(name__icontains=text) | Q(code__icontains=text))
    customers = Customer.objects.filter(Q(name__icontains=text) | Q(code__icontains=text))
    return tickets.filter(
        Q(number__icontains=text)
        | Q(contact_phone__icontains=text)
        | Q(contact_name__icontains=text)
        | Q(fault_phenomenon__icontains=text)
        | Q(site_id__in=_ids(sites))
        | Q(customer_id__in=_ids(customers))
    )


def _ids(rows, limit: int = 1000):
    """The matching ids as a list (so PostgreSQL ORs index scans — an IN (subquery) inside an
    OR makes it scan every ticket), or the subquery itself when there are very many."""
    ids = list(rows.values_list("pk", flat=True)[: limit + 1])
    return rows.values("pk") if len(ids) > limit else ids


def assigned_to(tickets, engineer: str, *, user):
    """`mine`: assigned to `user`; `unassigned`: to nobody; an id: to that engineer."""
    if engineer == "mine":
        return tickets.filter(assigned_engineer=user)
    if engineer == "unassigned":
        return tickets.filter(assigned_engineer__isnull=True)
    if engineer:
        return tickets.filter(assigned_engineer_id=int(engineer))
    return tickets


def reported_between(tickets, start: dt.date | None, end: dt.date | None):
    """Reported on `start` … `end` (local dates, both included), as a range on the indexed
    column rather than a date cast of it."""
    zone = timezone.get_current_timezone()
    if start:
        tickets = tickets.filter(reported_at__gte=dt.datetime.combine(start, dt.time(), zone))
    if end:
        after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), zone)
        tickets = tickets.filter(reported_at__lt=after)
    return tickets


# --- order -------------------------------------------------------------------------------


def with_urgency(tickets, *, now: dt.datetime | None = None):
    """Annotate `urgent_at`, the urgency sort key at `now`: the stored key
    (`weibao.sla.urgency`), or — for a ticket whose clock deadline passed since its key was
    written (the runner records the breach within its tick) — that deadline moved back as a
    breach. `next_due` and `next_step` are columns of the ticket."""
    now = now or clock.now()
    return tickets.annotate(
        urgent_at=Case(
            When(_late(now), then=F("next_due") - Value(urgency.BREACHED_SHIFT)),
            default=F("urgency_at"),
            output_field=DateTimeField(),
        )
    )


def _late(now: dt.datetime) -> Q:
    """Tickets whose stored key is not a breach although their clock deadline has passed."""
    return Q(urgency_at__gte=urgency.BREACHED_BEFORE, urgency_at__lt=now, next_due__lt=now)


@dataclasses.dataclass(frozen=True)
class Key:
    """One column of a sort: the (annotated) field, its direction, and its cursor type."""

    field: str
    descending: bool = False
    kind: str = "int"  # int | datetime | str


ORDERINGS: dict[str, tuple[Key, ...]] = {
    "urgency": (
        Key("urgent_at", kind="datetime"),
        Key("level_rank"),
        Key("reported_at", kind="datetime"),
        Key("pk"),
    ),
    "reported_at": (Key("reported_at", kind="datetime"), Key("pk")),
    "-reported_at": (Key("reported_at", True, "datetime"), Key("pk", True)),
    "number": (Key("number_key", kind="str"), Key("pk")),
    "-number": (Key("number_key", True, "str"), Key("pk", True)),
    "level": (Key("level_rank"), Key("reported_at", True, "datetime"), Key("pk", True)),
    "-level": (Key("level_rank", True), Key("reported_at", True, "datetime"), Key("pk", True)),
    "id": (Key("pk"),),
    "-id": (Key("pk", True),),
}


def ordered(tickets, ordering: str):
    """`tickets` in `ordering` (a key of ORDERINGS), with the annotations its keys need."""
    keys = ORDERINGS[ordering]
    if ordering == "urgency":
        tickets = with_urgency(tickets)
    elif ordering in ("number", "-number"):
        tickets = tickets.annotate(number_key=Coalesce("number", Value("")))
    return tickets.order_by(*(("-" if key.descending else "") + key.field for key in keys))


def in_order(tickets, ordering: str, *, chunk_size: int = 2000):
    """Every row of `tickets` in `ordering`, read in chunks (the Excel export). The urgency
    order reads the same two index paths as a page (the stored key, and the few tickets whose
    deadline passed since it was written), merged as they stream."""
    if ordering != "urgency":
        return ordered(tickets, ordering).iterator(chunk_size=chunk_size)
    keys = ORDERINGS[ordering]
    stored, late = _urgency_parts(tickets, keys, clock.now())
    return heapq.merge(
        stored.iterator(chunk_size=chunk_size),
        late.iterator(chunk_size=chunk_size),
        key=lambda row: tuple(getattr(row, key.field) for key in keys),
    )


def count_capped(tickets, cap: int | None = None) -> tuple[int, bool]:
    """How many `tickets`, counted exactly up to `cap` (`settings.TICKET_QUEUE_COUNT_CAP`,
    default COUNT_CAP): `(n, False)`, or `(cap, True)` when there are more than `cap`."""
    if cap is None:
        cap = getattr(settings, "TICKET_QUEUE_COUNT_CAP", COUNT_CAP)
    counted = tickets.order_by()[: cap + 1].count()
    return (cap, True) if counted > cap else (counted, False)


# --- keyset pages ------------------------------------------------------------------------


class BadCursor(ValueError):
    """The cursor was not made by this list (edited, truncated, or for another order)."""


@dataclasses.dataclass
class Page:
    rows: list
    total: int
    next_cursor: str | None
    previous_cursor: str | None
    total_capped: bool = False  # there are more than `total` (see count_capped)


def page(tickets, ordering: str, *, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """One keyset page of `tickets` (already filtered) in `ordering`, after or before the row
    a `cursor` of a previous page points at. Raises BadCursor for a cursor not of this order."""
    keys = ORDERINGS[ordering]
    backwards, values = _decode(cursor, keys) if cursor else (False, None)
    total, capped = count_capped(tickets)
    if ordering == "urgency":
        rows = _urgency_window(tickets, keys, values, backwards=backwards, limit=size + 1)
    else:
        rows = _window(ordered(tickets, ordering), keys, values, backwards, size + 1)
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = (more if not backwards else True) and bool(rows)
    has_previous = (values is not None if not backwards else more) and bool(rows)
    return Page(
        rows=rows,
        total=total,
        total_capped=capped,
        next_cursor=_encode(keys, rows[-1], backwards=False) if has_next else None,
        previous_cursor=_encode(keys, rows[0], backwards=True) if has_previous else None,
    )


def _window(tickets, keys, values, backwards: bool, limit: int) -> list:
    """Up to `limit` rows of the ordered `tickets` after (before) the sort key `values`, in
    the direction of travel."""
    if values is not None:
        tickets = tickets.filter(_beyond(keys, values, backwards=backwards))
    if backwards:
        tickets = tickets.reverse()
    return list(tickets[:limit])


def _urgency_window(tickets, keys, values, *, backwards: bool, limit: int) -> list:
    """The urgency order as two index reads merged: the stored key (`ticket_open_urgency`
    walks the open queue in order), and the tickets whose deadline passed since their key was
    written, with their key computed now. Those are read as sort keys first: usually there are
    none (the runner re-keys them every tick) and the stored read is the page. When there are
    some, the stored read is sort keys too, and the page's rows are read by id in one
    statement (reading both windows as whole rows read and threw away up to a page of rows)."""
    stored, late = _urgency_parts(tickets, keys, clock.now())
    fields = [key.field for key in keys]
    late_keys = _window(late.values_list(*fields), keys, values, backwards, limit)
    if not late_keys:
        return _window(stored, keys, values, backwards, limit)
    merged = [*map(tuple, late_keys)]
    merged += map(tuple, _window(stored.values_list(*fields), keys, values, backwards, limit))
    merged = sorted(merged, reverse=backwards)[:limit]  # pk is the last key: all differ
    found = tickets.order_by().in_bulk([key[-1] for key in merged])
    rows = []
    for key in merged:
        row = found.get(key[-1])
        if row is not None:  # (closed or gone since its key was read: left out)
            for field, value in zip(fields, key, strict=True):
                setattr(row, field, value)
            rows.append(row)
    return rows


def _urgency_parts(tickets, keys, now: dt.datetime):
    """`tickets` as the two ordered reads of the urgency order: those whose stored key holds
    (through `ticket_open_urgency`), and those whose deadline passed since it was written."""
    order = [("-" if key.descending else "") + key.field for key in keys]
    stored = tickets.exclude(_late(now)).annotate(urgent_at=F("urgency_at")).order_by(*order)
    late = (
        tickets.filter(_late(now))
        .annotate(urgent_at=F("next_due") - Value(urgency.BREACHED_SHIFT))
        .order_by(*order)
    )
    return stored, late


def _beyond(keys: tuple[Key, ...], values: list, *, backwards: bool) -> Q:
    """Rows after (or before) the row whose sort key is `values`: for keys k1..kn,
    k1 ≻ v1, or k1 = v1 and k2 ≻ v2, …  (≻ is > for ascending keys, < for descending) — and
    k1 ⪰ v1 besides, which those imply: a bound of the index's own, so that a page deep into
    a list starts where the cursor points instead of filtering every row before it."""
    first = keys[0]
    bound = Q(**{f"{first.field}__{'gte' if first.descending == backwards else 'lte'}": values[0]})
    condition = Q(pk__in=[])
    for i, key in enumerate(keys):
        later = key.descending == backwards  # ascending forwards, descending backwards
        step = Q(**{f"{key.field}__{'gt' if later else 'lt'}": values[i]})
        for earlier, value in zip(keys[:i], values[:i], strict=False):
            step &= Q(**{earlier.field: value})
        condition |= step
    return bound & condition


def _encode(keys: tuple[Key, ...], row, *, backwards: bool) -> str:
    values = []
    for key in keys:
        value = getattr(row, key.field)
        values.append(value.isoformat() if isinstance(value, dt.datetime) else value)
    payload = json.dumps({"b": int(backwards), "k": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str, keys: tuple[Key, ...]) -> tuple[bool, list]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = json.loads(base64.urlsafe_b64decode(padded.encode()))
        backwards, raw = bool(payload["b"]), payload["k"]
        if not isinstance(raw, list) or len(raw) != len(keys):
            raise BadCursor(cursor)
        values = [_parse(key, value) for key, value in zip(keys, raw, strict=True)]
    except (BadCursor, binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise BadCursor(cursor) from None
    return backwards, values


def _parse(key: Key, value):
    if key.kind == "datetime":
        parsed = dt.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError(value)
        return parsed
    if key.kind == "int":
        if type(value) is not int or not -(2**63) < value < 2**63:
            raise ValueError(value)
        return value
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError(value)
    return value
