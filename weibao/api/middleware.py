"""Error answers under /api/ are the API's JSON envelope, even when no DRF view answered.

DRF's views answer their own errors (`weibao.api.errors.exception_handler`); this middleware
covers what happens around them: an unknown address (404), a body over the size limit read
before the view (413), an error in another middleware (500). Pages outside /api/ keep
Django's pages.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig

from weibao.api.errors import json_error

API_PREFIX = "/api/"


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


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")
