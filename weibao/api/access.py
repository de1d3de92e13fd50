"""Who may read the API's documentation, and how often a client may call the API
(settings: "Security (issue 11 #5, #9)").

Both read their settings per request (DRF's throttles read the rates once, at import), so a
changed setting takes effect without a restart of the test process."""

from django.conf import settings
from rest_framework import permissions, throttling
from rest_framework.settings import api_settings


class ApiDocsPermission(permissions.BasePermission):
    """The OpenAPI schema and Swagger UI: signed-in clients, or anyone when
    WEIBAO_API_DOCS_PUBLIC opens them."""

    def has_permission(self, request, view):
        return settings.WEIBAO_API_DOCS_PUBLIC or bool(
            request.user and request.user.is_authenticated
        )


class _RatesFromSettings:
    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class AnonRateThrottle(_RatesFromSettings, throttling.AnonRateThrottle):
    """Anonymous clients, per address: 429 with the error envelope and Retry-After beyond."""


class UserRateThrottle(_RatesFromSettings, throttling.UserRateThrottle):
    """Signed-in clients, per account: 429 with the error envelope and Retry-After beyond."""
