"""Repair screens: the spare keeper's board, the repair list (the customer's view of their
repairs and loans for customer users), the registration form, a repair's page with its
actions, and its printable documents. Views parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.billing.services import withdrawal_refusal
from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.core.permissions import PermissionRefused, can
from weibao.documents.pdf import render_pdf
from weibao.repairs import columns, forms, selectors, services
from weibao.repairs.choices import RepairStatus
from weibao.repairs.flow import REPAIR_FLOW, MoveRefused
from weibao.repairs.models import Repair


def _staff_only(user) -> None:
    if user.customer_id:
        raise PermissionDenied


@login_required
def repair_list(request):
    if request.user.customer_id:
        context = selectors.customer_overview(request.user)
        context["can_register"] = can(request.user, Capability.REPAIR_REGISTER)
        return render(request, "repairs/customer.html", context)
    status, q = request.GET.get("status", ""), request.GET.get("q", "").strip()
    listing = Listing(
        request,
        selectors.repair_list(request.user, status=status, q=q),
        columns=columns.REPAIR_COLUMNS,
        default_sort="-received",
        export_name="repairs",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "rows": selectors.rows(listing.page),
        "status": status,
        "q": q,
        "statuses": RepairStatus.choices,
    }
    return render(request, "repairs/list.html", context)


@login_required
def board(request):
    _staff_only(request.user)
    return render(request, "repairs/board.html", selectors.keeper_board(request.user))


@login_required
def new(request):
    """The registration form: provider staff for any customer they see, a customer's user
    for their own organisation (`repair.register`)."""
    if not can(request.user, Capability.REPAIR_REGISTER):
        raise PermissionDenied
    initial = {
        k: request.GET[k] for k in ("customer", "asset", "serial_number") if k in request.GET
    }
    form = forms.RepairForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            repair = services.register_repair(
                actor=request.user,
                received_on=data.pop("received_at"),
                **data,
            )
        except PermissionRefused:
            raise
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            message = _("已登记返修 %(number)s，应于 %(due)s 前返回客户。") % {
                "number": repair.number,
                "due": repair.due_date,
            }
            if repair.due_provisional:
                message += _("（暂定：%(year)s 年放假安排导入后自动重算）") % {
                    "year": repair.due_calendar_year
                }
            messages.success(request, message)
            return redirect("repairs:detail", pk=repair.pk)
    return render(request, "repairs/new.html", {"form": form})


@login_required
def asset_options(request):
    """htmx: the asset choices of the chosen customer."""
    form = forms.RepairForm(request.GET, user=request.user)
    return render(request, "repairs/_asset_options.html", {"form": form})


def _repair(request, pk: int) -> Repair:
    return get_object_or_404(
        Repair.objects.visible_to(request.user)
        .with_billable()
        .select_related(
            "customer", "site", "asset", "part_type", "contract", "loaner__part", "previous"
        ),
        pk=pk,
    )


FORMS = {
    "hop": forms.HopForm,
    "return": forms.ReturnForm,
    "feedback": forms.FeedbackForm,
    "fail_trial": forms.FailTrialForm,
    "billable": forms.BillableForm,
    "clear_billable": forms.ClearBillableForm,
}


def _page(request, repair: Repair, *, bound=None, error: str = "", status: int = 200):
    """The repair page. After a refusal, `bound` is the form that was sent (with what was
    typed and its errors) and `error` the reason shown at the top."""
    actor = request.user
    initial = {
        "return": {"returned_on": repair.due_date},
        "feedback": {"on": repair.returned_on},
    }
    page_forms = {
        f"{name}_form": form_class(initial=initial.get(name)) for name, form_class in FORMS.items()
    }
    if bound is not None:
        page_forms[f"{bound[0]}_form"] = bound[1]
    can_operate = can(actor, Capability.SPARES_OPERATE, customer_id=repair.customer_id)
    deliveries = [m for m in REPAIR_FLOW.available(repair, actor) if m.verb in DELIVERIES]
    page = selectors.repair_page(repair, actor)
    exclusion = page["exclusion"]
    context = {
        "repair": repair,
        **page_forms,
        **page,
        "withdrawal_refused": exclusion and withdrawal_refusal(exclusion),
        "available": [m for m in REPAIR_FLOW.available(repair, actor) if m.button],
        "blocked": [(m, r) for m, r in REPAIR_FLOW.blocked(repair, actor) if m.button],
        "delivery": deliveries[0] if deliveries else None,
        "can_fail_trial": REPAIR_FLOW.can(repair, "fail_trial", actor),
        "can_operate": can_operate,
        "can_record_hop": can_operate and repair.status != RepairStatus.CLOSED,
        "action_error": error,
        "refused_verb": bound[0] if bound is not None else "",
    }
    return render(request, "repairs/detail.html", context, status=status)


@login_required
def detail(request, pk: int):
    return _page(request, _repair(request, pk))


DELIVERIES = ("deliver", "deliver_unrepaired")

# verb → call(repair, cleaned data, user); verbs without a form are one-button moves.
ACTIONS = {
    "hop": lambda r, d, u: services.record_hop(r, actor=u, **d),
    "return": lambda r, d, u: services.record_return(r, returned_on=d["returned_on"], actor=u),
    "feedback": lambda r, d, u: services.record_feedback(r, actor=u, **d),
    "fail_trial": lambda r, d, u: services.fail_trial(
        r, reason=d["reason"], received_on=d.get("received_at"), actor=u
    ),
    "billable": lambda r, d, u: services.mark_billable(r, actor=u, **d),
    "clear_billable": lambda r, d, u: services.clear_billable(r, actor=u, **d),
}


@login_required
@require_POST
def act(request, pk: int, verb: str):
    """One action on the repair page. A refusal re-renders the page with what was typed and
    the error at its field (or at the top for a refused move); `PermissionRefused` becomes
    the 403 page. Marked out of scope, the repair's new draft statement opens for its cost
    lines (billing's page, as for a ticket)."""
    repair = _repair(request, pk)
    target = repair
    bound = None
    try:
        if verb in ACTIONS:
            bound = (verb, FORMS[verb](request.POST, request.FILES))
            if not bound[1].is_valid():
                return _page(request, repair, bound=bound, status=400)
            result = ACTIONS[verb](repair, bound[1].cleaned_data, request.user)
            if isinstance(result, Repair) and result.pk != repair.pk:
                target = result  # a failed trial's re-registration
        else:
            services.move(repair, verb, note=request.POST.get("note", ""), actor=request.user)
    except PermissionRefused:
        raise
    except MoveRefused as error:
        if error.status == 403:
            raise PermissionRefused(error.message, capability=error.capability or "") from error
        return _page(request, _repair(request, pk), bound=bound, error=error.message, status=409)
    except DomainError as error:
        if bound is not None and error.field in bound[1].fields:
            bound[1].add_error(error.field, error.message)
            return _page(request, _repair(request, pk), bound=bound, status=400)
        return _page(request, _repair(request, pk), bound=bound, error=error.message, status=400)
    if verb == "billable":
        messages.success(request, _("已认定不在服务范围，请填写费用明细。"))
        return redirect("billing:detail", pk=repair.statements.latest("id").pk)
    messages.success(request, _("已保存。"))
    return redirect("repairs:detail", pk=target.pk)


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def registration_pdf(request, pk: int):
    """返修设备登记表 in two copies: 客户留存联 and 随件联 (RMA-1)."""
    repair = _repair(request, pk)
    pdf = render_pdf("repairs/registration_pdf.html", {"repair": repair})
    return _pdf(pdf, f"{repair.number}-registration.pdf")


@login_required
def label_pdf(request, pk: int):
    """The fault label stuck on the part, with the fault phenomenon (RMA-1)."""
    repair = _repair(request, pk)
    return _pdf(
        render_pdf("repairs/label_pdf.html", {"repair": repair}), f"{repair.number}-label.pdf"
    )
