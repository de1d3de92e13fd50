"""Probes and metrics for operations: no login, JSON (or Prometheus' text format)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from weibao.ops import metrics
from weibao.ops.selectors import readiness


@never_cache
@require_GET
def healthz(request):
    """The process is alive and answers."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    """Database reachable, migrations applied, the runner ticked in the last 60 s, and the
    outbox's backlog; 503 naming the failing checks when not ready."""
    result = readiness()
    return JsonResponse(result, status=200 if result["ready"] else 503)


@never_cache
@require_GET
def prometheus(request):
    """Prometheus metrics, for `Authorization: Bearer <WEIBAO_METRICS_TOKEN>`. Without a
    token configured they are refused, except with WEIBAO_DEBUG on."""
    token = settings.WEIBAO_METRICS_TOKEN
    if not token and not settings.DEBUG:
        return HttpResponse(
            "metrics are off: set WEIBAO_METRICS_TOKEN\n", status=403, content_type="text/plain"
        )
    if token:
        scheme, _sep, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode(), token.encode()
        ):
            response = HttpResponse(
                "bearer token required\n", status=401, content_type="text/plain"
            )
            response["WWW-Authenticate"] = 'Bearer realm="weibao-metrics"'
            return response
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
