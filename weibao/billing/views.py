"""Billing screens: mark a ticket out of scope, the statement list and page (provider
prepares and sends; the customer approves or rejects in the portal), PDF and Excel. Views
parse input, call one service and render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weibao.accounts.capabilities import Capability
from weibao.billing import columns, selectors, services
from weibao.billing.choices import StatementState
from weibao.billing.exports import XLSX_CONTENT_TYPE, statement_pdf, statement_xlsx
from weibao.billing.flow import STATEMENT_FLOW
from weibao.billing.forms import ExclusionForm, LineForm
from weibao.billing.models import Exclusion, Statement
from weibao.core import permissions
from weibao.core.errors import DomainError, page_status
from weibao.core.listing import Listing
from weibao.core.permissions import PermissionRefused
from weibao.tickets.models import Ticket


def _visible_statement(request, pk: int) -> Statement:
    return get_object_or_404(selectors.statements_for(request.user), pk=pk)


@login_required
def statement_list(request):
    """The statements the user may see: filtered by state, searched by number, title or
    customer, sorted by a header, paged with their total, exported to Excel as shown."""
    state = request.GET.get("state", "")
    listing = Listing(
        request,
        selectors.statements_for(request.user, state=state),
        columns=columns.statement_columns(request.user),
        default_sort="-updated",
        search_fields=("number", "title", "customer__name"),
        export_name="statements",
    )
    if listing.wants_export:
        return listing.export()
    context = {
        "listing": listing,
        "page": listing.page,
        "statements": listing.page,
        "q": listing.q,
        "state": state,
        "states": StatementState.choices,
        "awaiting": selectors.awaiting_approval(request.user) if request.user.customer_id else [],
    }
    return render(request, "billing/statement_list.html", context)


@login_required
def statement_detail(request, pk: int):
    statement = _visible_statement(request, pk)
    return render(request, "billing/statement_detail.html", _page(request, statement))


def _page(request, statement: Statement, *, line_form=None, error=None, typed=None) -> dict:
    """The statement page: the moves the user may make now (and why others are blocked)
    from `STATEMENT_FLOW`, the cost-line form for those who prepare drafts, and — after a
    refusal — the error with what was typed."""
    user = request.user
    if line_form is None and selectors.may_edit_lines(statement, user):
        line_form = LineForm()
    return {
        "statement": statement,
        "moves": STATEMENT_FLOW.available(statement, user),
        "blocked": [(m, r) for m, r in STATEMENT_FLOW.blocked(statement, user) if r.status != 403],
        "line_form": line_form,
        "error": error,
        "typed": typed or {},
        **selectors.statement_page(statement, request.user),
    }


@login_required
@require_POST
def statement_act(request, pk: int, verb: str):
    """One action on the statement. A refusal re-renders the page with the error and what
    was typed (the cost line, the note); a missing capability answers 403."""
    statement = _visible_statement(request, pk)
    user, post = request.user, request.POST
    line_form, typed = None, {"verb": verb, "note": post.get("note", "")}
    try:
        if verb == "add_line":
            line_form = LineForm(post)
            if not line_form.is_valid():
                raise DomainError(_("请检查费用明细。"), code="invalid")
            services.add_line(statement, actor=user, **line_form.cleaned_data)
        elif verb == "remove_line":
            line = get_object_or_404(statement.lines, pk=post.get("line") or 0)
            services.remove_line(line, actor=user)
        elif verb in STATEMENT_FLOW:
            services.move_statement(statement, verb, actor=user, note=post.get("note", ""))
        else:
            raise Http404
    except PermissionRefused:
        raise
    except DomainError as error:
        if line_form is not None and error.field in line_form.fields:
            line_form.add_error(error.field, error.message)
            error = None
        statement = _visible_statement(request, pk)
        context = _page(request, statement, line_form=line_form, error=error, typed=typed)
        return render(request, "billing/statement_detail.html", context,
                      status=getattr(error, "status", 400))  # fmt: skip
    messages.success(request, _("已保存。"))
    return redirect("billing:detail", pk=pk)


@login_required
def statement_download(request, pk: int, fmt: str):
    statement = _visible_statement(request, pk)
    if fmt == "pdf":
        try:
            body = statement_pdf(statement)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("billing:detail", pk=pk)
        content_type, extension = "application/pdf", "pdf"
    elif fmt == "xlsx":
        body, content_type, extension = statement_xlsx(statement), XLSX_CONTENT_TYPE, "xlsx"
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{statement.number}.{extension}"'
    return response


@login_required
def mark_ticket(request, ticket_pk: int):
    """The engineer marks a ticket out of scope with causes and evidence (others: 403)."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=ticket_pk)
    if request.user.customer_id:
        raise Http404
    # The form is for those who may propose; the service checks again when it is sent.
    permissions.require(request.user, Capability.BILLING_PROPOSE, customer_id=ticket.customer_id)
    existing = services.exclusion_for(ticket)
    form = ExclusionForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and existing is None and not form.is_valid():
        status = page_status(request)
    elif request.method == "POST" and existing is None:
        try:
            exclusion = services.mark_out_of_scope(ticket, actor=request.user, **form.cleaned_data)
        except PermissionRefused:
            raise
        except DomainError as error:
            status = page_status(request, error)
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("已认定不在承保范围，请填写费用明细。"))
            return redirect("billing:detail", pk=exclusion.statements.first().pk)
    context = {
        "ticket": ticket,
        "form": form,
        "existing": existing,
        "statements": selectors.statements_about(ticket, request.user),
    }
    return render(request, "billing/mark_out_of_scope.html", context, status=status)


@login_required
def evidence(request, pk: int):
    """The evidence file of an exclusion, to people who may see it."""
    exclusion = get_object_or_404(Exclusion.objects.visible_to(request.user), pk=pk)
    if not exclusion.attachment:
        raise Http404
    return FileResponse(
        exclusion.attachment.open("rb"),
        as_attachment=True,
        filename=exclusion.attachment.name.rsplit("/", 1)[-1],
    )
