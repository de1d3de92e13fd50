"""Complaint screens (OTH-5): the list with first-response countdowns, recording a complaint,
and the complaint page with the moves the user may make now (from `COMPLAINT_FLOW`). A
refused action re-renders its page with the error and what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core import clock, permissions
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.core.permissions import PermissionRefused
from weibao.feedback import columns, selectors, services
from weibao.feedback.choices import ComplaintState
from weibao.feedback.flow import COMPLAINT_FLOW
from weibao.feedback.forms import ComplaintForm, ConfirmForm


@login_required
def complaint_list(request):
    state = request.GET.get("state", "")
    complaints = selectors.complaints_for(
        request.user, state=state, open_only=not state and not request.user.customer_id
    )
    listing = Listing(
        request,
        complaints,
        columns=columns.COMPLAINT_COLUMNS,
        default_sort="state",
        search_fields=("number", "text", "customer__name"),
        export_name="complaints",
        export_columns=columns.complaint_export_columns(request.user),
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "complaints": listing.page,
        "q": listing.q,
        "state": state,
        "states": ComplaintState.choices,
        "now": clock.now(),
        "may_record": permissions.can(request.user, Capability.COMPLAINT_RECORD),
    }
    return render(request, "feedback/complaint_list.html", context)


@login_required
def complaint_new(request):
    """Record a complaint: the form parses, `record_complaint` decides (customer, channel and
    time of a customer's complaint are the portal's and now)."""
    permissions.require(request.user, Capability.COMPLAINT_RECORD)
    form = ComplaintForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                complaint = services.record_complaint(actor=request.user, **form.cleaned_data)
            except PermissionRefused:
                raise
            except DomainError as error:
                field = error.field if error.field in form.fields else None
                form.add_error(field, error.message)
            else:
                messages.success(
                    request, _("已受理投诉 %(number)s。") % {"number": complaint.number}
                )
                return redirect("feedback:complaint", pk=complaint.pk)
    initial_ticket = request.GET.get("ticket", "")
    if request.method == "GET" and initial_ticket:
        form.initial["ticket"] = initial_ticket
    return render(request, "feedback/complaint_new.html", {"form": form}, status=status)


def _page(request, complaint, *, error=None, typed=None) -> dict:
    user = request.user
    return {
        "complaint": complaint,
        "now": clock.now(),
        "moves": {m.verb for m in COMPLAINT_FLOW.available(complaint, user)},
        "blocked": [(m, r) for m, r in COMPLAINT_FLOW.blocked(complaint, user) if r.status != 403],
        "confirm_form": ConfirmForm(),
        "error": error,
        "typed": typed or {},
        **selectors.complaint_page(complaint, request.user),
    }


@login_required
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(selectors.complaints_for(request.user), pk=pk)
    return render(request, "feedback/complaint_detail.html", _page(request, complaint))


def _handler(request, complaint, verb: str):
    user, post = request.user, request.POST
    handlers = {
        "respond": lambda: services.respond_to_complaint(
            complaint, text=post.get("text", ""), actor=user
        ),
        "resolve": lambda: services.resolve_complaint(
            complaint, resolution=post.get("resolution", ""), actor=user
        ),
        "confirm": lambda: services.confirm_complaint(
            complaint,
            method=post.get("method", ""),
            confirmed_by=post.get("confirmed_by", ""),
            note=post.get("note", ""),
            actor=user,
        ),
        "decline": lambda: services.decline_resolution(
            complaint,
            reason=post.get("reason", ""),
            method=post.get("method", ""),
            declined_by=post.get("confirmed_by", ""),
            actor=user,
        ),
    }
    return handlers.get(verb)


@login_required
@require_POST
def complaint_act(request, pk: int, verb: str):
    """One move on the complaint; a refusal re-renders the page with the error at the top
    and what was typed kept in the form of that move (403 without the capability)."""
    complaint = get_object_or_404(selectors.complaints_for(request.user), pk=pk)
    handler = _handler(request, complaint, verb)
    if handler is None:
        raise Http404
    try:
        handler()
    except DomainError as error:
        complaint = get_object_or_404(selectors.complaints_for(request.user), pk=pk)
        context = _page(request, complaint, error=error, typed={verb: request.POST.dict()})
        return render(
            request, "feedback/complaint_detail.html", context, status=getattr(error, "status", 400)
        )
    messages.success(request, _("已保存。"))
    return redirect("feedback:complaint", pk=pk)
