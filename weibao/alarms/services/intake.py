"""The one entry point of alarm intake (ALM-1): every listener — the HTTP endpoints, the SNMP
and MQTT listeners, the demo, the benchmark — turns what it received into `Normalised` items
and calls `accept()`. It stores the delivery raw, upserts one `Alarm` per (source, key) and
writes an `AlarmChange` (the correlation inbox) when an alarm is raised, raised again after it
was resolved, or resolved — all in one transaction, so a sender is acknowledged only for what
is committed, and a re-delivery (a retry, both members of an HA pair) changes nothing but the
repeat count and the last-seen time.

The source's health counters (received, last received) are counted after that commit, in a
short transaction of their own: the counter row is then locked only for an instant, so
concurrent deliveries to one source do not queue on it.

The lean intake process (`weibao.alarms.intake_server`) stores a delivery only, as pending;
the runner then applies it with `apply()`, the same upsert (`weibao.alarms.services.pending`)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.db.models import Case, F, Value, When

from weibao.alarms.choices import AlarmState, ChangeKind, Severity
from weibao.alarms.fingerprint import fingerprint
from weibao.alarms.models import Alarm, AlarmChange, AlarmSource, RawDelivery
from weibao.alarms.normalised import Normalised
from weibao.alarms.services.resolution import Resolver
from weibao.core import clock
from weibao.core.bulk import commit_without_waiting, update_grouped
from weibao.tickets.choices import Level

log = logging.getLogger(__name__)

KEY_MAX = Alarm._meta.get_field("key").max_length
NAME_MAX = Alarm._meta.get_field("name").max_length
REF_MAX = Alarm._meta.get_field("site_ref").max_length
SEVERITIES = frozenset(Severity.values)
LEVELS = frozenset(Level.values)

# What applying an item can change on an existing alarm (its identity — key, labels, site,
# asset — is set when it is created and never changes): read, compared and written back.
_UPDATED_FIELDS = [
    "name",
    "severity",
    "suggested_level",
    "description",
    "state",
    "starts_at",
    "ends_at",
    "auto_resolve",
    "last_seen",
    "repeat_count",
    "resolved_at",
    "last_delivery",
]
# The columns those fields are stored in (site_id, asset_id, last_delivery_id).
_UPDATED_ATTNAMES = [Alarm._meta.get_field(name).attname for name in _UPDATED_FIELDS]
_REPEAT_INDEX = _UPDATED_ATTNAMES.index("repeat_count")


@dataclass(frozen=True)
class AcceptResult:
    """What one delivery did: `alarms` items accepted, of which `raised` opened or re-opened an
    alarm, `resolved` closed one, and `repeated` only refreshed it."""

    delivery_id: int
    alarms: int
    raised: int
    resolved: int
    repeated: int


def alarm_key(item: Normalised) -> str:
    """The source's own key, or the Alertmanager fingerprint of the labels; a key longer than
    the column is replaced by its SHA-256 (still stable across deliveries)."""
    key = item.key or fingerprint(item.labels)
    if len(key) > KEY_MAX:
        key = "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()
    return key


def accept(
    source: AlarmSource,
    items: Sequence[Normalised],
    *,
    raw: dict | None = None,
    now: dt.datetime | None = None,
) -> AcceptResult:
    """Store one delivery of `source`: `raw` (body, content_type, remote) as a `RawDelivery`,
    then each item upserted into its alarm. Returns after the transaction committed (when
    called outside a transaction); a database failure raises and stores nothing."""
    now = now or clock.now()
    with transaction.atomic():
        delivery = new_delivery(source.pk, raw or {}, alarms=len(items), now=now)
        delivery.save(force_insert=True)
        result = apply(source, delivery, items, now=now)
    count_received({source.pk: (1, now)})
    return result


def new_delivery(
    source_id: int, raw: dict, *, alarms: int, now: dt.datetime, pending: bool = False
) -> RawDelivery:
    """The `RawDelivery` row of one delivery, not saved: `pending` when its alarms are applied
    later, by the runner (`weibao.alarms.services.pending`)."""
    return RawDelivery(
        source_id=source_id,
        received_at=now,
        body=raw.get("body", ""),
        content_type=(raw.get("content_type") or "")[:100],
        remote=(raw.get("remote") or "")[:100],
        alarms=alarms,
        pending=pending,
    )


def apply(
    source: AlarmSource, delivery: RawDelivery, items: Sequence[Normalised], *, now: dt.datetime
) -> AcceptResult:
    """Upsert each item of a stored delivery into its alarm and write the changes to the
    correlation inbox, as of `now` (the time the delivery was received). Runs in the caller's
    transaction."""
    keyed = [(alarm_key(item), item) for item in items]
    rows, created = _upsert_rows(source, keyed, delivery, now)
    changes: list[AlarmChange] = []
    counts = {"raised": 0, "resolved": 0, "repeated": 0}
    before: dict[str, tuple] = {}
    for key, item in keyed:
        alarm = rows[key]
        if key in created:
            created.discard(key)  # the first item of a new row is its creation
            kind = None if alarm.state == AlarmState.RESOLVED else ChangeKind.RAISED
        else:
            before.setdefault(key, _values(alarm))
            kind = _apply(alarm, item, delivery, now)
        if kind:
            at = alarm.resolved_at if kind == ChangeKind.RESOLVED else alarm.starts_at
            changes.append(AlarmChange(alarm=alarm, kind=kind, at=at or now))
            counts[kind] += 1
        else:
            counts["repeated"] += 1
    if before:
        _save_changes({key: rows[key] for key in before}, before)
    if changes:
        AlarmChange.objects.bulk_create(changes)
    return AcceptResult(delivery_id=delivery.pk, alarms=len(items), **counts)


def _values(alarm: Alarm) -> tuple:
    return tuple(getattr(alarm, name) for name in _UPDATED_ATTNAMES)


def _save_changes(alarms: Mapping[str, Alarm], before: Mapping[str, tuple]) -> None:
    """Write what the delivery changed on existing (locked) alarms: the fields that changed,
    grouped by `bulk.update_grouped`, the repeat count raised by the number of repeats — a
    storm's repeats (the same last-seen time and delivery, one more each) are one statement
    for the whole delivery, not a CASE per row and field."""
    by_fields: dict[tuple, list[Alarm]] = defaultdict(list)
    for key, alarm in alarms.items():
        changed = tuple(
            name
            for name, was, value in zip(_UPDATED_ATTNAMES, before[key], _values(alarm), strict=True)
            if name != "repeat_count" and value != was
        )
        by_fields[changed].append(alarm)
    # the rows are locked: the count plus the repeats is the count the alarm holds
    repeats = {alarm.pk: alarm.repeat_count - before[key][_REPEAT_INDEX]
               for key, alarm in alarms.items()}  # fmt: skip
    for fields, rows in by_fields.items():
        update_grouped(rows, list(fields), added={"repeat_count": lambda a: repeats[a.pk]})


def count_received(deliveries: Mapping[int, tuple[int, dt.datetime]]) -> None:
    """More deliveries on the sources' counters, once their alarms are committed:
    `{source id: (deliveries, latest received at)}`. On its own (when not inside a caller's
    transaction) this commits without waiting for the disk on PostgreSQL: the lock on the
    counter row lasts an instant, and a crash can at worst lose the last counts, never an
    alarm. A failure here is logged, not raised: the delivery is stored and must be
    acknowledged."""
    asynchronous = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if asynchronous:
                commit_without_waiting()
            for source_id, (count, latest) in sorted(deliveries.items()):
                AlarmSource.objects.filter(pk=source_id).update(
                    received=F("received") + count,
                    # concurrent deliveries may commit out of order: keep the latest time
                    last_received_at=Case(
                        When(last_received_at__gt=latest, then=F("last_received_at")),
                        default=Value(latest),
                    ),
                )
    except DatabaseError:
        log.warning(
            "Could not count deliveries of alarm sources %s", list(deliveries), exc_info=True
        )


def _locked_rows(source: AlarmSource, keys: Iterable[str]) -> dict[str, Alarm]:
    # Locked in key order, like the inserts: two deliveries of overlapping groups never
    # wait for each other crosswise. FOR NO KEY UPDATE (no key column changes): correlation
    # linking these alarms to incidents (a foreign key's KEY SHARE check) does not wait.
    rows = (
        Alarm.objects.select_for_update(no_key=True)
        .filter(source=source, key__in=list(keys))
        .only("key", *_UPDATED_FIELDS)
        .order_by("key")
    )
    return {alarm.key: alarm for alarm in rows}


def _upsert_rows(source, keyed, delivery, now) -> tuple[dict[str, Alarm], set[str]]:
    """Lock the existing alarms of these keys and insert the missing ones (a concurrent
    delivery inserting the same key wins the race; its row is then updated like any other).
    Returns the rows by key and the keys this delivery created."""
    keys = {key for key, _item in keyed}
    rows = _locked_rows(source, keys)
    new: dict[str, Alarm] = {}
    for key, item in keyed:
        if key not in rows and key not in new:
            new[key] = _new_alarm(source, key, item, delivery, now)
    if not new:
        return rows, set()
    Resolver(source.customer_id).resolve(new.values())
    Alarm.objects.bulk_create([new[key] for key in sorted(new)], ignore_conflicts=True)
    # Which inserts were ours: only their ids are read (the rows are what was just built); a
    # key a concurrent delivery inserted first is locked and read whole.
    inserted = (
        Alarm.objects.select_for_update(no_key=True)
        .filter(source=source, key__in=sorted(new))
        .order_by("key")
        .values_list("key", "pk", "last_delivery_id")
    )
    created, theirs = set(), []
    for key, pk, last_delivery_id in inserted:
        if last_delivery_id == delivery.pk:
            new[key].pk = new[key].id = pk
            rows[key] = new[key]
            created.add(key)
        else:
            theirs.append(key)
    if theirs:
        rows.update(_locked_rows(source, theirs))
    return rows, created


def _severity(item: Normalised) -> str:
    return item.severity if item.severity in SEVERITIES else Severity.WARNING


def _level(item: Normalised) -> str:
    return item.level if item.level in LEVELS else ""


def _new_alarm(source, key, item: Normalised, delivery, now) -> Alarm:
    starts_at = item.starts_at or (item.ends_at if item.resolved else None) or now
    alarm = Alarm(
        source=source,
        key=key,
        customer_id=source.customer_id,
        name=item.name[:NAME_MAX],
        severity=_severity(item),
        suggested_level=_level(item),
        labels=dict(item.labels),
        description=item.description,
        site_ref=item.site_code[:REF_MAX],
        asset_ref=item.asset_ref[:REF_MAX],
        starts_at=starts_at,
        ends_at=item.ends_at,
        auto_resolve=item.auto_resolve and not item.resolved,
        first_seen=now,
        last_seen=now,
        last_delivery=delivery,
    )
    if item.resolved:
        alarm.state = AlarmState.RESOLVED
        alarm.resolved_at = _resolved_at(item, now)
    return alarm


def _resolved_at(item: Normalised, now: dt.datetime) -> dt.datetime:
    if item.ends_at and item.ends_at <= now:
        return item.ends_at
    return now


def _apply(alarm: Alarm, item: Normalised, delivery, now) -> str | None:
    """Apply one more item to an existing alarm; returns the change it makes, if any."""
    alarm.repeat_count += 1
    alarm.last_seen = now
    alarm.last_delivery = delivery
    starts_at = item.starts_at or now
    if item.resolved:
        if alarm.state == AlarmState.RESOLVED or starts_at < alarm.starts_at:
            return None  # already over, or the end of an earlier occurrence arriving late
        alarm.state = AlarmState.RESOLVED
        alarm.resolved_at = _resolved_at(item, now)
        alarm.ends_at = item.ends_at or alarm.resolved_at
        alarm.auto_resolve = False
        return ChangeKind.RESOLVED
    _refresh(alarm, item)
    if alarm.state == AlarmState.FIRING:
        if item.auto_resolve:
            alarm.ends_at = item.ends_at
        return None
    # Resolved, and reported firing again: a new occurrence if it started after the end (or
    # the end was only presumed); otherwise a late copy of the occurrence already over.
    if starts_at <= alarm.resolved_at and not (alarm.auto_resolve and item.auto_resolve):
        return None
    alarm.state = AlarmState.FIRING
    alarm.starts_at = starts_at if starts_at > alarm.resolved_at else now
    alarm.ends_at = item.ends_at
    alarm.auto_resolve = item.auto_resolve
    alarm.resolved_at = None
    return ChangeKind.RAISED


def _refresh(alarm: Alarm, item: Normalised) -> None:
    """A firing report may carry a newer description or severity (Zabbix updates, a rule's
    changed annotation); the identity (key, labels) never changes."""
    if item.description:
        alarm.description = item.description
    if item.name:
        alarm.name = item.name[:NAME_MAX]
    alarm.severity = _severity(item)
    if _level(item):
        alarm.suggested_level = _level(item)
