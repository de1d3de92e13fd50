"""Field-service screens: the engineer's day on the phone, a visit (preparation, documents,
check-in/out, training), and the manager's dispatch page on a ticket. Provider staff only;
customers sign in the documents portal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.documents import kinds as registry
from weibao.documents.forms import DocumentDataForm
from weibao.documents.models import SignedDocument
from weibao.fieldservice import kinds, selectors, services
from weibao.fieldservice.dispatch import propose_engineers
from weibao.fieldservice.forms import TrainingForm
from weibao.fieldservice.models import Visit
from weibao.fieldservice.services.documents import (
    initial_data,
    kinds_for_visit,
    plan_refusal,
    visit_documents,
)
from weibao.fieldservice.services.visits import MOVES, can_dispatch, service_report_signed
from weibao.tickets.models import Ticket


def _staff(request) -> None:
    if request.user.customer_id:
        raise PermissionDenied


def _visit(request, pk: int) -> Visit:
    _staff(request)
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "ticket", "ticket__customer", "ticket__site", "ticket__asset", "engineer"
        ),
        pk=pk,
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def today(request):
    _staff(request)
    context = {"visits": selectors.today(request.user), "now": clock.now()}
    return render(request, "fieldservice/today.html", context)


@login_required
def visit_detail(request, pk: int):
    visit = _visit(request, pk)
    documents = list(visit_documents(visit))
    arrival = selectors.arrival_clocks([visit.ticket_id]).get(visit.ticket_id)
    context = {
        "visit": visit,
        "ticket": visit.ticket,
        "now": clock.now(),
        "arrival": arrival,
        "documents": documents,
        "plans": [(d, plan_refusal(d)) for d in documents if d.kind == kinds.TECHNICAL_PLAN],
        "kinds": kinds_for_visit(visit),
        "moves": [verb for verb, (sources, _t, _l) in MOVES.items() if visit.state in sources],
        "report_signed": service_report_signed(visit),
        "trainings": selectors.training_for(visit),
        "may_dispatch": can_dispatch(request.user),
        **selectors.preparation(visit),
    }
    return render(request, "fieldservice/visit.html", context)


@login_required
@require_POST
def visit_act(request, pk: int, verb: str):
    visit = _visit(request, pk)
    user, post = request.user, request.POST
    handlers = {
        "depart": lambda: services.depart(visit, actor=user),
        "check_in": lambda: services.check_in(
            visit, actor=user, lat=post.get("lat") or None, lon=post.get("lon") or None
        ),
        "check_out": lambda: services.check_out(visit, actor=user),
        "cancel": lambda: services.cancel_visit(visit, reason=post.get("reason", ""), actor=user),
    }
    handler = handlers.get(verb)
    if handler is None:
        messages.error(request, _("没有这个操作。"))
    else:
        try:
            handler()
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已保存。"))
    return redirect(_back(request, visit.get_absolute_url()))


@login_required
def new_document(request, pk: int, kind: str):
    visit = _visit(request, pk)
    allowed = {k.code: k for k in kinds_for_visit(visit)}
    if kind not in allowed:
        raise PermissionDenied
    definition = allowed[kind]
    form = DocumentDataForm(
        request.POST or None, kind=definition, initial=initial_data(visit, kind)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.create_visit_document(
                visit,
                kind=kind,
                data=form.data_values(),
                title=form.cleaned_data["title"],
                actor=request.user,
            )
        except DomainError as error:
            for field, message in getattr(error, "errors", {error.field: error.message}).items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("已保存%(kind)s。") % {"kind": definition.label})
            return redirect(f"{visit.get_absolute_url()}#documents")
    context = {"form": form, "kind": definition, "next": visit.get_absolute_url(), "doc": None}
    return render(request, "documents/edit.html", context)


@login_required
@require_POST
def plan_executed(request, pk: int):
    _staff(request)
    plan = get_object_or_404(SignedDocument.objects.visible_to(request.user), pk=pk)
    try:
        services.mark_plan_executed(plan, actor=request.user, note=request.POST.get("note", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已记录方案实施。"))
    return redirect(_back(request, plan.get_absolute_url()))


@login_required
def training_new(request, pk: int):
    visit = _visit(request, pk)
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(
                customer=visit.ticket.customer, site=visit.ticket.site, origin=visit,
                actor=request.user, **form.cleaned_data,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录培训，请客户签署培训记录。"))
            return redirect(f"{visit.get_absolute_url()}#training")
    return render(request, "fieldservice/training_form.html", {"form": form, "visit": visit})


@login_required
def dispatch(request, pk: int):
    """The manager's dispatch page: engineers ranked by distance, load and skills."""
    _staff(request)
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("customer", "site", "asset"), pk=pk
    )
    if request.method == "POST":
        if not can_dispatch(request.user):
            raise PermissionDenied
        engineer = get_object_or_404(get_user_model(), pk=request.POST.get("engineer") or 0)
        try:
            visit = services.dispatch_visit(ticket, engineer=engineer, actor=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("已派 %(name)s 赴现场。") % {"name": engineer})
            return redirect(visit.get_absolute_url())
    context = {
        "ticket": ticket,
        "proposals": propose_engineers(ticket),
        "visits": selectors.visits_for_ticket(ticket),
        "may_dispatch": can_dispatch(request.user),
        "category": ticket.asset.category if ticket.asset_id else None,
        "kind_labels": dict(registry.choices()),
    }
    return render(request, "fieldservice/dispatch.html", context)
