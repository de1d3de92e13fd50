"""Screens of the library app: the hub, documents, versions, third-party coverage and
consulting. Views parse input, call one service and render; lists read through querysets
scoped to the user, so another customer's object answers 404."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from weibao.core import clock, permissions
from weibao.core.workflow import WRONG_STATE
from weibao.library import selectors
from weibao.library.choices import ConsultingState


def needs_any(*capabilities):
    """Show a write page only to who may make the write (403 otherwise); the service checks
    again when the form is posted, so the web, the API and commands agree."""

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not any(permissions.can(user, c) for c in capabilities):
                permissions.require(user, capabilities[0])
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorate


def refusal_status(error) -> int:
    """The status of a page re-rendered after a refusal: a missing capability is a 403 page
    (raised), a move from the wrong state 409, a refused input 200 (the page shows why)."""
    if getattr(error, "status", 400) == 403:
        raise PermissionDenied(error.message)
    return 409 if error.code == WRONG_STATE else 200


def add_error(form, error) -> int:
    """Show a refusal on its field when the form has it, else on the form; its status."""
    status = refusal_status(error)
    form.add_error(error.field if error.field in form.fields else None, error.message)
    return status


@login_required
def index(request):
    user, today = request.user, clock.today()
    expiring = list(selectors.expiring_within(user, today=today, days=60))
    for coverage in expiring:
        coverage.days_left = (coverage.latest_expiry - today).days
    context = {
        "document_count": selectors.documents_for(user).count(),
        "change_count": selectors.software_changes_for(user).count(),
        "recent_changes": selectors.software_changes_for(user)[:5],
        "expiring": expiring,
        "open_consulting": selectors.consulting_for(user).exclude(state=ConsultingState.CLOSED),
        "today": today,
    }
    return render(request, "library/index.html", context)
