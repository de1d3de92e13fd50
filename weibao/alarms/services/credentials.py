"""Who may deliver alarms for a source: the sender shows the source's token (`Authorization:
Bearer <token>`, the password of HTTP Basic, or `?token=`) or signs the body with the source's
HMAC secret (`X-Weibao-Signature: <hex of HMAC-SHA256(secret, body)>`, optionally prefixed
`sha256=`). A source with neither configured accepts nothing.

The Alertmanager-compatible endpoint finds its source by the token on every request; the
source is kept in memory for `SOURCE_CACHE_TTL` so the hot path does not query it each time.
A change saved in this process (the admin of the embedded default) takes effect at once; one
made elsewhere (another process, a bulk update) within `SOURCE_CACHE_TTL`.

The rules here import no model, so the lean intake process (`weibao.alarms.intake_server`),
which keeps every source in memory for `SOURCE_CACHE_TTL` instead, applies them as they are:
`source_for_token(..., find=...)` and `check()` take any object with the source's fields."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from weibao.core import clock

if TYPE_CHECKING:
    from weibao.alarms.models import AlarmSource

SIGNATURE_HEADER = "X-Weibao-Signature"
SOURCE_CACHE_TTL = dt.timedelta(seconds=5)

_sources: dict[tuple[str, str], tuple[AlarmSource | None, dt.datetime]] = {}
_sources_lock = threading.Lock()


@dataclass(frozen=True)
class Refusal:
    """Why a delivery is refused: 401 when no credential was shown, 403 when a wrong one was
    (or the source takes no deliveries)."""

    status: int
    code: str
    message: str


def presented_token(request) -> str:
    """The token the request shows, if any."""
    header = request.headers.get("Authorization", "")
    scheme, _sep, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[2]
    return request.GET.get("token", "").strip()


def _signature_ok(secret: str, body: bytes, signature: str) -> bool:
    signature = signature.strip().lower().removeprefix("sha256=")
    expected = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


def check(source: AlarmSource, request, body: bytes) -> Refusal | None:
    """None when the request may deliver to `source`, otherwise the refusal."""
    token = presented_token(request)
    signature = request.headers.get(SIGNATURE_HEADER, "")
    if not token and not signature:
        return Refusal(401, "not_authenticated", _("请提供来源的令牌或签名。"))
    allowed = bool(source.token and token and hmac.compare_digest(source.token, token)) or bool(
        source.hmac_secret and signature and _signature_ok(source.hmac_secret, body, signature)
    )
    if not allowed:
        return Refusal(403, "permission_denied", _("令牌或签名不正确。"))
    if not source.enabled:
        return Refusal(403, "source_disabled", _("该告警来源已停用。"))
    return None


def source_for_token(
    request, kind: str, *, find: Callable[[str, str], AlarmSource | None] | None = None
) -> tuple[AlarmSource | None, Refusal | None]:
    """The source of `kind` whose token the request shows (the Alertmanager-compatible
    endpoint has no source in its address); `find(token, kind)` looks it up (default: the
    database, remembered for `SOURCE_CACHE_TTL`)."""
    token = presented_token(request)
    if not token:
        return None, Refusal(401, "not_authenticated", _("请提供来源的令牌。"))
    source = (find or _source_by_token)(token, kind)
    if source is None:
        return None, Refusal(403, "permission_denied", _("令牌不正确。"))
    return source, None


def _source_by_token(token: str, kind: str) -> AlarmSource | None:
    """The source of this token, from memory if looked up less than `SOURCE_CACHE_TTL` ago
    (an unknown token is remembered too, so guessing costs no query either)."""
    now = clock.now()
    with _sources_lock:
        cached = _sources.get((token, kind))
    if cached is not None and cached[1] > now:
        return cached[0]
    from weibao.alarms.models import AlarmSource

    source = AlarmSource.objects.filter(token=token, kind=kind).first()
    with _sources_lock:
        if len(_sources) > 10_000:  # many wrong tokens: start over rather than grow
            _sources.clear()
        _sources[(token, kind)] = (source, now + SOURCE_CACHE_TTL)
    return source


def forget_sources(**_kwargs) -> None:
    """Drop the remembered sources (a source was saved or deleted in this process)."""
    with _sources_lock:
        _sources.clear()


# Lazy senders: connected once the model is loaded (never in the lean intake process).
post_save.connect(forget_sources, sender="alarms.AlarmSource", dispatch_uid="alarms-forget-sources")
post_delete.connect(
    forget_sources, sender="alarms.AlarmSource", dispatch_uid="alarms-forget-sources-del"
)
