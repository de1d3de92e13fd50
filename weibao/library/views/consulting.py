"""Network-change consulting (OTH-4): customers submit, a provider engineer answers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.choices import Role
from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.library import consulting_flow, selectors, services
from weibao.library.choices import ConsultingState
from weibao.library.forms import ConsultingForm
from weibao.library.views import add_error, provider_only


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
    form = ConsultingForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            consulting = services.submit_consulting(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            add_error(form, error)
        else:
            messages.success(request, _("咨询已提交：%(n)s。") % {"n": consulting.number})
            return redirect("library:consulting", pk=consulting.pk)
    return render(request, "library/consulting_form.html", {"form": form})


@login_required
def consulting_detail(request, pk: int):
    consulting = get_object_or_404(selectors.consulting_for(request.user), pk=pk)
    user = request.user
    engineers = []
    if not user.customer_id:
        engineers = (
            get_user_model()
            .objects.filter(role_assignments__role=Role.ENGINEER, is_active=True, customer=None)
            .distinct()
        )
    context = {
        "consulting": consulting,
        "moves": consulting_flow.available_moves(consulting, user),
        "engineers": engineers,
        "history": history_for(consulting),
    }
    return render(request, "library/consulting_detail.html", context)


@provider_only
@require_POST
def consulting_owner(request, pk: int):
    consulting = get_object_or_404(selectors.consulting_for(request.user), pk=pk)
    owner = get_user_model().objects.filter(pk=request.POST.get("owner") or 0).first()
    try:
        services.assign_owner(consulting, owner=owner, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已指派。"))
    return redirect("library:consulting", pk=pk)


@login_required
@require_POST
def consulting_move(request, pk: int, verb: str):
    consulting = get_object_or_404(selectors.consulting_for(request.user), pk=pk)
    try:
        services.move_consulting(
            consulting, verb, actor=request.user, note=request.POST.get("note", ""),
            proposal=request.POST.get("proposal"),
        )  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已保存。"))
    return redirect("library:consulting", pk=pk)
