"""Who may deliver alarms for a source: the sender shows the source's token (`Authorization:
Bearer <token>`, the password of HTTP Basic, or `?token=`) or signs the body with the source's
HMAC secret (`X-Weibao-Signature: <hex of HMAC-SHA256(secret, body)>`, optionally prefixed
`sha256=`). A source with neither configured accepts nothing."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass

from django.utils.translation import gettext as _

from weibao.alarms.models import AlarmSource

SIGNATURE_HEADER = "X-Weibao-Signature"


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


def source_for_token(request, kind: str) -> tuple[AlarmSource | None, Refusal | None]:
    """The source of `kind` whose token the request shows (the Alertmanager-compatible
    endpoint has no source in its address)."""
    token = presented_token(request)
    if not token:
        return None, Refusal(401, "not_authenticated", _("请提供来源的令牌。"))
    source = AlarmSource.objects.filter(token=token, kind=kind).select_related(None).first()
    if source is None:
        return None, Refusal(403, "permission_denied", _("令牌不正确。"))
    return source, None
