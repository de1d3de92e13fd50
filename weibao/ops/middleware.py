"""Observe every request's latency for /metrics (first in MIDDLEWARE, so it sees it all)."""

from __future__ import annotations

import time

from weibao.ops.metrics import observe_request


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        observe_request(
            method=request.method,
            view=(match.view_name if match else "") or "unmatched",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response
