"""Login lockout on top of django-axes (settings: "Security (issue 11 #5, #9)").

Axes counts wrong passwords per account and address and refuses a locked pair; this module adds
the per-address limit (an address guessing many accounts' passwords), the client's address
behind the TLS proxy, and lets logins that do not come from a request (the test client's
`login()`, a shell) through unchecked: no one can reach those from the network.
"""

from __future__ import annotations

from http import HTTPStatus

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """Refuses a locked-out account/address before the password is checked."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler, and an address is also locked once its failures for any
    accounts reach WEIBAO_LOGIN_ADDRESS_FAILURE_FACTOR times the per-account limit."""

    def get_failures(self, request, credentials=None) -> int:
        per_account = super().get_failures(request, credentials)
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        per_address = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        # Compared with the per-account limit: scale the address's count down by the factor.
        return max(per_account, per_address // settings.WEIBAO_LOGIN_ADDRESS_FAILURE_FACTOR)


def client_address(request) -> str | None:
    """The client's address: behind the TLS proxy (WEIBAO_HTTPS) the last X-Forwarded-For
    entry, which that proxy appended; otherwise the connection's address."""
    if settings.WEIBAO_HTTPS:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (429), in the user's language."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=HTTPStatus.TOO_MANY_REQUESTS,
    )
