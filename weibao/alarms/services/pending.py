"""Applying the deliveries the lean intake process stored as pending (`alarms.apply`, a due
source of the runner): each is read again from its stored body as of the time it was
received — so a missing start or end time reads as it did on arrival — and applied to its
alarms with `intake.apply()`, the very upsert of a synchronous delivery, then marked applied
in the same transaction.

Order matters (a resolve must follow its raise), so one source's pending deliveries are
applied in id order — the order the intake process committed them — by one runner at a
time: a runner takes a source only under a transaction-level advisory lock on PostgreSQL
(another runner skips that source meanwhile) and reads its earliest pending rows once it
holds it; on SQLite the write transaction itself serialises runners. So with several
workers a delivery is never applied twice nor out of order."""

from __future__ import annotations

import datetime as dt
import logging
import time

from django.db import transaction
from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.models import AlarmChange, AlarmSource, RawDelivery
from weibao.alarms.services.intake import apply
from weibao.alarms.services.reading import read, stored_body
from weibao.alarms.services.receive import note_error
from weibao.core import due
from weibao.core.bulk import commit_without_waiting, hold_free

log = logging.getLogger(__name__)

# Deliveries applied per transaction.
CHUNK = 10
# How long one call applies before the runner turns to its other sources (seconds of work,
# not business time).
SLICE_SECONDS = 0.5
# How long it goes on while its deliveries raise or resolve alarms: they are what opens and
# resolves tickets, the work the slice makes room for.
CHANGE_SLICE_SECONDS = 2.0


def apply_pending(*, now: dt.datetime, limit: int) -> int:
    """Apply at most `limit` pending deliveries, in received order per source; returns how
    many were applied. `now` is unused: each delivery is applied as of its receipt.

    Every CHUNK deliveries of repeats commit together, a delivery that raised or resolved an
    alarm on its own: the alarms it raises reach correlation (and their tickets open) while a
    storm's later deliveries are still being applied. After SLICE_SECONDS the runner moves on
    (returning less than `limit`) to its other sources — correlation, clock breaches, ladder
    steps — and comes back for the rest on its next round: a storm's backlog of repeats never
    holds up a ticket or an escalation. Deliveries that raise or resolve alarms go on being
    applied past the slice, up to CHANGE_SLICE_SECONDS: a storm's new alarms reach
    correlation (another runner's, or this one's next) without waiting a round. Repeats give
    way as soon as the correlation inbox holds changes no runner has taken."""
    done = 0
    began = time.monotonic()
    while done < limit:
        applied, changed = _apply_chunk(min(CHUNK, limit - done))
        done += applied
        if not applied:
            break
        spent = time.monotonic() - began
        slice_over = spent >= (CHANGE_SLICE_SECONDS if changed else SLICE_SECONDS)
        if done < limit and (slice_over or (not changed and _changes_waiting())):
            break
    return done


def _changes_waiting() -> bool:
    """Whether the correlation inbox holds changes no runner has taken: repeats then give way
    to them (the runner correlates before it applies more)."""
    with transaction.atomic():
        return due.claim(AlarmChange.objects.filter(processed_at__isnull=True)).exists()


def _apply_chunk(limit: int) -> tuple[int, bool]:
    """Apply up to `limit` deliveries in one transaction; a delivery that raised or resolved
    an alarm ends it, so that correlation sees the change at once (a storm's first
    deliveries open their tickets while its repeats are still being applied). Returns how
    many were applied, and whether the last one raised or resolved an alarm."""
    pending = RawDelivery.objects.filter(pending=True)
    done, changed = 0, 0
    with transaction.atomic():
        # derived from deliveries committed durably: a crash loses at most the last applies,
        # whose deliveries are then pending again (and a later durable commit, a ticket
        # opened from them, flushes them first)
        commit_without_waiting()
        due.claim(pending)  # what `due.waiting()` counts; the rows are taken per source below
        source_ids = list(
            pending.order_by("source_id").values_list("source_id", flat=True).distinct()
        )
        for source_id in source_ids:
            if done >= limit:
                break
            if not hold_free("alarms.apply", [source_id]):
                continue  # another runner is applying this source's deliveries
            source = AlarmSource.objects.get(pk=source_id)
            rows = list(pending.filter(source_id=source_id).order_by("id")[: limit - done])
            applied, changed = [], 0
            for delivery in rows:
                changed = _apply_one(source, delivery)
                applied.append(delivery.pk)
                if changed:
                    break
            RawDelivery.objects.filter(pk__in=applied).update(pending=False)
            done += len(applied)
            if changed:
                break
    return done, bool(changed)


def _apply_one(source: AlarmSource, delivery: RawDelivery) -> int:
    """Apply one stored delivery; returns how many alarms it raised or resolved."""
    received = delivery.received_at
    try:
        body = stored_body(delivery.body, delivery.content_type)
        items = read(source, body, content_type=delivery.content_type, now=received).items
    except (Malformed, LookupError, UnicodeEncodeError) as error:
        # Read once already when it arrived; only a mapping changed since can refuse it now.
        # It stays stored (for replay) and is counted on the source; the queue moves on.
        message = getattr(error, "message", str(error))
        log.warning("pending alarm delivery %s unreadable: %s", delivery.pk, message)
        note_error(source, _("保存告警失败：%(error)s") % {"error": message})
        return 0
    result = apply(source, delivery, items, now=received)
    return result.raised + result.resolved
