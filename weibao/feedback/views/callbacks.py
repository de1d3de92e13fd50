"""The agent's callback screen and the customer's portal survey (OTH-6). A refused callback
or survey re-renders its page with the error at its field and what was typed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.core import clock, permissions
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.core.permissions import PermissionRefused
from weibao.feedback import columns, selectors, services
from weibao.feedback.forms import CallbackForm, SurveyForm


def _customer_only(request) -> None:
    if not request.user.customer_id:
        raise PermissionDenied


def _callback_page(request, *, bound: CallbackForm | None = None, ticket_pk=None, status=200):
    """Resolved tickets waiting for the support center's callback, oldest first; the ticket
    whose callback was refused keeps its bound form (what was typed, errors at fields).
    Below, the callback results: searched by ticket, customer or respondent, sorted by a
    header, paged with their total and exported to Excel as shown (`?format=xlsx`)."""
    results = Listing(
        request,
        selectors.callback_records(request.user),
        columns=columns.CALLBACK_COLUMNS,
        default_sort="-at",
        search_fields=("ticket__number", "ticket__customer__name", "respondent"),
        export_name="callbacks",
    )
    if results.wants_export:
        return results.export()
    tickets = list(selectors.awaiting_feedback(request.user)[:200])
    for ticket in tickets:
        if bound is not None and ticket.pk == ticket_pk:
            ticket.callback_form = bound
        else:
            ticket.callback_form = CallbackForm(
                initial={"respondent": ticket.contact_name}, prefix=f"t{ticket.pk}"
            )
    context = {
        "tickets": tickets,
        "listing": results,
        "page": results.page,
        "q": results.q,
        "now": clock.now(),
    }
    return render(request, "feedback/callbacks.html", context, status=status)


@login_required
def callback_list(request):
    permissions.require(request.user, Capability.TICKET_CALLBACK)
    return _callback_page(request)


@login_required
@require_POST
def record_callback(request, ticket_pk: int):
    permissions.require(request.user, Capability.TICKET_CALLBACK)
    ticket = get_object_or_404(selectors.awaiting_feedback(request.user), pk=ticket_pk)
    form = CallbackForm(request.POST, prefix=f"t{ticket.pk}")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_agent_callback(
                ticket,
                method=data["method"],
                respondent=data["respondent"],
                satisfied=data["satisfied"] == "yes",
                score=data["score"],
                note=data["note"],
                actor=request.user,
            )
        except PermissionRefused:
            raise
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录 %(ticket)s 的回访。") % {"ticket": ticket.number})
            return redirect("feedback:callbacks")
    return _callback_page(request, bound=form, ticket_pk=ticket.pk, status=400)


@login_required
def survey_list(request):
    """The customer's surveys waiting for an answer, and those already answered."""
    _customer_only(request)
    context = {
        "waiting": selectors.awaiting_feedback(request.user),
        "answered": selectors.answered_surveys(request.user)[:50],
    }
    return render(request, "feedback/survey_list.html", context)


@login_required
def survey_answer(request, ticket_pk: int):
    _customer_only(request)
    ticket = get_object_or_404(selectors.awaiting_feedback(request.user), pk=ticket_pk)
    form = SurveyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.answer_survey(
                    ticket,
                    score=data["score"],
                    satisfied=data["satisfied"] == "yes",
                    comment=data["comment"],
                    actor=request.user,
                )
            except PermissionRefused:
                raise
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, _("感谢您的评价。"))
                return redirect("feedback:surveys")
    context = {"ticket": ticket, "form": form}
    return render(request, "feedback/survey_form.html", context, status=status)
