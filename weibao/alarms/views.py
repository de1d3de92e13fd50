"""The machine endpoints monitoring platforms post alarms to. Not session-authenticated and
CSRF-exempt: each source authenticates with its own token or HMAC signature. A 2xx answer means
the alarms are committed; 503 means they are not (the sender retries); 400 names what is
malformed. Plain Django views (no DRF): `weibao.alarms.schema` describes them in the OpenAPI
schema; their formats are read by `weibao.alarms.formats`."""

from __future__ import annotations

from django.db import DatabaseError
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from weibao.alarms.choices import SourceKind
from weibao.alarms.formats import Malformed
from weibao.alarms.formats.b_interface import ack
from weibao.alarms.models import AlarmSource
from weibao.alarms.services import credentials
from weibao.alarms.services.receive import note_rejected, receive
from weibao.api.errors import envelope

RETRY_AFTER_SECONDS = "5"


def _error(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    response = JsonResponse(
        envelope(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="weibao-alarms"'
    if status == 503:
        response["Retry-After"] = RETRY_AFTER_SECONDS
    return response


def _deliver(request, source: AlarmSource) -> HttpResponse:
    body = request.body
    refusal = credentials.check(source, request, body)
    if refusal is not None:
        note_rejected(source, refusal.message)
        return _error(refusal.status, refusal.code, refusal.message)
    try:
        result = receive(
            source,
            body,
            content_type=request.content_type or "",
            remote=request.META.get("REMOTE_ADDR", ""),
        )
    except Malformed as error:
        fields = {error.field: [error.message]} if error.field else {}
        return _error(400, error.code, error.message, fields)
    except DatabaseError:
        return _error(503, "unavailable", _("告警暂未保存，请稍后重试。"))
    if source.kind == SourceKind.B_INTERFACE:
        return HttpResponse(ack(ok=True), content_type="text/xml; charset=utf-8")
    return JsonResponse(
        {
            "status": "success",
            "alarms": result.alarms,
            "raised": result.raised,
            "resolved": result.resolved,
            "repeated": result.repeated,
        }
    )


@csrf_exempt
@require_POST
def receive_for_source(request, kind: str, slug: str) -> HttpResponse:
    """`POST /api/alarms/<kind>/<source>/`: a delivery to one configured source."""
    source = AlarmSource.objects.filter(slug=slug, kind=kind.replace("-", "_")).first()
    if source is None:
        return _error(404, "not_found", _("没有这个告警来源。"))
    return _deliver(request, source)


@csrf_exempt
@require_POST
def alertmanager_api_alerts(request) -> HttpResponse:
    """`POST /api/v2/alerts`, as Alertmanager answers it: the source is the token's."""
    source, refusal = credentials.source_for_token(request, SourceKind.AM_API)
    if refusal is not None:
        return _error(refusal.status, refusal.code, refusal.message)
    return _deliver(request, source)
