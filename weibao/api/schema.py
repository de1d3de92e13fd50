"""The error answers every API action documents in the OpenAPI schema, in one place.

@extend_schema(responses=answers(RepairSerializer))          # 200 + the error answers
@extend_schema(responses=answers(VisitSerializer, 201, errors=VISIT_ERRORS))

Every operation lists 400/401/403/404/405/409/412/413/429/500 with the one error envelope
(`weibao.api.errors`): `add_error_responses`, a postprocessing hook of drf-spectacular, adds
the ones an action does not describe itself and gives each the `Error` body; an operation
that reads a body also lists 415.
"""

from __future__ import annotations

import functools
import typing

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.utils import OpenApiResponse
from rest_framework.fields import empty

ERROR_SCHEMA = "Error"
ERROR_STATUSES = (400, 401, 403, 404, 405, 409, 412, 413, 429, 500)

TEXTS = {
    400: "`invalid` with the refused `fields`, or the stable `code` of the rule that refused.",
    401: "`not_authenticated` or `authentication_failed`: no valid token or session.",
    403: "`permission_denied`: the missing `capability` is named.",
    404: "`not_found`: no such object, or not yours to see.",
    405: "`method_not_allowed`: this address does not take this method.",
    409: "`wrong_state`: the object is not in a state for this move; `conflict` or `in_use`: "
    "other records conflict with the write or still refer to the object.",
    412: "`stale`: the object changed since the `ETag` sent as `If-Match` was read; nothing "
    "was changed (read it again and redo the change).",
    413: "`too_large`: the request body is over the size limit.",
    429: "`throttled`: too many requests; `Retry-After` says when to try again.",
    500: "`server_error`: an unexpected error, logged; nothing was changed.",
    415: "`unsupported_media_type`: the body is not in a format this action reads.",
}
# Answered only by the operations that read a body.
BODY_ERROR_STATUSES = (415,)

ERROR_COMPONENT = {
    "type": "object",
    "description": "Every error answer: a stable `code`, a `message` for people, and the "
    "refused `fields` (`{}` when the refusal is not about a field). Nothing was changed.",
    "properties": {
        "code": {"type": "string", "example": "invalid"},
        "message": {"type": "string", "example": "结束日期必须晚于开始日期。"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "example": {"end_date": ["结束日期必须晚于开始日期。"]},
        },
        "capability": {
            "type": "string",
            "description": "403 only: the capability the user lacks.",
        },
    },
    "required": ["code", "message", "fields"],
}


def error_responses(**descriptions: str) -> dict[int, OpenApiResponse]:
    """The error answers with the project's wording; `e400="…"` etc. name an app's own codes.
    (Each gets the `Error` body, and the statuses not named here, from `add_error_responses`.)"""
    texts = {status: TEXTS[status] for status in (400, 403, 404, 409)}
    for key, text in descriptions.items():
        texts[int(key.lstrip("e"))] = text
    return {status: OpenApiResponse(description=text) for status, text in texts.items()}


ERRORS = error_responses()


def answers(ok, status: int = 200, *, errors: dict | None = None) -> dict:
    """`responses=` of an action: its success body plus the error answers."""
    return {status: ok, **(errors or ERRORS)}


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook: every operation answers its errors with `Error`."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[ERROR_SCHEMA] = ERROR_COMPONENT
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_SCHEMA}"}}}
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            statuses = ERROR_STATUSES
            if "requestBody" in operation:
                statuses = (*statuses, *BODY_ERROR_STATUSES)
            for status in statuses:
                answer = responses.setdefault(str(status), {"description": TEXTS[status]})
                answer["content"] = content
            operation["responses"] = dict(sorted(responses.items()))
    return result


class NullableAnswers:
    """AutoSchema mixin: an answered field is declared nullable when its value can be `null`
    although the serializer field does not say `allow_null` — it has `default=None`, or its
    `source` goes through a nullable model field (`ticket.number` of a complaint without a
    ticket, `decided_by` of an undecided statement) or a property typed `… | None`."""

    def _get_serializer_field_meta(self, field, direction):
        meta = super()._get_serializer_field_meta(field, direction)
        answered = field.read_only or direction == "response"
        if answered and not meta.get("nullable") and _may_be_null(field):
            meta["nullable"] = True
        return meta


def _may_be_null(field) -> bool:
    if getattr(field, "default", empty) is None:
        return True
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    for attr in getattr(field, "source_attrs", None) or ():
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            prop = getattr(model, attr, None)
            if isinstance(prop, property | functools.cached_property):
                getter = prop.fget if isinstance(prop, property) else prop.func
                hints = getattr(getter, "__annotations__", {}).get("return")
                return _names_none(hints)
            return False
        if model_field.concrete and model_field.null:  # not a reverse relation
            return True
        model = model_field.related_model
    return False


def _names_none(annotation) -> bool:
    if annotation is None:
        return False
    if isinstance(annotation, str):
        return "None" in annotation.replace(" ", "").split("|")
    return type(None) in typing.get_args(annotation)
