"""An HTTP delivery from parse to commit, and the source's health counters. The views call
`receive()` once credentials are checked; a refusal or a failure is counted on the source
(outside the failed transaction, so the count survives it)."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import DatabaseError
from django.db.models import F
from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.formats.registry import PARSERS
from weibao.alarms.models import AlarmSource
from weibao.alarms.services.intake import AcceptResult, accept
from weibao.core import clock

log = logging.getLogger(__name__)

ERROR_MAX = 500


def stored_text(body: bytes) -> tuple[str, str]:
    """The body as text to keep, and how it was decoded: UTF-8, else GB 18030 (FSUs speak
    GBK), else Latin-1 — which keeps every byte, so the original is always recoverable."""
    for charset in ("utf-8", "gb18030"):
        try:
            return body.decode(charset), charset
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1"), "latin-1"


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
    text, charset = stored_text(body)
    try:
        if "\x00" in text or b"\\u0000" in body:
            raise Malformed(_("请求体含有 NUL 字符。"))
        items = PARSERS[source.kind](body, source=source, now=now)
    except Malformed as error:
        note_rejected(source, error.message)
        raise
    if charset != "utf-8":
        content_type = f"{content_type}; stored-as={charset}".lstrip("; ")
    raw = {"body": text, "content_type": content_type, "remote": remote}
    try:
        return accept(source, items, raw=raw, now=now)
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
