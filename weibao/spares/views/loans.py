"""Exchange loans: list, lend, and the loan's moves (deliver, extend, return, compensate).

The page shows the moves `LOAN_FLOW` allows the user now; a refused move re-renders the page
with what was typed and the reason."""

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
from weibao.spares import columns, forms, selectors
from weibao.spares.choices import LoanStatus
from weibao.spares.flow import LOAN_FLOW
from weibao.spares.models import Loan
from weibao.spares.services import loans
from weibao.spares.views.common import may_move, refused_status, show_error, staff_only


@login_required
def loan_list(request):
    """The loans still out with their overdue marks on top; below, every loan the user may
    see — filtered by status, searched by number, customer or serial number, sorted by a
    header, paged with its total and exported to Excel as shown."""
    loans_seen = Loan.objects.visible_to(request.user).select_related("customer", "part__part_type")
    status = request.GET.get("status", "")
    if status in LoanStatus.values:
        loans_seen = loans_seen.filter(status=status)
    listing = Listing(
        request,
        loans_seen,
        columns=columns.LOAN_COLUMNS,
        default_sort="-start",
        search_fields=("number", "customer__name", "part__serial_number", "faulty_serial_number"),
        export_name="spare-loans",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "marks": selectors.open_loans(request.user),
        "listing": listing,
        "page": listing.page,
        "loans": listing.page,
        "q": listing.q,
        "status": status,
        "statuses": LoanStatus.choices,
    }
    return render(request, "spares/loans.html", context)


@login_required
def loan_new(request):
    staff_only(request.user)
    form = forms.LoanForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        site = data.pop("site")
        try:
            loan = loans.lend_exchange(
                customer=site.customer, site=site, actor=request.user, **data
            )
        except DomainError as error:
            status = refused_status(error)
            show_error(form, error)
        else:
            messages.success(request, _("已借出 %(part)s。") % {"part": loan.part})
            return redirect("spares:loan_detail", pk=loan.pk)
    return render(request, "spares/loan_new.html", {"form": form}, status=status)


def _loan(request, pk) -> Loan:
    return get_object_or_404(
        Loan.objects.visible_to(request.user).select_related(
            "customer", "site", "part__part_type", "part__pool", "contract", "sale", "faulty_asset"
        ),
        pk=pk,
    )


def _forms(loan, data=None, verb=None) -> dict:
    """One form per move that takes input; the posted one bound to what was typed."""
    built = {
        "extend": lambda d: forms.ExtendForm(d, initial={"new_end": loan.latest_end}),
        "return": lambda d: forms.LoanReturnForm(d, loan=loan),
        "compensate": lambda d: forms.CompensateForm(d),
    }
    return {v: make(data if v == verb else None) for v, make in built.items()}


def _render_loan(request, loan, *, moves_forms=None, refused=None, status=200):
    """The loan page; `refused` is (verb, error) of a refused move, shown at its form's field
    or, for a move without a form on the page now, at the top."""
    user = request.user
    moves_forms = moves_forms or _forms(loan)
    moves = [(m, moves_forms.get(m.verb)) for m in LOAN_FLOW.available(loan, user)]
    error = None
    if refused is not None:
        verb, problem = refused
        if moves_forms.get(verb) is None or verb not in {m.verb for m, _f in moves}:
            error = problem.message
    context = {
        "loan": loan,
        "marks": selectors.loan_marks(loan),
        "extensions": list(loan.extensions.all()),
        "moves": moves,
        "blocked": LOAN_FLOW.blocked(loan, user) if not user.customer_id else [],
        "error": error,
        "statements": selectors.loan_statements([loan], user)[loan.pk],
        "history": history_for(loan, reader=request.user),
    }
    return render(request, "spares/loan_detail.html", context, status=status)


@login_required
def loan_detail(request, pk: int):
    return _render_loan(request, _loan(request, pk))


@login_required
@require_POST
def loan_act(request, pk: int, verb: str):
    staff_only(request.user)
    loan, user = _loan(request, pk), request.user
    moves_forms = _forms(loan, request.POST, verb)
    form = moves_forms.get(verb)
    calls = {
        "deliver": lambda d: loans.record_delivery(loan, actor=user),
        "extend": lambda d: loans.extend_loan(loan, actor=user, **d),
        "return": lambda d: loans.return_loan(loan, actor=user, **d),
        "compensate": lambda d: loans.compensate_loan(loan, actor=user, **d),
    }
    if verb not in calls:
        raise PermissionDenied
    may_move(LOAN_FLOW, loan, verb, user)
    if form is not None and not form.is_valid():
        return _render_loan(request, loan, moves_forms=moves_forms)
    try:
        calls[verb](form.cleaned_data if form is not None else {})
    except DomainError as error:
        status = refused_status(error)
        show_error(form, error)
        loan = _loan(request, pk)
        return _render_loan(
            request, loan, moves_forms=moves_forms, refused=(verb, error), status=status
        )
    messages.success(request, _("已保存。"))
    return redirect("spares:loan_detail", pk=pk)
