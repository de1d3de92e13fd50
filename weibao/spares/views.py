"""Spares screens: exchange loans, spare-part sales and the stock with its ledger. The spare
keeper's board lives with the repairs (`repairs:board`). Views parse input, call one service
and render; customer users read their own loans and purchases."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core.errors import DomainError
from weibao.core.selectors import history_for
from weibao.spares import forms, sale_flow, selectors
from weibao.spares.models import Loan, SaleOrder, SparePart, StockMovement
from weibao.spares.services import inventory, loans, sales


def _staff_only(user) -> None:
    if user.customer_id:
        raise PermissionDenied


def _form_error(form) -> DomainError:
    return DomainError("；".join(m for errors in form.errors.values() for m in errors))


def _run(request, form_class, call, **form_kwargs) -> bool:
    """Validate the posted form and call the service; tell the user either way."""
    form = form_class(request.POST, **form_kwargs) if form_class else None
    try:
        if form is not None and not form.is_valid():
            raise _form_error(form)
        call(form.cleaned_data if form is not None else {})
    except DomainError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, _("已保存。"))
    return True


@login_required
def loan_list(request):
    marks = selectors.open_loans(request.user)
    closed = (
        Loan.objects.visible_to(request.user)
        .exclude(status="out")
        .select_related("customer", "part__part_type")
        .order_by("-start_date")[:100]
    )
    return render(request, "spares/loans.html", {"marks": marks, "closed": closed})


@login_required
def loan_new(request):
    _staff_only(request.user)
    form = forms.LoanForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        site = data.pop("site")
        try:
            loan = loans.lend_exchange(
                customer=site.customer, site=site, actor=request.user, **data
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已借出 %(part)s。") % {"part": loan.part})
            return redirect("spares:loan_detail", pk=loan.pk)
    return render(request, "spares/loan_new.html", {"form": form})


def _loan(request, pk) -> Loan:
    return get_object_or_404(
        Loan.objects.visible_to(request.user).select_related(
            "customer", "site", "part__part_type", "contract", "sale", "faulty_asset"
        ),
        pk=pk,
    )


@login_required
def loan_detail(request, pk: int):
    loan = _loan(request, pk)
    context = {
        "loan": loan,
        "marks": selectors.loan_marks(loan),
        "extensions": list(loan.extensions.all()),
        "extend_form": forms.ExtendForm(initial={"new_end": loan.latest_end}),
        "return_form": forms.LoanReturnForm(loan=loan),
        "compensate_form": forms.CompensateForm(),
        "history": history_for(loan),
    }
    return render(request, "spares/loan_detail.html", context)


@login_required
@require_POST
def loan_act(request, pk: int, verb: str):
    _staff_only(request.user)
    loan, user = _loan(request, pk), request.user
    actions = {
        "deliver": (None, lambda d: loans.record_delivery(loan, actor=user), {}),
        "extend": (forms.ExtendForm, lambda d: loans.extend_loan(loan, actor=user, **d), {}),
        "return": (
            forms.LoanReturnForm,
            lambda d: loans.return_loan(loan, actor=user, **d),
            {"loan": loan},
        ),
        "compensate": (
            forms.CompensateForm,
            lambda d: loans.compensate_loan(loan, actor=user, **d),
            {},
        ),
    }
    if verb not in actions:
        raise PermissionDenied
    form_class, call, kwargs = actions[verb]
    _run(request, form_class, call, **kwargs)
    return redirect("spares:loan_detail", pk=pk)


@login_required
def sale_list(request):
    orders = SaleOrder.objects.visible_to(request.user).select_related("customer")
    if stage := request.GET.get("stage", ""):
        orders = orders.filter(stage=stage)
    context = {
        "orders": orders.order_by("-requested_on", "-id")[:200],
        "stage": stage,
        "stages": sale_flow.S.choices,
    }
    return render(request, "spares/sales.html", context)


@login_required
def sale_new(request):
    _staff_only(request.user)
    form = forms.SaleForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        order = sales.request_sale(actor=request.user, **form.cleaned_data)
        return redirect("spares:sale_detail", pk=order.pk)
    return render(request, "spares/sale_new.html", {"form": form})


def _order(request, pk) -> SaleOrder:
    return get_object_or_404(
        SaleOrder.objects.visible_to(request.user).select_related("customer", "accepted_quote"),
        pk=pk,
    )


SALE_FORMS = {
    "quote": forms.QuoteForm,
    "agree": forms.NoteForm,
    "reject": forms.NoteForm,
    "sign": forms.SignForm,
    "prepay": forms.PrepayForm,
    "ship": forms.ShipForm,
    "deliver": forms.DeliverForm,
    "cancel": forms.CancelForm,
}


@login_required
def sale_detail(request, pk: int):
    order = _order(request, pk)
    moves = sale_flow.available_moves(order) if not request.user.customer_id else []
    context = {
        "order": order,
        "quotes": list(order.quotes.prefetch_related("lines__part_type").order_by("-revision")),
        "items": list(order.items.select_related("part_type")),
        "forms": [(m, SALE_FORMS[m.verb](prefix=m.verb)) for m in moves],
        "source_loans": list(order.source_loans.all()),
        "history": history_for(order),
    }
    return render(request, "spares/sale_detail.html", context)


@login_required
@require_POST
def sale_act(request, pk: int, verb: str):
    _staff_only(request.user)
    order, user = _order(request, pk), request.user
    calls = {
        "quote": lambda d: sales.propose_quote(order, actor=user, **d),
        "agree": lambda d: sales.agree_quote(order, actor=user, **d),
        "reject": lambda d: sales.reject_quote(order, actor=user, **d),
        "sign": lambda d: sales.sign_sale_contract(order, actor=user, **d),
        "prepay": lambda d: sales.record_prepayment(order, actor=user, **d),
        "ship": lambda d: sales.ship_sale(order, actor=user, **d),
        "deliver": lambda d: sales.deliver_sale(order, actor=user, **d),
        "cancel": lambda d: sales.cancel_sale(order, actor=user, **d),
    }
    if verb not in calls:
        raise PermissionDenied
    _run(request, lambda data: SALE_FORMS[verb](data, prefix=verb), calls[verb])
    return redirect("spares:sale_detail", pk=pk)


@login_required
def stock(request):
    _staff_only(request.user)
    parts = SparePart.objects.visible_to(request.user).select_related(
        "part_type", "pool", "location"
    )
    if q := request.GET.get("q", "").strip():
        parts = parts.filter(serial_number__icontains=q) | parts.filter(
            part_type__part_number__icontains=q
        )
    context = {
        "pools": selectors.stock_per_pool(request.user),
        "parts": parts.order_by("part_type", "serial_number")[:300],
        "movements": StockMovement.objects.visible_to(request.user).select_related(
            "part_type", "part", "from_location", "to_location", "actor"
        )[:100],
        "receive_form": forms.ReceiveForm(user=request.user),
        "q": q,
    }
    return render(request, "spares/stock.html", context)


@login_required
@require_POST
def stock_receive(request):
    _staff_only(request.user)
    _run(
        request,
        forms.ReceiveForm,
        lambda d: inventory.receive_part(actor=request.user, **d),
        user=request.user,
    )
    return redirect("spares:stock")
