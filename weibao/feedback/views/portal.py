"""The customer portal's to-do page: surveys waiting, statements awaiting approval, and the
organisation's complaints."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from weibao.accounts.capabilities import Capability
from weibao.billing.selectors import awaiting_approval
from weibao.core import permissions
from weibao.feedback import selectors
from weibao.feedback.flow import COMPLAINT_FLOW


@login_required
def portal(request):
    user = request.user
    if not user.customer_id:
        raise PermissionDenied
    complaints = list(selectors.complaints_for(user)[:50])
    for complaint in complaints:  # the workflow says which ones wait for the user's word
        complaint.awaits_you = COMPLAINT_FLOW.can(complaint, "confirm", user)
    context = {
        "surveys": selectors.awaiting_feedback(user),
        "statements": awaiting_approval(user),
        "complaints": complaints,
        "may_record": permissions.can(user, Capability.COMPLAINT_RECORD),
    }
    return render(request, "feedback/portal.html", context)
