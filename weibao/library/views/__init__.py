"""Screens of the library app: the hub, documents, versions, third-party coverage and
consulting. Views parse input, call one service and render; lists read through querysets
scoped to the user, so another customer's object answers 404."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from weibao.core import clock
from weibao.library import selectors
from weibao.library.choices import ConsultingState


def provider_only(view):
    """Customer users may read the library; only provider staff change it (403 otherwise)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.customer_id:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def add_error(form, error) -> None:
    """Show a DomainError on its field when the form has it, else on the form."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


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
