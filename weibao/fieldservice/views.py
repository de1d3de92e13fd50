"""Field-service screens: the engineer's day on the phone, a visit (preparation, documents,
check-in/out, arrival on behalf, refusal to sign, training), and the dispatch page of a ticket
— the one web dispatch (the ticket page's dispatch form posts here). Provider staff only;
customers sign in the documents portal.

A refused action re-renders its page with what was typed and the error (status 400/403/409),
never a redirect that drops the input."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core import clock
from weibao.core.errors import DomainError
from weibao.documents import kinds as registry
from weibao.documents.forms import DocumentDataForm
from weibao.documents.models import SignedDocument
from weibao.fieldservice import kinds, selectors, services
from weibao.fieldservice.choices import VisitState
from weibao.fieldservice.dispatch import propose_engineers
from weibao.fieldservice.flow import VISIT_FLOW, service_report_settled
from weibao.fieldservice.forms import TrainingForm
from weibao.fieldservice.models import Visit
from weibao.fieldservice.services.documents import (
    initial_data,
    kinds_for_visit,
    plan_refusal,
    visit_documents,
)
from weibao.fieldservice.services.visits import arrival_rule_notice, can_dispatch
from weibao.tickets.models import Ticket


def _staff(request) -> None:
    if request.user.customer_id:
        raise PermissionDenied


def _visit(request, pk: int) -> Visit:
    _staff(request)
    return get_object_or_404(
        Visit.objects.visible_to(request.user).select_related(
            "ticket", "ticket__customer", "ticket__site", "ticket__asset", "engineer",
            "arrival_recorded_by",
        ),
        pk=pk,
    )  # fmt: skip


def _back(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def today(request):
    _staff(request)
    visits = selectors.today(request.user)
    for visit in visits:
        visit.moves = {m.verb for m in VISIT_FLOW.available(visit, request.user)}
    return render(request, "fieldservice/today.html", {"visits": visits, "now": clock.now()})


def _render_visit(request, visit: Visit, *, error=None, verb: str = "", status: int = 200):
    """The visit page; after a refused action, with the error and what was typed."""
    documents = list(visit_documents(visit))
    user = request.user
    context = {
        "visit": visit,
        "ticket": visit.ticket,
        "now": clock.now(),
        "arrival": selectors.arrival_clocks([visit.ticket_id]).get(visit.ticket_id),
        "documents": documents,
        "plans": [(d, plan_refusal(d)) for d in documents if d.kind == kinds.TECHNICAL_PLAN],
        "kinds": kinds_for_visit(visit),
        "available": VISIT_FLOW.available(visit, user),
        "blocked": VISIT_FLOW.blocked(visit, user),
        "report_settled": service_report_settled(visit),
        "refusable_reports": [
            d for d in documents if d.kind == kinds.SERVICE_REPORT and not d.is_settled
        ],
        "may_file": visit.is_open or visit.state == VisitState.DONE,
        "may_train": visit.checked_in_at is not None and visit.state != VisitState.CANCELLED,
        "trainings": selectors.training_for(visit),
        "error": error,
        "failed_verb": verb,
        "posted": request.POST if error is not None else {},
        **selectors.preparation(visit),
    }
    return render(request, "fieldservice/visit.html", context, status=status)


@login_required
def visit_detail(request, pk: int):
    return _render_visit(request, _visit(request, pk))


def _when(value: str):
    if not value:
        return None
    parsed = parse_datetime(value)
    if parsed is None:
        raise DomainError(_("时间格式无效。"), code="invalid", field="arrived_at")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


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
        "record_arrival": lambda: services.record_arrival(
            visit,
            reason=post.get("reason", ""),
            actor=user,
            arrived_at=_when(post.get("arrived_at", "")),
        ),
        "check_out": lambda: services.check_out(visit, actor=user),
        "cancel": lambda: services.cancel_visit(visit, reason=post.get("reason", ""), actor=user),
        "refuse_signature": lambda: services.record_signature_refused(
            _report(visit, post.get("document")), reason=post.get("reason", ""), actor=user
        ),
    }
    handler = handlers.get(verb)
    if handler is None:
        raise PermissionDenied
    try:
        handler()
    except DomainError as error:
        return _render_visit(request, _visit(request, pk), error=error, verb=verb,
                             status=error.status)  # fmt: skip
    messages.success(request, _("已保存。"))
    return redirect(_back(request, visit.get_absolute_url()))


def _report(visit: Visit, document_id):
    """The document the customer refuses to sign: the one named, else the visit itself (its
    latest unsigned service report)."""
    if not document_id:
        return visit
    return get_object_or_404(visit_documents(visit), pk=document_id)


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
    status = 200
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
            status = error.status
            for field, message in getattr(error, "errors", {error.field: error.message}).items():
                form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("已保存%(kind)s。") % {"kind": definition.label})
            return redirect(f"{visit.get_absolute_url()}#documents")
    context = {"form": form, "kind": definition, "next": visit.get_absolute_url(), "doc": None}
    return render(request, "documents/edit.html", context, status=status)


@login_required
@require_POST
def plan_executed(request, pk: int):
    _staff(request)
    plan = get_object_or_404(SignedDocument.objects.visible_to(request.user), pk=pk)
    try:
        services.mark_plan_executed(plan, actor=request.user, note=request.POST.get("note", ""))
    except DomainError as error:
        visit = plan.subject if isinstance(plan.subject, Visit) else None
        if visit is None:
            raise
        return _render_visit(request, _visit(request, visit.pk), error=error,
                             verb="plan_executed", status=error.status)  # fmt: skip
    messages.success(request, _("已记录方案实施。"))
    return redirect(_back(request, plan.get_absolute_url()))


@login_required
def training_new(request, pk: int):
    visit = _visit(request, pk)
    form = TrainingForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.record_training(
                customer=visit.ticket.customer, site=visit.ticket.site, origin=visit,
                actor=request.user, **form.cleaned_data,
            )  # fmt: skip
        except DomainError as error:
            status = error.status
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已记录培训，请客户签署培训记录。"))
            return redirect(f"{visit.get_absolute_url()}#training")
    context = {"form": form, "visit": visit}
    return render(request, "fieldservice/training_form.html", context, status=status)


@login_required
def dispatch(request, pk: int):
    """The dispatch page — engineers ranked by distance, load and skills — and the one web
    dispatch: this page's buttons and the ticket page's form post `engineer` here."""
    _staff(request)
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related("customer", "site", "asset"), pk=pk
    )
    error, status, chosen = None, 200, ""
    if request.method == "POST":
        chosen = request.POST.get("engineer") or ""
        engineer = get_user_model().objects.filter(pk=chosen).first() if chosen.isdigit() else None
        try:
            if engineer is None:
                raise DomainError(_("请选择工程师。"), code="not_engineer", field="engineer")
            visit = services.dispatch(ticket, engineer=engineer, actor=request.user)
        except DomainError as refused:
            error, status = refused, refused.status
        else:
            messages.success(request, _("已派 %(name)s 赴现场。") % {"name": engineer})
            return redirect(visit.get_absolute_url())
    context = {
        "ticket": ticket,
        "proposals": propose_engineers(ticket),
        "visits": selectors.visits_for_ticket(ticket),
        "may_dispatch": can_dispatch(request.user, ticket),
        "category": ticket.asset.category if ticket.asset_id else None,
        "kind_labels": dict(registry.choices()),
        "notice": arrival_rule_notice(ticket),
        "error": error,
        "chosen": chosen,
    }
    return render(request, "fieldservice/dispatch.html", context, status=status)
