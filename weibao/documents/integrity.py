"""What seals a signed document: the signature image is checked to be a real drawing, and the
content hash is SHA-256 over a canonical JSON of everything the signer put their name to."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext as _

from weibao.core import uploads
from weibao.core.errors import DomainError

PNG_PREFIX = "data:image/png;base64,"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# the data URI of the largest PNG a signature may be (base64: 4 characters per 3 bytes)
MAX_SIGNATURE_CHARS = len(PNG_PREFIX) + (uploads.SIGNATURE.max_bytes + 2) // 3 * 4
MIN_WIDTH, MIN_HEIGHT = 80, 30
MIN_INKED_PIXELS = 30


def plain_json(data: Any) -> Any:
    """`data` as it will come back from a JSON column (dates and decimals become strings), so
    the hash computed before saving equals the one recomputed from the stored row."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def signed_at_text(value: dt.datetime) -> str:
    """The signing time as it enters the hash: UTC, whole seconds."""
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def content_hash(
    *,
    kind: str,
    title: str,
    data: dict,
    signer_name: str,
    signer_role: str,
    signed_at: dt.datetime,
    signature: str,
) -> str:
    """SHA-256 (hex) over the canonical JSON of what was signed."""
    payload = {
        "kind": kind,
        "title": title,
        "data": plain_json(data),
        "signer_name": signer_name,
        "signer_role": signer_role,
        "signed_at": signed_at_text(signed_at),
        "signature": signature,
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hash_of_document(doc) -> str:
    return content_hash(
        kind=doc.kind,
        title=doc.title,
        data=doc.data,
        signer_name=doc.signer_name,
        signer_role=doc.signer_role,
        signed_at=doc.signed_at,
        signature=doc.signature_image,
    )


def data_digest(data: dict) -> str:
    """A short fingerprint of the form data, so a signer can be told it changed meanwhile."""
    canonical = json.dumps(plain_json(data), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def check_signature(signature: str) -> str:
    """The signature as stored (a PNG data URI), or a refusal: not a PNG, unreadable, too small
    or blank (nothing drawn)."""
    signature = (signature or "").strip()
    if not signature:
        raise DomainError(_("请先签名。"), code="signature_missing", field="signature")
    if len(signature) > MAX_SIGNATURE_CHARS:
        raise DomainError(
            _("签名图像过大，不能超过 %(limit)s KB。")
            % {"limit": uploads.SIGNATURE.max_bytes // 1024},
            code="signature_invalid",
            field="signature",
        )
    if not signature.startswith(PNG_PREFIX):
        raise DomainError(
            _("签名必须是 PNG 图像（data:image/png;base64,…）。"),
            code="signature_invalid",
            field="signature",
        )
    try:
        raw = base64.b64decode(signature[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not raw.startswith(PNG_MAGIC):
        raise DomainError(_("签名图像无法识别。"), code="signature_invalid", field="signature")
    _check_drawing(raw)
    return signature


def _check_drawing(raw: bytes) -> None:
    from PIL import UnidentifiedImageError

    # byte size, format and pixel count from the PNG header, before any decoding
    image = uploads.check_image(
        raw, limits=uploads.SIGNATURE, field="signature", code="signature_invalid"
    )
    try:
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise DomainError(
            _("签名图像无法识别。"), code="signature_invalid", field="signature"
        ) from None
    width, height = image.size
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise DomainError(_("签名图像太小。"), code="signature_too_small", field="signature")
    if _inked_pixels(image) < MIN_INKED_PIXELS:
        raise DomainError(
            _("签名是空白的，请在签名框内签字。"), code="signature_blank", field="signature"
        )


def _inked_pixels(image) -> int:
    """Pixels that carry ink: opaque where the canvas is transparent, dark where it is white."""
    from PIL import ImageChops

    rgba = image.convert("RGBA")
    opaque = rgba.getchannel("A").point(lambda a: 255 if a > 64 else 0)
    dark = rgba.convert("L").point(lambda g: 255 if g < 200 else 0)
    return ImageChops.multiply(opaque, dark).histogram()[255]
