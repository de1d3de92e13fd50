"""Spare-part sales: list, request, and the order's steps (SPS-1).

The page shows one form per move `SALE_FLOW` allows the user now; a refused step re-renders
the page with what was typed and the reason at its field (or at the top)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.core.errors import DomainError
from weibao.core.listing import Listing
from weibao.core.selectors import history_for
from weibao.spares import columns, forms
from weibao.spares.choices import SaleStage
from weibao.spares.flow import SALE_FLOW
from weibao.spares.models import SaleOrder
from weibao.spares.services import sales
from weibao.spares.views.common import may_move, refused_status, show_error, staff_only

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
def sale_list(request):
    orders = SaleOrder.objects.visible_to(request.user).select_related("customer")
    if stage := request.GET.get("stage", ""):
        orders = orders.filter(stage=stage)
    listing = Listing(
        request,
        orders,
        columns=columns.SALE_COLUMNS,
        default_sort="-requested",
        search_fields=("number", "request_text", "customer__name"),
        export_name="spare-sales",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "orders": listing.page,
        "q": listing.q,
        "stage": stage,
        "stages": SaleStage.choices,
    }
    return render(request, "spares/sales.html", context)


@login_required
def sale_new(request):
    staff_only(request.user)
    form = forms.SaleForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            order = sales.request_sale(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            status = refused_status(error)
            show_error(form, error)
        else:
            return redirect("spares:sale_detail", pk=order.pk)
    return render(request, "spares/sale_new.html", {"form": form}, status=status)


def _order(request, pk) -> SaleOrder:
    return get_object_or_404(
        SaleOrder.objects.visible_to(request.user).select_related("customer", "accepted_quote"),
        pk=pk,
    )


def _render_sale(request, order, *, bound=None, refused=None, status=200):
    """The order page; `bound` is the posted (verb, form) shown again with what was typed."""
    user = request.user
    moves = SALE_FLOW.available(order, user)
    step_forms = [
        (m, bound[1] if bound and bound[0] == m.verb else SALE_FORMS[m.verb](prefix=m.verb))
        for m in moves
    ]
    error = None
    if refused is not None and (bound is None or bound[0] not in {m.verb for m in moves}):
        error = refused.message
    context = {
        "order": order,
        "quotes": list(order.quotes.prefetch_related("lines__part_type").order_by("-revision")),
        "items": list(order.items.select_related("part_type")),
        "forms": step_forms,
        "blocked": SALE_FLOW.blocked(order, user) if not user.customer_id else [],
        "error": error,
        "source_loans": list(order.source_loans.all()),
        "history": history_for(order, reader=request.user),
    }
    return render(request, "spares/sale_detail.html", context, status=status)


@login_required
def sale_detail(request, pk: int):
    return _render_sale(request, _order(request, pk))


@login_required
@require_POST
def sale_act(request, pk: int, verb: str):
    staff_only(request.user)
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
    may_move(SALE_FLOW, order, verb, user)
    form = SALE_FORMS[verb](request.POST, prefix=verb)
    if not form.is_valid():
        return _render_sale(request, order, bound=(verb, form))
    try:
        calls[verb](form.cleaned_data)
    except DomainError as error:
        status = refused_status(error)
        show_error(form, error)
        return _render_sale(
            request, _order(request, pk), bound=(verb, form), refused=error, status=status
        )
    messages.success(request, _("已保存。"))
    return redirect("spares:sale_detail", pk=pk)
