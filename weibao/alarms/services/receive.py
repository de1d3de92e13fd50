"""An HTTP delivery from parse to commit, and the source's health counters. The views call
`receive()` once credentials are checked; a refusal or a failure is counted on the source
(outside the failed transaction, so the count survives it). Reading the body is
`weibao.alarms.services.reading`, shared with the lean intake process."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError
from django.db.models import F
from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.models import AlarmSource
from weibao.alarms.services.intake import AcceptResult, accept
from weibao.alarms.services.reading import read
from weibao.core import clock

log = logging.getLogger(__name__)

ERROR_MAX = 500


def receive(
    source: AlarmSource,
    body: bytes,
    *,
    content_type: str = "",
    remote: str = "",
    now: dt.datetime | None = None,
) -> AcceptResult:
    """Parse `body` as the source's format and accept its alarms (committed on return).
    Raises `Malformed` (nothing stored, counted as rejected) or `DatabaseError` (counted as an
    error; the sender should retry)."""
    now = now or clock.now()
    try:
        delivery = read(source, body, content_type=content_type, remote=remote, now=now)
    except Malformed as error:
        note_rejected(source, error.message)
        raise
    try:
        return accept(source, delivery.items, raw=delivery.raw, now=now)
    except DatabaseError as error:
        note_error(source, _("保存告警失败：%(error)s") % {"error": error})
        raise


def note_rejected(source: AlarmSource, message: str) -> None:
    _count(source, "rejected", message)


def note_error(source: AlarmSource, message: str) -> None:
    _count(source, "errors", message)


def _count(source: AlarmSource, counter: str, message: str) -> None:
    try:
        AlarmSource.objects.filter(pk=source.pk).update(
            **{counter: F(counter) + 1}, last_error=str(message)[:ERROR_MAX]
        )
    except DatabaseError:  # the database refusing is what is being counted
        log.warning("Could not count a %s delivery of alarm source %s", counter, source.pk)
