"""Every error of the API answers with one envelope, in JSON:

    {"code": "invalid", "message": "结束日期必须晚于开始日期。", "fields": {"end_date": ["…"]}}

`code` is stable for integrators, `message` is for people (never a Python repr, a model or a
table name), `fields` maps a field (dotted for nested ones) to its messages, `{}` when the
refusal is not about a field. A permission refusal also names the missing `capability`.
A refused request changes nothing (the transaction is rolled back). The body itself is
`weibao.api.envelope.envelope` (plain Python: the lean alarm intake answers with it too).

`exception_handler` is DRF's handler (an unexpected exception: 500 `server_error`, the
traceback logged); `json_error` answers the requests under /api/ that no DRF view answered
(an unknown address, a body too large, an error around the views), see
`weibao.api.middleware`.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from weibao.api.envelope import envelope
from weibao.core.errors import DomainError

logger = logging.getLogger("weibao.api")

# Codes of the answers that are not a DRF exception's own.
CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    412: "precondition_failed",
    413: "too_large",
    429: "throttled",
    500: "server_error",
}


def exception_handler(exc, context):
    """DRF's exception handler: every exception a view lets escape becomes an envelope."""
    response = _answer(exc)
    set_rollback()
    return response


def _answer(exc) -> Response:
    if isinstance(exc, DomainError):
        extra = {"capability": exc.capability} if getattr(exc, "capability", None) else {}
        fields = {exc.field: [exc.message]} if exc.field else {}
        return Response(envelope(exc.code, exc.message, fields, **extra), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        return Response(
            envelope("invalid", _summary(fields), fields), status=status.HTTP_400_BAD_REQUEST
        )
    if isinstance(exc, (ProtectedError, RestrictedError)):
        return Response(_in_use(exc), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IntegrityError):
        logger.info("Refused a write that conflicts with existing rows: %s", exc)
        return Response(
            envelope("conflict", _("与已有记录冲突（例如编号重复），未作任何更改。")),
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, RequestDataTooBig):
        return Response(_too_large(), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SuspiciousOperation):
        return Response(_bad_request(), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        return Response(_not_found(), status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, exceptions.APIException):
        headers = {}
        if getattr(exc, "auth_header", None):
            headers["WWW-Authenticate"] = exc.auth_header
        if getattr(exc, "wait", None):
            headers["Retry-After"] = f"{exc.wait:.0f}"
        if isinstance(exc.detail, (list, dict)):  # raised with a structure: keep it as fields
            fields = _flatten(exc.detail)
            body = envelope(_code_of(exc), _summary(fields), fields)
        else:
            body = envelope(_code_of(exc), str(exc.detail))
        return Response(body, status=exc.status_code, headers=headers)
    logger.error("Unexpected error in an API request", exc_info=exc)
    return Response(_server_error(), status=status.HTTP_500_INTERNAL_SERVER_ERROR)


def _code_of(exc: exceptions.APIException) -> str:
    code = getattr(exc.detail, "code", None) or exc.default_code
    return str(code or CODES.get(exc.status_code, "error"))


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as `{"field": [...], "items.0.qty": [...]}`, plain strings."""
    if (
        isinstance(detail, dict)
        and prefix
        and all(isinstance(k, int) and _scalars(v) for k, v in detail.items())
    ):
        # a list field's items (`{0: ["…"]}`): the messages belong to the field itself
        return {prefix: [str(m) for messages in detail.values() for m in messages]}
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list) and any(isinstance(item, (dict, list)) for item in detail):
        out = {}
        for index, item in enumerate(detail):
            if item:
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return out
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(message) for message in messages]}


def _scalars(value) -> bool:
    return isinstance(value, list) and not any(isinstance(m, (dict, list)) for m in value)


def _summary(fields: dict[str, list[str]]) -> str:
    """One line for people: each field's first message."""
    parts = [
        messages[0] if name == "non_field_errors" else f"{name}: {messages[0]}"
        for name, messages in fields.items()
        if messages
    ]
    return "; ".join(parts) or _("请求无效。")


def _in_use(exc) -> dict:
    """A delete refused because other records refer to the object, named as people know
    them (the verbose names), never as models or relations."""
    objects = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
    kinds = sorted({str(obj._meta.verbose_name) for obj in objects})
    if kinds:
        message = _("仍有%(kinds)s引用它，不能删除。") % {"kinds": "、".join(kinds)}
    else:
        message = _("仍有其它记录引用它，不能删除。")
    return envelope("in_use", message)


def _too_large() -> dict:
    return envelope("too_large", _("请求内容过大。"))


def _bad_request() -> dict:
    return envelope("bad_request", _("请求无效。"))


def _not_found() -> dict:
    return envelope("not_found", _("未找到，或您无权查看。"))


def _server_error() -> dict:
    return envelope("server_error", _("服务器内部错误，已记录；请稍后重试或联系管理员。"))


# Answers for requests under /api/ that no DRF view handles (weibao.api.middleware).


def json_error(status_code: int) -> JsonResponse:
    """The envelope for a plain Django error answer under /api/."""
    body = {
        400: _bad_request,
        413: _too_large,
        404: _not_found,
        500: _server_error,
    }.get(status_code)
    if body is not None:
        return _json(body(), status_code)
    return _json(envelope(CODES.get(status_code, "error"), _("请求失败。")), status_code)


def _json(body: dict, status_code: int) -> JsonResponse:
    return JsonResponse(body, status=status_code, json_dumps_params={"ensure_ascii": False})
