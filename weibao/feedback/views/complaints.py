"""Complaint screens (OTH-5): the list with first-response countdowns, recording a complaint,
and the complaint page with its actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.feedback import flow, selectors, services
from weibao.feedback.choices import ComplaintState
from weibao.feedback.forms import ComplaintForm, ConfirmForm
from weibao.feedback.models import Complaint


@login_required
def complaint_list(request):
    state = request.GET.get("state", "")
    complaints = selectors.complaints_for(
        request.user, state=state, open_only=not state and not request.user.customer_id
    )
    context = {
        "complaints": complaints[:200],
        "state": state,
        "states": ComplaintState.choices,
        "now": clock.now(),
    }
    return render(request, "feedback/complaint_list.html", context)


@login_required
def complaint_new(request):
    form = ComplaintForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        if request.user.customer_id:
            data.update(customer=request.user.customer, channel="")
        try:
            complaint = services.record_complaint(actor=request.user, **data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已受理投诉 %(number)s。") % {"number": complaint.number})
            return redirect("feedback:complaint", pk=complaint.pk)
    initial_ticket = request.GET.get("ticket", "")
    if request.method == "GET" and initial_ticket:
        form.initial["ticket"] = initial_ticket
    return render(request, "feedback/complaint_new.html", {"form": form})


@login_required
def complaint_detail(request, pk: int):
    complaint = get_object_or_404(selectors.complaints_for(request.user), pk=pk)
    context = {
        "complaint": complaint,
        "now": clock.now(),
        "moves": {m.verb for m in flow.available_moves(complaint, request.user)},
        "confirm_form": ConfirmForm(),
        **selectors.complaint_page(complaint),
    }
    return render(request, "feedback/complaint_detail.html", context)


def _handler(request, complaint: Complaint, verb: str):
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
    complaint = get_object_or_404(Complaint.objects.visible_to(request.user), pk=pk)
    handler = _handler(request, complaint, verb)
    if handler is None:
        raise Http404
    try:
        handler()
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("feedback:complaint", pk=pk)
