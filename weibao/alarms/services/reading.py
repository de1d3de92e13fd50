"""Reading one HTTP delivery: its body as the text kept raw, and its alarms as the source's
format parser reads them. Touches no database and imports no model, so both the Django views
and the lean intake process (`weibao.alarms.intake_server`) read a delivery the same way, and
the runner reads a stored one again exactly as it was read on arrival."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from weibao.alarms.formats import Malformed
from weibao.alarms.formats.registry import PARSERS
from weibao.alarms.normalised import Normalised

STORED_AS = "stored-as="
CONTENT_TYPE_MAX = 100  # RawDelivery.content_type and .remote
REMOTE_MAX = 100


@dataclass(frozen=True)
class Read:
    """A delivery's alarms and what is kept of it raw (`body`, `content_type`, `remote`)."""

    items: list[Normalised]
    raw: dict


def stored_text(body: bytes) -> tuple[str, str]:
    """The body as text to keep, and how it was decoded: UTF-8, else GB 18030 (FSUs speak
    GBK), else Latin-1 — which keeps every byte, so the original is always recoverable."""
    for charset in ("utf-8", "gb18030"):
        try:
            return body.decode(charset), charset
        except UnicodeDecodeError:
            continue
    return body.decode("latin-1"), "latin-1"


def stored_body(text: str, content_type: str) -> bytes:
    """The bytes a kept body arrived as (the inverse of `stored_text`)."""
    _rest, found, charset = content_type.partition(STORED_AS)
    return text.encode(charset.split(";")[0].strip() if found else "utf-8")


def read(
    source, body: bytes, *, content_type: str = "", remote: str = "", now: dt.datetime
) -> Read:
    """Parse `body` as the source's format, as of `now` (a missing start or end time is read
    relative to it). Raises `Malformed`; counts nothing."""
    text, charset = stored_text(body)
    if "\x00" in text or b"\\u0000" in body:
        raise Malformed(_("请求体含有 NUL 字符。"))
    items = PARSERS[source.kind](body, source=source, now=now)
    if charset != "utf-8":
        content_type = f"{content_type}; {STORED_AS}{charset}".lstrip("; ")
    raw = {
        "body": text,
        "content_type": content_type[:CONTENT_TYPE_MAX],
        "remote": remote[:REMOTE_MAX],
    }
    return Read(items, raw)
