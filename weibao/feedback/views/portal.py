"""The customer portal's to-do page: surveys waiting, statements awaiting approval, and the
organisation's complaints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from weibao.billing.selectors import awaiting_approval
from weibao.feedback import selectors


@login_required
def portal(request):
    user = request.user
    if not user.customer_id:
        raise PermissionDenied
    context = {
        "surveys": selectors.awaiting_feedback(user),
        "statements": awaiting_approval(user),
        "complaints": selectors.complaints_for(user)[:50],
    }
    return render(request, "feedback/portal.html", context)
