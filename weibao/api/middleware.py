"""Error answers under /api/ are the API's JSON envelope, even when no DRF view answered.

DRF's views answer their own errors (`weibao.api.errors.exception_handler`); this middleware
covers what happens around them: an unknown address (404), a body over the size limit read
before the view (413), an error in another middleware (500). Pages outside /api/ keep
Django's pages.
"""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.translation import gettext as _

from weibao.api.errors import envelope, json_error

API_PREFIX = "/api/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _over_limit(request) -> bool:
    """A body Django would refuse to read (`DATA_UPLOAD_MAX_MEMORY_SIZE`; multipart bodies
    are limited per field by Django itself, their files by the upload's own rule)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is None or request.content_type == "multipart/form-data":
        return False
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limit


class ApiErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _is_api(request):
            return self.get_response(request)
        if _over_limit(request):
            return json_error(413)
        if refused := _nul_refusal(request):
            return refused
        response = self.get_response(request)
        if response.status_code >= 400 and not _is_json(response):
            return json_error(response.status_code)
        return response

    def process_exception(self, request, exception):
        if not _is_api(request):
            return None
        if isinstance(exception, RequestDataTooBig):
            return json_error(413)
        return None  # Django logs it and answers 500; __call__ turns that into the envelope


def _nul_refusal(request) -> JsonResponse | None:
    """A NUL character (\\0) in a query parameter or a JSON/form body is refused with 400 on
    its field before any view sees it: no text Weibao keeps may hold one, and PostgreSQL
    refuses it in a query (a server error otherwise). Uploaded files may hold any byte."""
    fields = _nul_fields(parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True))
    if request.method in ("POST", "PUT", "PATCH"):
        if request.content_type in FORM_TYPES:
            try:
                posted = [
                    (key, value) for key, values in _form(request).lists() for value in values
                ]
            except RequestDataTooBig:
                return json_error(413)
            except (SuspiciousOperation, MultiPartParserError):
                return json_error(400)
            fields += _nul_fields(posted)
        elif request.content_type == "application/json" and (
            b"\x00" in request.body or b"\\u0000" in request.body
        ):
            fields += _json_nul_fields(request.body)
    if not fields:
        return None
    message = _("不能包含空字符（\\0）。")
    return JsonResponse(
        envelope("invalid", message, {field: [message] for field in fields}),
        status=400,
        json_dumps_params={"ensure_ascii": False},
    )


def _form(request):
    """A form body's fields: for a POST as Django parsed them (DRF reuses that parse; files
    unread); for a PUT or PATCH, which Django does not parse, parsed here from the body the
    same way (DRF then reads the body again from its cached copy).

    Not a DRF parser: the CSRF check of a session's POST reads `request.POST` first and DRF
    then reuses it without calling any parser, and several views name DRF's own parsers
    (`parser_classes`), so a refusing parser would miss forms this check catches."""
    if request.method == "POST":
        return request.POST
    if request.content_type == "multipart/form-data":
        parser = MultiPartParser(
            request.META, io.BytesIO(request.body), request.upload_handlers, request.encoding
        )
        return parser.parse()[0]
    return QueryDict(request.body, encoding=request.encoding)


def _nul_fields(pairs) -> list[str]:
    return [key.replace("\x00", "") or "non_field_errors"
            for key, value in pairs if "\x00" in key or "\x00" in value]  # fmt: skip


def _json_nul_fields(body: bytes) -> list[str]:
    """The dotted paths of a JSON body's values (or keys) holding NUL."""
    try:
        data = json.loads(body)
    except ValueError:
        return ["non_field_errors"]  # a raw NUL: not JSON at all
    found: list[str] = []

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else str(key))
                if "\x00" in str(key):
                    found.append(path or "non_field_errors")
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{path}.{index}" if path else str(index))
        elif isinstance(value, str) and "\x00" in value:
            found.append(path or "non_field_errors")

    walk(data, "")
    return sorted(set(found))


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
