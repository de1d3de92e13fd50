"""Network-change consulting (OTH-4): customers submit, a provider engineer answers.

The page shows the moves `CONSULTING_FLOW` allows the user now (and why the others are
blocked); a refused move re-renders the page with what was typed and the reason."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.accounts.choices import Role
from weibao.accounts.selectors import provider_staff_with_role
from weibao.core import permissions
from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.library import selectors, services
from weibao.library.choices import ConsultingState
from weibao.library.flow import CONSULTING_FLOW
from weibao.library.forms import ConsultingForm
from weibao.library.views import add_error, refusal_status


@login_required
def consulting_list(request):
    state = request.GET.get("state", "")
    return render(
        request,
        "library/consulting_list.html",
        {"requests": selectors.consulting_for(request.user, state=state), "state": state,
         "states": ConsultingState.choices},
    )  # fmt: skip


@login_required
def consulting_new(request):
    permissions.require(request.user, Capability.TICKET_OPEN)
    form = ConsultingForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            consulting = services.submit_consulting(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            status = add_error(form, error)
        else:
            messages.success(request, _("咨询已提交：%(n)s。") % {"n": consulting.number})
            return redirect("library:consulting", pk=consulting.pk)
    return render(request, "library/consulting_form.html", {"form": form}, status=status)


def _render(request, consulting, *, typed=None, error=None, status=200):
    """The request's page; `typed` is what the user posted (kept on a refusal)."""
    user = request.user
    moves = CONSULTING_FLOW.available(consulting, user)
    typed = typed or {}
    may_assign = permissions.can(
        user, Capability.TICKET_DISPATCH, customer_id=consulting.customer_id
    )
    context = {
        "consulting": consulting,
        "drafting": any(m.verb == "draft" for m in moves),
        "proposal_text": typed.get("proposal", consulting.proposal),
        "proposal_visible": selectors.proposal_visible_to(consulting, user),
        "moves": [m for m in moves if m.verb != "draft"],
        "blocked": CONSULTING_FLOW.blocked(consulting, user),
        "note": typed.get("note", ""),
        "error": error,
        "engineers": provider_staff_with_role(Role.ENGINEER) if may_assign else [],
        "history": history_for(consulting, reader=request.user),
    }
    return render(request, "library/consulting_detail.html", context, status=status)


def _consulting(request, pk):
    return get_object_or_404(selectors.consulting_for(request.user), pk=pk)


@login_required
def consulting_detail(request, pk: int):
    return _render(request, _consulting(request, pk))


@login_required
@require_POST
def consulting_owner(request, pk: int):
    consulting = _consulting(request, pk)
    owner = provider_staff_with_role(Role.ENGINEER).filter(pk=request.POST.get("owner") or 0)
    try:
        services.assign_owner(consulting, owner=owner.first(), actor=request.user)
    except DomainError as error:
        status = refusal_status(error)
        return _render(request, _consulting(request, pk), error=error.message, status=status)
    messages.success(request, _("已指派。"))
    return redirect("library:consulting", pk=pk)


@login_required
@require_POST
def consulting_move(request, pk: int, verb: str):
    consulting = _consulting(request, pk)
    typed = {"note": request.POST.get("note", ""), "proposal": request.POST.get("proposal")}
    try:
        services.move_consulting(
            consulting, verb, actor=request.user, note=typed["note"], proposal=typed["proposal"]
        )
    except DomainError as error:
        status = refusal_status(error)
        if typed["proposal"] is None:
            typed.pop("proposal")
        return _render(
            request, _consulting(request, pk), typed=typed, error=error.message, status=status
        )
    messages.success(request, _("已保存。"))
    return redirect("library:consulting", pk=pk)
