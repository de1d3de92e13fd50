"""Maps domain and validation errors to the API's 400 answers.

Every refused request answers with a body like
`{"code": "invalid", "detail": "…", "fields": {"end_date": ["…"]}}` and changes nothing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from weibao.core.errors import DomainError


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        body = {"code": exc.code, "detail": exc.message}
        if getattr(exc, "capability", None):
            body["capability"] = exc.capability
        if exc.field:
            body["fields"] = {exc.field: [exc.message]}
            body[exc.field] = [exc.message]
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    if isinstance(exc, IntegrityError):
        return Response(
            {"code": "conflict", "detail": str(exc).splitlines()[0]},
            status=status.HTTP_400_BAD_REQUEST,
        )
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, ValidationError):
        fields = response.data if isinstance(response.data, dict) else {}
        detail = "; ".join(
            f"{k}: {v[0] if isinstance(v, list) and v else v}" for k, v in fields.items()
        )
        response.data = {"code": "invalid", "detail": detail, "fields": fields, **fields}
    elif response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(response.data["detail"], "code", "error"))
    return response
